import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  DeadLetter,
  DeadLetterSink,
  MessageEnvelope,
  OutgoingMessage,
  REPLAY_FOR_GROUP_HEADER,
  REPLAY_OF_HEADER,
} from '@privatelink/contracts';

/**
 * The schema of operational records that belong to no one service: every service writes its dead letters
 * here and endpoint-api's ops routes read them, so ops sees all of them in one list. It holds no domain
 * state (no aggregate, no read model), so it does not break the rule that a service reads only its own
 * tables; every service's database role must be allowed to create it (they share one database).
 */
export const OPS_SCHEMA = 'ops';

export type DeadLetterState = 'pending' | 'replayed';

/** A dead letter as ops sees it (the `GET /v1/ops/dead-letters` item). */
export interface DeadLetterView {
  deadLetterId: string;
  topic: string;
  consumerGroup: string;
  messageKey: string;
  messageId: string | null;
  messageType: string | null;
  error: { name: string; message: string };
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  state: DeadLetterState;
  replayedAt?: string;
}

interface Row {
  seq: string;
  dead_letter_id: string;
  topic: string;
  consumer_group: string;
  message_key: string;
  message_id: string | null;
  message_type: string | null;
  message_value: string;
  headers: Record<string, string>;
  error_name: string;
  error_message: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  state: DeadLetterState;
  replayed_at: Date | null;
}

export type ReplayResult =
  | { outcome: 'replayed'; deadLetter: DeadLetterView }
  | { outcome: 'not-found' }
  | { outcome: 'already-replayed'; deadLetter: DeadLetterView }
  | { outcome: 'undecodable'; deadLetter: DeadLetterView };

/**
 * Creates the ops schema and its dead-letter table if missing. Idempotent; under an advisory lock, because
 * every service runs it at start and `CREATE SCHEMA IF NOT EXISTS` races with itself.
 */
export async function ensureOpsTables(db: DataSource): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${OPS_SCHEMA}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${OPS_SCHEMA}`);
    await runner.query(`
      CREATE TABLE IF NOT EXISTS ${OPS_SCHEMA}.dead_letters (
        seq             bigserial PRIMARY KEY,
        dead_letter_id  uuid NOT NULL UNIQUE,
        topic           text NOT NULL,
        consumer_group  text NOT NULL,
        source          text NOT NULL,
        message_key     text NOT NULL,
        message_id      text,
        message_type    text,
        message_value   text NOT NULL,
        headers         jsonb NOT NULL,
        error_name      text NOT NULL,
        error_message   text NOT NULL,
        attempts        integer NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at  timestamptz NOT NULL,
        state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'replayed')),
        replayed_at     timestamptz,
        UNIQUE (consumer_group, source)
      )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS dead_letters_state_seq ON ${OPS_SCHEMA}.dead_letters (state, seq)`);
    await runner.query(`CREATE INDEX IF NOT EXISTS dead_letters_topic_seq ON ${OPS_SCHEMA}.dead_letters (topic, seq)`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${OPS_SCHEMA}`]).catch(() => undefined);
    await runner.release();
  }
}

/** Dead letters in Postgres: written by the consumer that gives up on a message, listed and replayed by ops. */
export class DeadLetterStore implements DeadLetterSink {
  constructor(private readonly db: DataSource) {}

  /** Stores a dead letter once per delivery (a redelivered poison message after a crash is not listed twice). */
  async record(letter: DeadLetter): Promise<void> {
    const envelope = decode(letter.value);
    const messageId = letter.headers['message-id'] ?? idOf(envelope) ?? null;
    const messageType = letter.headers['message-type'] ?? (typeof envelope?.type === 'string' ? envelope.type : null);
    await this.db.query(
      `INSERT INTO ${OPS_SCHEMA}.dead_letters
         (dead_letter_id, topic, consumer_group, source, message_key, message_id, message_type, message_value, headers,
          error_name, error_message, attempts, first_failed_at, last_failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (consumer_group, source) DO NOTHING`,
      [
        randomUUID(),
        letter.topic,
        letter.consumerGroup,
        letter.source,
        letter.key,
        messageId,
        messageType,
        letter.value,
        JSON.stringify(letter.headers),
        letter.error.name.slice(0, 200),
        letter.error.message.slice(0, 2_000),
        letter.attempts,
        letter.firstFailedAt.toISOString(),
        letter.lastFailedAt.toISOString(),
      ],
    );
  }

