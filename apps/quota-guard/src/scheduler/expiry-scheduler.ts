import { Clock, Logger, PolledJob, Store } from '@privatelink/platform';
import { Ledgers } from '../handlers/ledger-writes';

export interface ExpirySchedulerOptions {
  /** How often the loop looks for lapsed reservations when none were due (real time: a poll, not the truth). */
  pollMs: number;
  /** Reservations looked at per round. */
  batchSize?: number;
}

/**
 * Gives back the capacity of reservations whose request died: a connection that never went live, a service
 * that was never created. The truth is `qg_holds.expires_at` in Postgres compared with the injectable clock,
 * so the loop only looks every `pollMs`, a test moves the clock, and a restarted instance resumes where the
 * table says. Several instances may run it: each ledger decides which of its reservations are due under
 * optimistic concurrency, so a reservation expires once, and one confirmed meanwhile does not expire.
 */
export class ExpiryScheduler extends PolledJob {
  /** Reservations expired by this instance (tests and metrics read it). */
  expired = 0;

  constructor(
    private readonly store: Store,
    private readonly ledgers: Ledgers,
    private readonly clock: Clock,
    private readonly options: ExpirySchedulerOptions,
    private readonly logger: Logger,
  ) {
    super(options.pollMs, logger, 'expiring lapsed quota reservations');
  }

  /** Expires every reservation due now (by the core's clock), ledger by ledger; resolves with how many expired. */
  protected async round(): Promise<number> {
    const now = this.clock();
    const rows: Array<{ holder_id: string; ledger_id: string }> = await this.store.db.query(
      `SELECT holder_id, ledger_id FROM qg_holds WHERE status = 'reserved' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now.toISOString(), this.options.batchSize ?? 500],
    );
    const byLedger = new Map<string, string[]>();
    for (const r of rows) byLedger.set(r.ledger_id, [...(byLedger.get(r.ledger_id) ?? []), r.holder_id]);
    let total = 0;
    for (const [ledgerId, holderIds] of byLedger) {
      const expired = await this.ledgers.expireInLedger(ledgerId, holderIds, this.store.reaction(`expiry:${ledgerId}`));
      if (expired.length > 0) this.logger.info({ ledgerId, holderIds: expired }, 'lapsed quota reservations expired');
      total += expired.length;
    }
    this.expired += total;
    if (total > 0) this.store.notifyAppended();
    return total;
  }
}
