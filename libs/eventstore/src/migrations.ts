import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store: an append-only log. `transaction_id` lets readers see only rows whose transaction
 * committed below every still-open one (DESIGN.md section 3), so a late commit is never skipped.
 */
export class CreateEventStore1764230400000 implements MigrationInterface {
  name = 'CreateEventStore1764230400000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
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
      )`);
    await db.query(`CREATE INDEX es_events_transaction ON es_events (transaction_id, position)`);
    // The outbox: one row per message to publish, committed with the events it announces.
    // Event rows point at es_events; forwarded commands carry their own message.
    await db.query(`
      CREATE TABLE es_outbox (
        position        bigserial PRIMARY KEY,
        transaction_id  xid8      NOT NULL DEFAULT pg_current_xact_id(),
        topic           text      NOT NULL,
        message_key     text      NOT NULL,
        event_position  bigint    REFERENCES es_events (position),
        message         jsonb,
        CHECK ((event_position IS NULL) <> (message IS NULL))
      )`);
    await db.query(`CREATE INDEX es_outbox_order ON es_outbox (transaction_id, position)`);
    // Consumers record what they processed in the same transaction as the effect (idempotency).
    await db.query(`
      CREATE TABLE msg_processed (
        consumer_group  text        NOT NULL,
        message_id      text        NOT NULL,
        processed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, message_id)
      )`);
    // Projection checkpoints: one row per projection and stream, advanced with the read model.
    await db.query(`
      CREATE TABLE proj_checkpoints (
        projection      text    NOT NULL,
        stream_id       text    NOT NULL,
        stream_version  integer NOT NULL,
        position        bigint  NOT NULL,
        PRIMARY KEY (projection, stream_id)
      )`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE proj_checkpoints, msg_processed, es_outbox, es_events');
  }
}

export const eventStoreMigrations = [CreateEventStore1764230400000];
