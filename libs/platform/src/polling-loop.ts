/**
 * A background loop of rounds: run a round; when it did nothing, sleep `pollMs` unless woken. A wake
 * that arrives during a round makes the next sleep return at once, so no wake-up is lost. Used by the
 * workers whose schedule is state in Postgres (deliveries, DNS re-checks, reservation expiry).
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;

  constructor(
    private readonly round: () => Promise<number>,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
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
    while (this.running) {
      let done = 0;
      try {
        done = await this.round();
      } catch (error) {
        this.onError(error);
      }
      if (done === 0 && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(finish, this.pollMs);
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
