import { VerificationCheckResult } from '@privatelink/domain';
import { Clock, Logger, PolledJob, Store } from '@privatelink/platform';
import { VerificationChecker } from '../dns/verification-checker';
import { claimDue, releaseClaim } from '../projections/schedule';
import { loadVerification, writeVerification } from '../handlers/verification-writes';

export interface RecheckSchedulerOptions {
  /** Checks running at once. */
  concurrency: number;
  /** How often the loop looks for due checks when none were due (real time: a poll, not the truth). */
  pollMs: number;
  /** How long a claimed check may take before another instance may claim it again (schedule clock). */
  leaseMs: number;
}

/**
 * Runs the automatic checks when they are due: the backoff polls of pending names and the daily re-check
 * of verified ones. The truth is the schedule in Postgres (`next_check_at` per name) compared with the
 * injectable clock; the loop only looks every `pollMs`, so a test moves the clock and the due checks run.
 * Claims are leased rows (SKIP LOCKED), so several instances share the work and a restarted one resumes
 * where the schedule says. At most `concurrency` checks run at once.
 */
export class RecheckScheduler extends PolledJob {
  /** Scheduled checks completed, and the most that ran at once (the benchmark and tests read them). */
  completed = 0;
  peakRunning = 0;
  private inFlight = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly checker: Pick<VerificationChecker, 'check'>,
    private readonly countCheck: (trigger: 'scheduled', result: VerificationCheckResult) => void,
    private readonly options: RecheckSchedulerOptions,
    private readonly logger: Logger,
  ) {
    super(options.pollMs, logger, 'scheduled DNS checks');
  }

  protected round(): Promise<number> {
    return this.runDueChecks();
  }

  /** Claims and runs every check due now, `concurrency` at a time; resolves with how many ran. */
  async runDueChecks(): Promise<number> {
    const { concurrency } = this.options;
    let total = 0;
    for (;;) {
      if (this.loop.stopping) break;
      const now = this.clock();
      const claimed = await claimDue(this.store.db, now, new Date(now.getTime() + this.options.leaseMs), concurrency * 4);
      if (claimed.length === 0) break;
      const queue = [...claimed];
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let serviceId = queue.shift(); serviceId !== undefined; serviceId = queue.shift()) {
            this.peakRunning = Math.max(this.peakRunning, ++this.inFlight);
            try {
              await this.runOne(serviceId);
              total++;
            } catch (error) {
              // The lease expires and another pass tries again.
              this.logger.warn({ err: error, serviceId }, 'scheduled DNS check failed');
            } finally {
              this.inFlight--;
            }
          }
        }),
      );
    }
    return total;
  }

  private async runOne(serviceId: string): Promise<void> {
    const runtime = this.store;
    const now = this.clock();
    const { state } = await loadVerification(runtime, serviceId);
    if (!state || state.state === 'removed' || state.nextCheckAt === null || Date.parse(state.nextCheckAt) > now.getTime()) {
      await releaseClaim(runtime.db, state, serviceId, now, new Date(now.getTime() + this.options.leaseMs));
      return;
    }
    const run = await this.checker.check(state);
    const write = await writeVerification(
      runtime,
      serviceId,
      () => ({
        type: 'recordCheck',
        trigger: 'scheduled',
        recordName: run.recordName,
        recordValue: run.recordValue,
        outcome: run.outcome,
        startedAt: run.startedAt,
        now: run.endedAt,
      }),
      { principal: `service:${runtime.service}`, correlationId: `recheck-${serviceId}-${run.startedAt}` },
    );
    this.countCheck('scheduled', run.outcome.result);
    if (write.events.length === 0) {
      const after = this.clock();
      await releaseClaim(runtime.db, write.state, serviceId, after, new Date(after.getTime() + this.options.leaseMs));
    }
    this.completed++;
  }
}
