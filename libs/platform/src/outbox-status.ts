import { DataSource } from 'typeorm';
import { OutboxStatus } from './ops-metrics';

/**
 * The outbox of one service's store as its relay sees it: events after the relay's checkpoint plus the
 * queued commands, and how long the oldest of those events has waited (its commit time is not stored, so
 * its occurred-at stands in: the two are the same transaction, milliseconds apart).
 */
export async function readOutboxStatus(db: DataSource, relayName: string): Promise<OutboxStatus> {
  const [row] = await db.query(
    `WITH pending AS (
       SELECT e.occurred_at FROM es_events e
       WHERE (e.transaction_id, e.position) >
             coalesce((SELECT (c.transaction_id, c.position) FROM es_relay_checkpoints c WHERE c.relay = $1), ('0'::xid8, 0::bigint)))
     SELECT (SELECT count(*) FROM pending) + (SELECT count(*) FROM es_outbox) AS backlog,
            coalesce(extract(epoch FROM clock_timestamp() - (SELECT min(occurred_at) FROM pending)), 0) AS lag`,
    [relayName],
  );
  return { backlog: Number(row?.backlog ?? 0), lagSeconds: Math.max(0, Number(row?.lag ?? 0)) };
}
