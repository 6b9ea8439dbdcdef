import { randomUUID } from 'node:crypto';
import {
  CommandEnvelope,
  CommandOutcome,
  EventEnvelope,
  EventMetadata,
  NewEvent,
  parseStreamId,
  withActiveTraceContext,
  payloadOf,
} from '@privatelink/contracts';
import { StreamVersionConflict } from './errors';
import { Sql, pgErrorCode, pgErrorCodes, preparedQuery } from './sql';
import { Aggregate, EntryKeys, Loaded, SnapshotWrite, foldFromStart, stateFromSnapshot } from './snapshots';

export interface AppendResult {
  /** The stream version after the append. */
  streamVersion: number;
  /** Global position of the last appended event: what a read-your-writes read waits for. */
  position: string;
  events: EventEnvelope[];
}

export interface AppendOptions {
  /** Who and why; occurredAt defaults to the store's clock. */
  metadata: Omit<EventMetadata, 'occurredAt'> & { occurredAt?: string };
  /** A snapshot of the state after these events, written by the same statement (see `snapshotToWrite`). */
  snapshot?: SnapshotWrite;
}

type Listener = () => void;
/** Told of every stream load: how many events it folded, onto a snapshot or from the stream's start. */
type LoadListener = (streamId: string, folded: number, from: 'snapshot' | 'start') => void;

const columns = `position, event_id, stream_id, stream_version, type, schema_version, payload, metadata, occurred_at`;

/**
 * Postgres event store. An append is ONE insert statement, so it is its own transaction and costs one
 * round trip; pass a transaction's `Sql` to append inside it. The event rows are also the outbox: the
 * relay publishes them in commit-safe order from its checkpoint (see OutboxRelay).
 */
export class EventStore {
  private readonly listeners = new Set<Listener>();
  private readonly loadListeners = new Set<LoadListener>();

