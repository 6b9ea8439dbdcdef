import type { Logger } from './logger';

/**
 * A background loop of rounds: run a round; when it did nothing, sleep `pollMs` unless woken. A wake
 * that arrives during a round makes the next sleep return at once, so no wake-up is lost. Used by the
 * workers whose schedule is state in Postgres (deliveries, DNS re-checks, reservation expiry).
 *
 * A failing round (the database is down) is retried with capped exponential backoff, so the schedule
 * waits for its dependency: nothing is dropped, since the work is state in Postgres. `onError` hears the
 * first failure of a streak and then at most one a minute, not one per try; `onRecovered` hears its end.
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private wakeAt?: number;
  private wakeTimer?: NodeJS.Timeout;

  constructor(
    private readonly round: () => Promise<number>,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly options: { maxBackoffMs?: number; onRecovered?: (failedRounds: number, downMs: number) => void } = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = undefined;
    this.wake();
    await this.loop;
  }

  /** Look again in `ms` (a retry that falls due before the next poll), unless an earlier wake is set. */
  wakeIn(ms: number): void {
    const at = Date.now() + Math.max(0, ms);
    if (!this.running || (this.wakeAt !== undefined && this.wakeAt <= at)) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeAt = undefined;
        this.wakeTimer = undefined;
        this.wake();
      },
      Math.max(0, ms),
    );
    this.wakeTimer.unref?.();
  }

  /** True once a started loop was told to stop: a long round may cut itself short. */
  get stopping(): boolean {
    return !this.running && this.loop !== undefined;
  }

  /** Look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let failingSince = 0;
    let lastReported = 0;
    while (this.running) {
      let done = 0;
      try {
        done = await this.round();
        if (failures > 0) this.options.onRecovered?.(failures, Date.now() - failingSince);
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1) failingSince = Date.now();
        if (failures === 1 || Date.now() - lastReported >= 60_000) {
          lastReported = Date.now();
          this.onError(error);
        }
        if (this.running)
          await this.sleep(Math.min(this.options.maxBackoffMs ?? 5_000, Math.max(this.pollMs, 100 * 2 ** Math.min(failures - 1, 20))));
        continue;
      }
      if (done === 0 && this.running) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const self = this;
      function finish() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = () => {
        this.woken = false;
        finish();
      };
    });
  }
}

/**
 * A scheduler on a polling loop (a reconciler, an expiry, a re-check schedule): `round` does what is due and
 * answers how much it did; the loop runs it every `pollMs` (at once again after a round that did something),
 * and `start`, `stop` and `poke` (look now, after a test moved the clock) are the same for every one. A
 * failing round is logged as `<what> failed` (what the job was doing) and retried.
 */
export abstract class PolledJob {
  protected readonly loop: PollingLoop;

  constructor(pollMs: number, logger: Pick<Logger, 'error'>, what: string) {
    this.loop = new PollingLoop(
      () => this.round(),
      pollMs,
      (error) => logger.error({ err: error }, `${what} failed; retrying after the poll interval`),
    );
  }

  /** One round: does what is due now; answers how much it did (0: sleep until the next poll). */
  protected abstract round(): Promise<number>;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Makes the loop look now (after the clock moved, for instance). */
  poke(): void {
    this.loop.wake();
  }
}