  /** One page in the order they were recorded, after the row `afterSeq` (keyset pagination). */
  async list(query: {
    state?: DeadLetterState;
    topic?: string;
    afterSeq?: string;
    limit: number;
  }): Promise<Array<{ seq: string; deadLetter: DeadLetterView }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.state) add('state = ?', query.state);
    if (query.topic) add('topic = ?', query.topic);
    if (query.afterSeq) add('seq > ?::bigint', query.afterSeq);
    params.push(query.limit);
    const rows: Row[] = await this.db.query(
      `SELECT * FROM ${OPS_SCHEMA}.dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ seq: String(r.seq), deadLetter: toView(r) }));
  }

  async get(deadLetterId: string): Promise<DeadLetterView | undefined> {
    if (!isUuid(deadLetterId)) return undefined;
    const rows: Row[] = await this.db.query(`SELECT * FROM ${OPS_SCHEMA}.dead_letters WHERE dead_letter_id = $1`, [deadLetterId]);
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /**
   * Re-publishes the original message, with its headers, to its topic for its consumer group only, and
   * marks the dead letter replayed. The row is locked while it is published, so two replays cannot both
   * publish; when the publish fails nothing changes (the error is thrown and the letter stays pending).
   */
  async replay(deadLetterId: string, publish: (message: OutgoingMessage) => Promise<void>): Promise<ReplayResult> {
    if (!isUuid(deadLetterId)) return { outcome: 'not-found' };
    return this.db.transaction(async (tx) => {
      const rows: Row[] = await tx.query(`SELECT * FROM ${OPS_SCHEMA}.dead_letters WHERE dead_letter_id = $1 FOR UPDATE`, [deadLetterId]);
      const row = rows[0];
      if (!row) return { outcome: 'not-found' as const };
      if (row.state === 'replayed') return { outcome: 'already-replayed' as const, deadLetter: toView(row) };
      const value = decode(row.message_value);
      if (!value) return { outcome: 'undecodable' as const, deadLetter: toView(row) };
      const { [REPLAY_FOR_GROUP_HEADER]: _group, [REPLAY_OF_HEADER]: _of, ...original } = row.headers;
      await publish({
        topic: row.topic,
        key: row.message_key,
        value,
        headers: { ...original, [REPLAY_FOR_GROUP_HEADER]: row.consumer_group, [REPLAY_OF_HEADER]: row.dead_letter_id },
      });
      // (TypeORM answers an UPDATE ... RETURNING with [rows, count].)
      const [updated]: [Row[], number] = await tx.query(
        `UPDATE ${OPS_SCHEMA}.dead_letters SET state = 'replayed', replayed_at = now() WHERE dead_letter_id = $1 RETURNING *`,
        [deadLetterId],
      );
      return { outcome: 'replayed' as const, deadLetter: toView(updated[0]) };
    });
  }
}

function toView(r: Row): DeadLetterView {
  return {
    deadLetterId: r.dead_letter_id,
    topic: r.topic,
    consumerGroup: r.consumer_group,
    messageKey: r.message_key,
    messageId: r.message_id,
    messageType: r.message_type,
    error: { name: r.error_name, message: r.error_message },
    attempts: r.attempts,
    firstFailedAt: new Date(r.first_failed_at).toISOString(),
    lastFailedAt: new Date(r.last_failed_at).toISOString(),
    state: r.state,
    ...(r.replayed_at ? { replayedAt: new Date(r.replayed_at).toISOString() } : {}),
  };
}

/** The envelope, when the text is a JSON object; undefined when it cannot be decoded. */
function decode(text: string): MessageEnvelope | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as MessageEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

function idOf(envelope: MessageEnvelope | undefined): string | undefined {
  if (!envelope) return undefined;
  const e = envelope as { eventId?: unknown; commandId?: unknown };
  const id = typeof e.eventId === 'string' ? e.eventId : typeof e.commandId === 'string' ? e.commandId : undefined;
  return id && envelope.kind === 'outcome' ? `${id}:outcome` : id;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