  constructor(
    private readonly db: Sql,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Appends `events` to `streamId` if the stream is exactly at `expectedVersion` (0 = new stream).
   * A stale version raises StreamVersionConflict and writes nothing.
   */
  async append(streamId: string, expectedVersion: number, events: NewEvent[], options: AppendOptions, tx?: Sql): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    parseStreamId(streamId); // refuses a stream id of no known family before anything is written
    const occurredAt = options.metadata.occurredAt ?? this.clock().toISOString();
    const ids = events.map(() => randomUUID());
    // The active span's trace context (an HTTP request's, a consumer's) goes with the events.
    const metadata = JSON.stringify(
      withActiveTraceContext({ ...options.metadata, occurredAt, causationId: options.metadata.causationId ?? null }),
    );
    let rows: Array<{ position: string; stream_version: number }>;
    const params = [
      ids,
      streamId,
      expectedVersion,
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion ?? 1),
      events.map((e) => JSON.stringify(e.payload)),
      metadata,
      occurredAt,
    ];
    try {
      rows = options.snapshot
        ? await preparedQuery(tx ?? this.db, 'es_append_snapshot', appendWithSnapshotSql, [
            ...params,
            ...snapshotParams(options.snapshot, events.length),
          ])
        : await preparedQuery(tx ?? this.db, 'es_append', appendSql, params);
    } catch (error) {
      if (pgErrorCode(error) === pgErrorCodes.uniqueViolation) throw new StreamVersionConflict(streamId, expectedVersion);
      throw error;
    }
    if (rows.length !== events.length) throw new StreamVersionConflict(streamId, expectedVersion);
    if (!tx) this.notifyAppended();
    // The envelopes are built from what was sent; only the positions come back (less to return and parse).
    const metadataObject = JSON.parse(metadata) as EventMetadata;
    const envelopes: EventEnvelope[] = rows
      .map((r) => ({ position: String(r.position), version: Number(r.stream_version) }))
      .sort((a, b) => a.version - b.version)
      .map(({ position, version }, i) => ({
        kind: 'event',
        eventId: ids[i],
        streamId,
        streamVersion: version,
        position,
        type: events[i].type,
        schemaVersion: events[i].schemaVersion ?? 1,
        payload: events[i].payload,
        metadata: metadataObject,
      }));
    return { streamVersion: expectedVersion + events.length, position: envelopes[envelopes.length - 1].position, events: envelopes };
  }

  /** Queues a command for the service that owns `targetId` (or any non-event message), published by the relay after `tx` commits. */
  async enqueue(topic: string, message: CommandEnvelope<object> | CommandOutcome<object>, tx?: Sql): Promise<void> {
    const traced = { ...message, metadata: withActiveTraceContext(message.metadata) };
    await (tx ?? this.db).query(`INSERT INTO es_outbox (topic, message_key, message) VALUES ($1, $2, $3)`, [
      topic,
      message.targetId,
      JSON.stringify(traced),
    ]);
    if (!tx) this.notifyAppended();
  }

  /** Every event of one stream, in version order. */
  async readStream(streamId: string, fromVersion = 1, tx?: Sql): Promise<EventEnvelope[]> {
    const rows: EventRow[] = await preparedQuery(
      tx ?? this.db,
      'es_read_stream',
      `SELECT ${columns} FROM es_events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map(toEnvelope);
  }

  /**
   * A stream's state for a command, at a cost that does not grow with the stream: the decider's usable
   * snapshot (same state schema version) and the events after it, in one statement; with no usable
   * snapshot, the whole stream. A keyed state loads only the entries of `keys`. Pass the result to the
   * append (ServiceRuntime.handle does) so the snapshot stays current.
   */
  async load<S, E extends { type: string }>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    options: { keys?: EntryKeys; tx?: Sql } = {},
  ): Promise<Loaded<S, E>> {
    const policy = aggregate.snapshots;
    const keys = options.keys ?? 'all';
    if (!policy) return this.loadFromStart(streamId, aggregate, options.tx);
    const [row] = await preparedQuery(options.tx ?? this.db, 'es_load_snapshot', loadSql, [
      streamId,
      policy.schemaVersion,
      policy.keyed !== undefined,
      keys === 'all' ? null : [...keys],
    ]);
    const loaded = stateFromSnapshot(
      aggregate,
      {
        snapshotVersion: row.snapshot_version === null ? null : Number(row.snapshot_version),
        state: row.state,
        tail: row.tail,
        entries: row.entries,
      },
      keys,
    );
    if (loaded) return this.loaded(streamId, loaded);
    // A keyed snapshot behind its stream: replay from the start; the next append stores every entry again.
    return this.loadFromStart(streamId, aggregate, options.tx);
  }

  private async loadFromStart<S, E extends { type: string }>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    tx?: Sql,
  ): Promise<Loaded<S, E>> {
    const events = await this.readStream(streamId, 1, tx);
    return this.loaded(
      streamId,
      foldFromStart(
        aggregate,
        events.map((e) => payloadOf<E>(e)),
      ),
    );
  }

  private loaded<S, E>(streamId: string, loaded: Loaded<S, E>): Loaded<S, E> {
    for (const l of this.loadListeners) l(streamId, loaded.replayed, loaded.snapshotVersion > 0 ? 'snapshot' : 'start');
    return loaded;
  }

  /** The service runtime counts here how much each load folds (a stream that should have a snapshot shows up). */
  onLoaded(listener: LoadListener): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  /** Rebuilds state from a stream with a decider's `evolve`, ignoring snapshots (the truth); version 0 means the stream does not exist. */
  async aggregate<S, E extends { type: string }>(
    streamId: string,
    evolve: (state: S, event: E) => S,
    initial: S,
    tx?: Sql,
  ): Promise<{ state: S; version: number }> {
    const events = await this.readStream(streamId, 1, tx);
    for (const l of this.loadListeners) l(streamId, events.length, 'start');
    let state = initial;
    for (const e of events) state = evolve(state, payloadOf<E>(e));
    return { state, version: events.length === 0 ? 0 : events[events.length - 1].streamVersion };
  }

  /**
   * The global log after `afterPosition`, only as far as every transaction is settled: rows whose
   * transaction is below the oldest still-running one. A late commit therefore shows up in a later
   * read instead of being skipped. Order is commit-safe: (transaction id, position).
   */
  async readAll(afterPosition: string | null, limit = 1000, tx?: Sql): Promise<EventEnvelope[]> {
    const rows: EventRow[] = await (tx ?? this.db).query(
      `SELECT ${columns} FROM es_events
       WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) AND ($1::bigint IS NULL OR position > $1::bigint)
       ORDER BY position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map(toEnvelope);
  }

  /** The highest position of a settled event (what readAll will reach); '0' when empty. */
  async settledHead(tx?: Sql): Promise<string> {
    const [row] = await (tx ?? this.db).query(
      `SELECT coalesce(max(position), 0)::text AS head FROM es_events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
    );
    return row.head;
  }

  /** The outbox relay subscribes here to publish right after a local append instead of waiting for its poll. */
  onAppended(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the owner of an outer transaction after it commits an append made with `tx`. */
  notifyAppended(): void {
    for (const l of this.listeners) l();
  }
}

// One statement, so one transaction and one round trip. The stream version is the concurrency guard:
// a writer that decided on an old version collides on (stream_id, stream_version), and one that names
// a version the stream never reached finds no row at `expectedVersion` and inserts nothing.
const appendSql = `INSERT INTO es_events (event_id, stream_id, stream_version, type, schema_version, payload, metadata, occurred_at)
   SELECT e.event_id, $2, $3::int + e.ord::int, e.type, e.schema_version, e.payload, $7::jsonb, $8::timestamptz
   FROM unnest($1::uuid[], $4::text[], $5::int[], $6::jsonb[]) WITH ORDINALITY AS e(event_id, type, schema_version, payload, ord)
   WHERE $3::int = 0 OR EXISTS (SELECT 1 FROM es_events WHERE stream_id = $2 AND stream_version = $3::int)
   RETURNING position, stream_version`;

// The same append, and the snapshot after it in the same statement: written only when every event went in
// (the events' insert runs first, as the others read its count), so a snapshot is never ahead of its
// stream, and a conflicting append writes none. Keyed entries: $12/$13 are stored, $14 dropped, and with
// $15 (a full rewrite) every other entry of the stream goes too. The two deletes stay apart: one OR of
// both would make the (prepared, generic) plan read every entry of the stream on every append.
const appendWithSnapshotSql = `WITH ins AS (${appendSql}),
   done AS (SELECT count(*) = $10::int AS ok FROM ins),
   snap AS (
     INSERT INTO es_snapshots (stream_id, state_schema, stream_version, state)
     SELECT $2, $9::int, $3::int + $10::int, $11::jsonb FROM done WHERE done.ok
     ON CONFLICT (stream_id) DO UPDATE
       SET state_schema = EXCLUDED.state_schema, stream_version = EXCLUDED.stream_version, state = EXCLUDED.state, taken_at = now()),
   put AS (
     INSERT INTO es_snapshot_entries (stream_id, entry_key, state_schema, entry)
     SELECT $2, k.entry_key, $9::int, k.entry FROM unnest($12::text[], $13::jsonb[]) AS k(entry_key, entry), done WHERE done.ok
     ON CONFLICT (stream_id, entry_key) DO UPDATE SET state_schema = EXCLUDED.state_schema, entry = EXCLUDED.entry),
   drop_named AS (
     DELETE FROM es_snapshot_entries d USING done WHERE done.ok AND d.stream_id = $2 AND d.entry_key = ANY($14::text[])),
   drop_rest AS (
     DELETE FROM es_snapshot_entries d USING done WHERE $15::boolean AND done.ok AND d.stream_id = $2 AND NOT d.entry_key = ANY($12::text[]))
   SELECT position, stream_version FROM ins`;

function snapshotParams(snapshot: SnapshotWrite, eventCount: number): unknown[] {
  const put = (snapshot.entries ?? []).filter(([, v]) => v !== null);
  const drop = (snapshot.entries ?? []).filter(([, v]) => v === null).map(([k]) => k);
  return [
    snapshot.schemaVersion,
    eventCount,
    JSON.stringify(snapshot.state),
    put.map(([k]) => k),
    put.map(([, v]) => JSON.stringify(v)),
    drop,
    snapshot.replaceEntries === true,
  ];
}

// The usable snapshot (same schema version), the events after it (all of them without one) and, for a
// keyed state, the entries asked for ($4 null: all): one round trip whatever the stream's length. The
// CASE runs one of its two lookups; a single `$4 IS NULL OR key = ANY($4)` would read every entry of the
// stream under the prepared statement's generic plan.
const loadSql = `SELECT s.stream_version AS snapshot_version, s.state,
     (SELECT coalesce(jsonb_agg(e.payload ORDER BY e.stream_version), '[]'::jsonb) FROM es_events e
       WHERE e.stream_id = $1 AND e.stream_version > coalesce(s.stream_version, 0)) AS tail,
     CASE WHEN NOT $3::boolean OR s.stream_id IS NULL THEN '[]'::jsonb
          WHEN $4::text[] IS NULL THEN
            (SELECT coalesce(jsonb_agg(jsonb_build_array(x.entry_key, x.entry)), '[]'::jsonb) FROM es_snapshot_entries x
              WHERE x.stream_id = $1 AND x.state_schema = $2::int)
          ELSE
            (SELECT coalesce(jsonb_agg(jsonb_build_array(x.entry_key, x.entry)), '[]'::jsonb) FROM es_snapshot_entries x
              WHERE x.stream_id = $1 AND x.entry_key = ANY($4::text[]) AND x.state_schema = $2::int)
     END AS entries
   FROM (SELECT 1) AS one LEFT JOIN es_snapshots s ON s.stream_id = $1 AND s.state_schema = $2::int`;

export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  payload: Record<string, unknown>;
  metadata: EventMetadata;
  occurred_at: Date | string;
}

export function toEnvelope(row: EventRow): EventEnvelope {
  return {
    kind: 'event',
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: String(row.position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    payload: row.payload,
    metadata: row.metadata,
  };
}
