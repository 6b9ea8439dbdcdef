import { DataSource, EntityManager } from 'typeorm';
import { DeadLetterSink, EventEnvelope, eventTopicFor, isEventEnvelope, MessageTransport, Subscription } from '@privatelink/contracts';
import { assertSqlIdentifier, preparedQuery } from '@privatelink/eventstore';
import { DocumentProjection } from './projection';

export interface ProjectionRunnerOptions {
  onApplied?: (projection: string, event: EventEnvelope) => void;
  logger?: { warn(obj: object, msg?: string): void };
}

/**
 * Applies events to one projection. The per-stream checkpoint advances in the same transaction as the
 * row, and only forward: a redelivered or older event changes nothing (idempotent, at-least-once safe).
 */
export class ProjectionRunner<Doc> {
  private subscription?: Subscription;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(event: EventEnvelope) => void>();

  constructor(
    private readonly db: DataSource,
    readonly projection: DocumentProjection<Doc>,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    assertSqlIdentifier(projection.table, 'projection table');
  }

  /** Consumes the projection's topics in its own consumer group; `deadLetters` stores what it gives up on. */
  async start(transport: MessageTransport, groupPrefix: string, deadLetters?: DeadLetterSink): Promise<void> {
    this.subscription = await transport.subscribe({
      groupId: `${groupPrefix}.projection.${this.projection.name}`,
      topics: this.projection.families.map(eventTopicFor),
      deadLetters,
      handler: async (message) => {
        if (isEventEnvelope(message.value)) await this.apply(message.value);
      },
      // A consumer that fell behind catches up in one transaction per batch instead of one per event.
      batchHandler: async (messages) => {
        await this.applyAll(messages.map((m) => m.value).filter(isEventEnvelope));
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** Applies one event; false when it was already applied (or is older than the checkpoint). */
  async apply(event: EventEnvelope): Promise<boolean> {
    return (await this.applyAll([event]))[0];
  }

  /**
   * Applies events in their order in ONE transaction, with the same guarantee as one at a time: an event at
   * or below its stream's checkpoint changes nothing. Several events cost a fixed number of statements:
   * the streams' checkpoints and the rows they touch are read (locked, in key order) at once, the documents
   * evolve in memory, and one statement writes the rows and the checkpoints. Per event, whether it was
   * applied. All or nothing.
   */
  async applyAll(events: EventEnvelope[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const applied = await this.db.transaction((tx) =>
      events.length === 1 ? this.applyIn(tx, events[0]).then((a) => [a]) : this.applyBatchIn(tx, events),
    );
    events.forEach((event, i) => {
      if (!applied[i]) return;
      this.options.onApplied?.(this.projection.name, event);
      for (const l of this.listeners) l(event);
    });
    if (applied.some(Boolean)) for (const w of this.waiters) w();
    return applied;
  }

  private async applyBatchIn(tx: EntityManager, events: EventEnvelope[]): Promise<boolean[]> {
    const { name, table } = this.projection;
    const streams = [...new Set(events.map((e) => e.streamId))].sort();
    // A stream seen for the first time gets its checkpoint row now (version 0), so a concurrent batch of the
    // same stream (two members during a rebalance) waits on it and then reads what this one committed.
    await tx.query(
      `INSERT INTO proj_checkpoints (projection, stream_id, stream_version, position)
       SELECT $1, s, 0, 0 FROM unnest($2::text[]) AS s ON CONFLICT DO NOTHING`,
      [name, streams],
    );
    const checkpoints: Array<{ stream_id: string; stream_version: number }> = await tx.query(
      `SELECT stream_id, stream_version FROM proj_checkpoints WHERE projection = $1 AND stream_id = ANY($2::text[])
       ORDER BY stream_id FOR UPDATE`,
      [name, streams],
    );
    const at = new Map(checkpoints.map((c) => [c.stream_id, Number(c.stream_version)]));
    const fresh = events.map((e) => {
      const ok = e.streamVersion > (at.get(e.streamId) ?? 0);
      if (ok) at.set(e.streamId, e.streamVersion);
      return ok;
    });
    const ids = [...new Set(events.filter((_, i) => fresh[i]).map((e) => this.projection.rowIdOf(e)))].filter(
      (id): id is string => id !== null,
    );
    ids.sort();
    const rows: Array<{ id: string; doc: Doc }> =
      ids.length === 0 ? [] : await tx.query(`SELECT id, doc FROM ${table} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [ids]);
    const docs = new Map<string, Doc | undefined>(rows.map((r) => [r.id, r.doc]));
    const existed = new Set(docs.keys());
    events.forEach((event, i) => {
      if (!fresh[i]) return;
      const id = this.projection.rowIdOf(event);
      if (id !== null) docs.set(id, this.projection.evolve(docs.get(id), event));
    });
    const put = [...docs].filter(([, doc]) => doc !== undefined);
    const drop = [...docs].filter(([id, doc]) => doc === undefined && existed.has(id)).map(([id]) => id);
    const last = new Map<string, EventEnvelope>();
    events.forEach((e, i) => fresh[i] && last.set(e.streamId, e));
    await tx.query(
      `WITH put AS (
         INSERT INTO ${table} (id, doc) SELECT * FROM unnest($1::text[], $2::jsonb[])
         ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc),
       dropped AS (DELETE FROM ${table} WHERE id = ANY($3::text[]))
       UPDATE proj_checkpoints c SET stream_version = n.v, position = n.p
         FROM unnest($5::text[], $6::int[], $7::bigint[]) AS n(s, v, p)
        WHERE c.projection = $4 AND c.stream_id = n.s`,
      [
        put.map(([id]) => id),
        put.map(([, doc]) => JSON.stringify(doc)),
        drop,
        name,
        [...last.keys()],
        [...last.values()].map((e) => e.streamVersion),
        [...last.values()].map((e) => e.position),
      ],
    );
    return fresh;
  }

  private async applyIn(tx: EntityManager, event: EventEnvelope): Promise<boolean> {
    const advanced = await preparedQuery(
      tx,
      'proj_advance_checkpoint',
      `INSERT INTO proj_checkpoints (projection, stream_id, stream_version, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (projection, stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, position = EXCLUDED.position
       WHERE proj_checkpoints.stream_version < EXCLUDED.stream_version
       RETURNING 1`,
      [this.projection.name, event.streamId, event.streamVersion, event.position],
    );
    if (advanced.length === 0) return false;
    await applyToRow(tx, this.projection, this.projection.table, event);
    return true;
  }

  /** Called after each event this runner applied (benchmarks, tests). */
  onApplied(listener: (event: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The stream version this projection has applied ('read-your-writes' checks), 0 if none. */
  async checkpointOf(streamId: string): Promise<number> {
    const rows = await this.db.query(`SELECT stream_version FROM proj_checkpoints WHERE projection = $1 AND stream_id = $2`, [
      this.projection.name,
      streamId,
    ]);
    return rows.length === 0 ? 0 : Number(rows[0].stream_version);
  }

  /** Waits (bounded) until the projection has applied `streamId` up to `version`; false on timeout. */
  async waitFor(streamId: string, version: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.checkpointOf(streamId)) >= version) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 50));
        this.waiters.add(done);
      });
    }
  }
}

export async function applyToRow<Doc>(
  tx: EntityManager,
  projection: DocumentProjection<Doc>,
  table: string,
  event: EventEnvelope,
): Promise<void> {
  const id = projection.rowIdOf(event);
  if (id === null) return;
  const rows = await preparedQuery(tx, `proj_row_${table}`, `SELECT doc FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  const next = projection.evolve(rows[0]?.doc as Doc | undefined, event);
  if (next === undefined) {
    if (rows.length > 0) await tx.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
    return;
  }
  await preparedQuery(
    tx,
    `proj_upsert_${table}`,
    `INSERT INTO ${table} (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`,
    [id, JSON.stringify(next)],
  );
}
