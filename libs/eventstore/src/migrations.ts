import { sqlMigration } from './sql-migration';

/**
 * The event store: an append-only log. `transaction_id` lets readers see only rows whose transaction
 * committed below every still-open one (DESIGN.md section 3), so a late commit is never skipped; it is
 * also what makes the event table its own transactional outbox (Emmett's approach).
 */
export const CreateEventStore1764230400000 = sqlMigration('CreateEventStore1764230400000', {
  up: [
    `
      CREATE TABLE es_events (
        position        bigserial   PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid        NOT NULL UNIQUE,
        stream_id       text        NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        type            text        NOT NULL,
        schema_version  integer     NOT NULL,
        payload         jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        occurred_at     timestamptz NOT NULL,
        CONSTRAINT es_events_stream_version UNIQUE (stream_id, stream_version)
      )`,
    // The relay reads events in (transaction id, position) order after its checkpoint.
    `CREATE INDEX es_events_transaction ON es_events (transaction_id, position)`,
    // The event rows are their own outbox: the relay publishes them from a checkpoint, so an append is one
    // insert. Per relay: the last (transaction id, position) it published.
    `
      CREATE TABLE es_relay_checkpoints (
        relay           text   PRIMARY KEY,
        transaction_id  xid8   NOT NULL DEFAULT '0',
        position        bigint NOT NULL DEFAULT 0
      )`,
    // Messages that are not events (commands forwarded to the service that owns a stream), committed
    // with the writer's transaction and deleted once published.
    `
      CREATE TABLE es_outbox (
        position        bigserial PRIMARY KEY,
        transaction_id  xid8      NOT NULL DEFAULT pg_current_xact_id(),
        topic           text      NOT NULL,
        message_key     text      NOT NULL,
        message         jsonb     NOT NULL
      )`,
    // Consumers record what they processed in the same transaction as the effect (idempotency).
    `
      CREATE TABLE msg_processed (
        consumer_group  text        NOT NULL,
        message_id      text        NOT NULL,
        processed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, message_id)
      )`,
    // Projection checkpoints: one row per projection and stream, advanced with the read model.
    `
      CREATE TABLE proj_checkpoints (
        projection      text    NOT NULL,
        stream_id       text    NOT NULL,
        stream_version  integer NOT NULL,
        position        bigint  NOT NULL,
        PRIMARY KEY (projection, stream_id)
      )`,
  ],
  down: ['DROP TABLE proj_checkpoints, msg_processed, es_outbox, es_relay_checkpoints, es_events'],
});

/**
 * Snapshots: a cache of a stream's folded state, written in the same statement as the append it follows
 * (so it is never ahead of or behind a committed stream), under the decider's state schema version. A
 * keyed state (a ledger's holders) keeps its summary in `es_snapshots` and one row per key in
 * `es_snapshot_entries`, so a command loads only the keys it reads. Dropping both tables loses nothing.
 */
export const CreateSnapshots1765000000000 = sqlMigration('CreateSnapshots1765000000000', {
  up: [
    `
      CREATE TABLE es_snapshots (
        stream_id       text        PRIMARY KEY,
        state_schema    integer     NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        state           jsonb       NOT NULL,
        taken_at        timestamptz NOT NULL DEFAULT now()
      )`,
    `
      CREATE TABLE es_snapshot_entries (
        stream_id     text    NOT NULL,
        entry_key     text    NOT NULL,
        state_schema  integer NOT NULL,
        entry         jsonb   NOT NULL,
        PRIMARY KEY (stream_id, entry_key)
      )`,
  ],
  down: ['DROP TABLE es_snapshot_entries, es_snapshots'],
});

export const eventStoreMigrations = [CreateEventStore1764230400000, CreateSnapshots1765000000000];
