import { FailureClass } from '@privatelink/messaging';
import { Logger } from './logger';
import { Metrics } from './metrics';

interface Outage {
  dependency: string;
  since: number;
  refused: number;
}

/**
 * Requests refused with 503 because a dependency is down are logged once per outage: the first one with its
 * error, then, when the process's readiness checks pass again, one line saying how long it lasted and how
 * many requests were refused. Without this a database restart writes one error (and stack) per request.
 */
export class OutageLog {
  private readonly outages = new Map<string, Outage>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** Whether every dependency answers again (the readiness checks). */
    private readonly recovered: () => Promise<boolean>,
    private readonly checkEveryMs = 1_000,
  ) {}

  refused(failure: FailureClass, error: unknown, requestId: unknown): void {
    const dependency = failure.dependency ?? 'unknown';
    this.metrics.unavailableResponses.inc({ dependency });
    const outage = this.outages.get(dependency);
    if (outage) {
      outage.refused++;
      return;
    }
    this.outages.set(dependency, { dependency, since: Date.now(), refused: 1 });
    this.metrics.dependencyOutages.inc({ dependency });
    this.logger.error(
      { dependency, reason: failure.reason, err: error, requestId },
      'a dependency is unavailable: answering 503 ServiceUnavailable with Retry-After until it is back (logged once per outage)',
    );
    this.watch();
  }

  /** Dependencies in an outage now (tests, ops). */
  current(): string[] {
    return [...this.outages.keys()];
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private watch(): void {
    if (this.timer) return;
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      const back = await this.recovered().catch(() => false);
      if (back) {
        for (const o of this.outages.values()) {
          this.logger.info(
            { dependency: o.dependency, downMs: Date.now() - o.since, refusedRequests: o.refused },
            'the dependency is back: requests are served again',
          );
        }
        this.outages.clear();
      } else if (this.outages.size > 0) {
        this.watch();
      }
    }, this.checkEveryMs);
    this.timer.unref();
  }
}
