import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, parseStreamId } from '@privatelink/contracts';
import { EventStore, assertSqlIdentifier } from '@privatelink/eventstore';
import { DocumentProjection } from './projection';
import { applyToRow } from './projection-runner';

export interface RebuildProgress {
  projection: string;
  phase: 'replaying' | 'writing' | 'swapping' | 'done';
  events: number;
  total: number;
  eventsPerSecond: number;
}

export interface RebuildResult {
  events: number;
  rows: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Replays the event store into a fresh copy of the read model, then swaps it in, while the live table keeps
 * serving reads and the live runner keeps applying. The replay folds documents in memory (the projection is
 * pure) and writes them in bulk; the swap takes the table lock briefly, replays what arrived meanwhile and
 * anything the live runner applied that the replay had not yet seen, then renames.
 */
export async function rebuildProjection<Doc>(
  db: DataSource,
  store: EventStore,
  projection: DocumentProjection<Doc>,
  options: { batchSize?: number; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const started = Date.now();
  const live = assertSqlIdentifier(projection.table, 'projection table');
  const shadow = `${live}__rebuild`;
  const shadowCheckpoints = assertSqlIdentifier(`proj_ckpt__rebuild_${projection.name.replace(/[^a-z0-9_]/g, '_')}`);
  const batchSize = options.batchSize ?? 10_000;
  const families = new Set<string>(projection.families);
  const report = (phase: RebuildProgress['phase'], events: number, total: number) =>
    options.onProgress?.({ projection: projection.name, phase, events, total, eventsPerSecond: rate(events, started) });

  await db.query(`DROP TABLE IF EXISTS ${shadow}, ${shadowCheckpoints}`);
  await db.query(`CREATE TABLE ${shadow} (LIKE ${live} INCLUDING ALL)`);
  await db.query(
    `CREATE TABLE ${shadowCheckpoints} (stream_id text PRIMARY KEY, stream_version integer NOT NULL, position bigint NOT NULL)`,
  );

  // 1. Fold the whole settled log in memory.
  const docs = new Map<string, Doc | undefined>();
  const checkpoints = new Map<string, { version: number; position: string }>();
  const total = Number(await store.settledHead());
  let after: string | null = null;
  let events = 0;
  for (;;) {
    const batch: EventEnvelope[] = await store.readAll(after, batchSize);
    if (batch.length === 0) break;
    for (const event of batch) {
      after = event.position;
      if (!families.has(parseStreamId(event.streamId).family)) continue;
      const id = projection.rowIdOf(event);
      if (id !== null) docs.set(id, projection.evolve(docs.has(id) ? docs.get(id) : undefined, event));
      checkpoints.set(event.streamId, { version: event.streamVersion, position: event.position });
      events++;
    }
    report('replaying', Number(after), total);
  }

  // 2. Write the documents and checkpoints in bulk.
  report('writing', events, events);
  const rows = [...docs].filter(([, doc]) => doc !== undefined) as Array<[string, Doc]>;
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await db.query(`INSERT INTO ${shadow} (id, doc) SELECT * FROM unnest($1::text[], $2::jsonb[])`, [
      chunk.map(([id]) => id),
      chunk.map(([, doc]) => JSON.stringify(doc)),
    ]);
  }
  const ckpts = [...checkpoints];
  for (let i = 0; i < ckpts.length; i += 5_000) {
    const chunk = ckpts.slice(i, i + 5_000);
    await db.query(`INSERT INTO ${shadowCheckpoints} SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])`, [
      chunk.map(([s]) => s),
      chunk.map(([, c]) => c.version),
      chunk.map(([, c]) => c.position),
    ]);
  }

  // 3. Swap: lock out the live runner (checkpoints first, the same order it uses), catch up, rename.
  report('swapping', events, events);
  await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE proj_checkpoints IN SHARE ROW EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE ${live} IN ACCESS EXCLUSIVE MODE`);
    for (;;) {
      const batch: EventEnvelope[] = await store.readAll(after, batchSize, tx);
      if (batch.length === 0) break;
      for (const event of batch) {
        after = event.position;
        if (families.has(parseStreamId(event.streamId).family)) events += await applyToShadow(tx, event);
      }
    }
    // Events the live runner applied that the settled log did not show yet (a transaction still open below them).
    const behind = await tx.query(
      `SELECT c.stream_id, coalesce(s.stream_version, 0) AS shadow_version, c.stream_version AS live_version
       FROM proj_checkpoints c LEFT JOIN ${shadowCheckpoints} s USING (stream_id)
       WHERE c.projection = $1 AND coalesce(s.stream_version, 0) < c.stream_version`,
      [projection.name],
    );
    for (const b of behind) {
      for (const event of await store.readStream(b.stream_id, Number(b.shadow_version) + 1, tx)) {
        if (event.streamVersion <= Number(b.live_version)) events += await applyToShadow(tx, event);
      }
    }
    await tx.query(`DELETE FROM proj_checkpoints WHERE projection = $1`, [projection.name]);
    await tx.query(
      `INSERT INTO proj_checkpoints (projection, stream_id, stream_version, position) SELECT $1, stream_id, stream_version, position FROM ${shadowCheckpoints}`,
      [projection.name],
    );
    await tx.query(`DROP TABLE ${live}`);
    await tx.query(`ALTER TABLE ${shadow} RENAME TO ${live}`);
    await tx.query(`DROP TABLE ${shadowCheckpoints}`);
  });
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM ${live}`);
  report('done', events, events);
  const seconds = (Date.now() - started) / 1000;
  return { events, rows: count, seconds, eventsPerSecond: rate(events, started) };

  async function applyToShadow(tx: EntityManager, event: EventEnvelope): Promise<number> {
    const advanced = await tx.query(
      `INSERT INTO ${shadowCheckpoints} (stream_id, stream_version, position) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, position = EXCLUDED.position
       WHERE ${shadowCheckpoints}.stream_version < EXCLUDED.stream_version RETURNING 1`,
      [event.streamId, event.streamVersion, event.position],
    );
    if (advanced.length === 0) return 0;
    await applyToRow(tx, projection, shadow, event);
    return 1;
  }
}

function rate(events: number, started: number): number {
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  return Math.round(events / seconds);
}
