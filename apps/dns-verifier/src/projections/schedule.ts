import { Sql, EventStore } from '@privatelink/eventstore';
import { PrivateDnsVerificationState, privateDnsVerificationDecider, PrivateDnsVerificationEvent } from '@privatelink/domain';
import { streamFamilies, payloadOf } from '@privatelink/contracts';

/**
 * The schedule as state (`dnsv_schedule`): the next check time per name, kept with the events that decide
 * it. Written in the writer's transaction; `rebuildSchedule` derives it again from the event store.
 */

/** Writes the row of a state at `version` (a removed verification leaves no row). Clears any lease. */
export async function saveSchedule(tx: Sql, state: PrivateDnsVerificationState, version: number): Promise<void> {
  if (state.state === 'removed') {
    await tx.query(`DELETE FROM dnsv_schedule WHERE service_id = $1 AND stream_version <= $2`, [state.serviceId, version]);
    return;
  }
  await tx.query(
    `INSERT INTO dnsv_schedule (service_id, private_dns_name, state, next_check_at, lease_until, stream_version, updated_at)
     VALUES ($1, $2, $3, $4, NULL, $5, now())
     ON CONFLICT (service_id) DO UPDATE SET
       private_dns_name = EXCLUDED.private_dns_name, state = EXCLUDED.state, next_check_at = EXCLUDED.next_check_at,
       lease_until = NULL, stream_version = EXCLUDED.stream_version, updated_at = now()
     WHERE dnsv_schedule.stream_version <= EXCLUDED.stream_version`,
    [state.serviceId, state.privateDnsName, state.state, state.nextCheckAt, version],
  );
}

/**
 * Claims up to `limit` rows due at `now` whose lease is free or expired, leasing them until `leaseUntil`.
 * SKIP LOCKED: several verifier instances claim disjoint rows.
 */
export async function claimDue(db: Sql, now: Date, leaseUntil: Date, limit: number): Promise<string[]> {
  const result: unknown = await db.query(
    `WITH due AS (
       SELECT service_id FROM dnsv_schedule
       WHERE next_check_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
       ORDER BY next_check_at
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     UPDATE dnsv_schedule s SET lease_until = $2 FROM due WHERE s.service_id = due.service_id
     RETURNING s.service_id`,
    [now.toISOString(), leaseUntil.toISOString(), limit],
  );
  return rowsOf<{ service_id: string }>(result).map((r) => r.service_id);
}

/** TypeORM answers an UPDATE ... RETURNING as [rows, affected count], a SELECT as rows. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** After a claimed check that changed nothing: the row follows the state, and stays leased if it is still due. */
export async function releaseClaim(
  db: Sql,
  state: PrivateDnsVerificationState | null,
  serviceId: string,
  now: Date,
  leaseUntil: Date,
): Promise<void> {
  if (!state || state.state === 'removed') {
    await db.query(`DELETE FROM dnsv_schedule WHERE service_id = $1`, [serviceId]);
    return;
  }
  const stillDue = state.nextCheckAt !== null && Date.parse(state.nextCheckAt) <= now.getTime();
  await db.query(`UPDATE dnsv_schedule SET next_check_at = $2, lease_until = $3 WHERE service_id = $1`, [
    serviceId,
    state.nextCheckAt,
    stillDue ? leaseUntil.toISOString() : null,
  ]);
}

/** The rows due at `now` and the next due time (for the ops view and the benchmark). */
export async function scheduleSummary(db: Sql, now: Date): Promise<{ names: number; due: number; nextDueAt: string | null }> {
  const [row] = await db.query(
    `SELECT count(*)::int AS names, count(*) FILTER (WHERE next_check_at <= $1)::int AS due, min(next_check_at) AS next FROM dnsv_schedule`,
    [now.toISOString()],
  );
  return { names: row.names, due: row.due, nextDueAt: row.next ? new Date(row.next).toISOString() : null };
}

/** Derives the whole schedule from the event store again (after a restore, or to repair it); run it in a transaction. */
export async function rebuildSchedule(db: Sql, store: EventStore): Promise<number> {
  const states = new Map<string, { state: PrivateDnsVerificationState | null; version: number }>();
  for (let after: string | null = null; ;) {
    const batch = await store.readAll(after, 10_000, db);
    if (batch.length === 0) break;
    for (const event of batch) {
      after = event.position;
      if (!event.streamId.startsWith(`${streamFamilies.privateDnsVerification}-`)) continue;
      const current = states.get(event.streamId) ?? { state: privateDnsVerificationDecider.initialState, version: 0 };
      states.set(event.streamId, {
        state: privateDnsVerificationDecider.evolve(current.state, payloadOf<PrivateDnsVerificationEvent>(event)),
        version: event.streamVersion,
      });
    }
  }
  await db.query(`DELETE FROM dnsv_schedule`);
  let rows = 0;
  for (const { state, version } of states.values()) {
    if (!state || state.state === 'removed') continue;
    await saveSchedule(db, state, version);
    rows++;
  }
  return rows;
}
