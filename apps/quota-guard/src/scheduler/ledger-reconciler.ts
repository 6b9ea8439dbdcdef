import { Logger, PolledJob, Store } from '@privatelink/platform';
import { Ledgers } from '../handlers/ledger-writes';

/** Connection states after which a connection holds no capacity (its release was sent when it got there). */
export const ENDED_CONNECTION_STATES = ['failed', 'rejected', 'deleting', 'deleted'] as const;
/** Connection states in which it holds its capacity for good (attached to the service). */
export const LIVE_CONNECTION_STATES = ['pendingAcceptance', 'available'] as const;

/** Holders corrected per round. */
const BATCH = 500;

/**
 * Recounts the connection holds against what quota-guard knows of the connections (`qg_connections`), so
 * a lost message is corrected instead of leaked:
 * - a connection that ended (failed, rejected, deleting, deleted) but still holds capacity (reserved or
 *   confirmed): its release never arrived; it is released now;
 * - a live connection (pendingAcceptance, available) whose hold is still only reserved, or lapsed: its
 *   confirmation never arrived; it is confirmed now (a lapsed one reinstated: the endpoint exists).
 * Each correction is the same ledger write the lost message would have made (quotaReleased,
 * quotaReservationConfirmed / quotaReservationReinstated), in a transaction of its own under the ledgers'
 * optimistic concurrency, so it is safe beside the messages arriving late and beside other instances.
 */
export class LedgerReconciler extends PolledJob {
  /** Corrections made by this instance (tests and logs read it). */
  corrected = 0;

  constructor(
    private readonly store: Store,
    private readonly ledgers: Ledgers,
    private readonly corrections: { inc(labels: { kind: string }, value: number): void },
    pollMs: number,
    private readonly logger: Logger,
  ) {
    super(pollMs, logger, 'recounting the connection holds');
  }

  protected round(): Promise<number> {
    return this.reconcile();
  }

  /** One recount: corrects what disagrees; resolves with how many connections it corrected. */
  async reconcile(): Promise<number> {
    const rows: Array<{ holder_id: string; state: string }> = await this.store.db.query(
      `SELECT DISTINCT h.holder_id, c.state
         FROM qg_holds h JOIN qg_connections c ON c.vpc_endpoint_id = h.holder_id
        WHERE (h.status IN ('reserved', 'confirmed') AND c.state = ANY($1))
           OR (h.status IN ('reserved', 'expired') AND c.state = ANY($2))
        LIMIT $3`,
      [ENDED_CONNECTION_STATES, LIVE_CONNECTION_STATES, BATCH],
    );
    let corrected = 0;
    for (const { holder_id: holderId, state } of rows) {
      if (this.loop.stopping) break;
      const release = (ENDED_CONNECTION_STATES as readonly string[]).includes(state);
      const context = this.store.reaction(`ledger-reconcile:${holderId}`);
      const changed = await this.store.transact((tx) =>
        release ? this.ledgers.releaseHolder(tx, holderId, context) : this.ledgers.confirmHolder(tx, holderId, context),
      );
      if (changed === 0) continue; // the late message got there first
      corrected += 1;
      this.corrections.inc({ kind: release ? 'release' : 'confirm' }, 1);
      this.logger.warn(
        { vpcEndpointId: holderId, connectionState: state, ledgers: changed },
        release
          ? 'lost quota release corrected: the ended connection no longer holds capacity'
          : 'lost quota confirmation corrected: the live connection holds its capacity for good',
      );
    }
    this.corrected += corrected;
    if (corrected > 0) this.store.notifyAppended();
    // A full batch may have more behind it: look again at once.
    return rows.length === BATCH ? corrected || 1 : corrected;
  }
}
