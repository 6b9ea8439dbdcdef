import { EventEnvelope, MessageTransport, OutgoingMessage } from '@privatelink/contracts';
import { DataSource, QueryRunner } from 'typeorm';
import { EventRow, toEnvelope } from './event-store';

export interface RelayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxRelayOptions {
  /** Name of the relay (one per service schema); also its advisory lock. */
  name: string;
  batchSize?: number;
  /** Poll interval when idle; an append in this process wakes the relay at once. */
  idlePollMs?: number;
  /** Longest pause between retries while the transport is down. */
  maxBackoffMs?: number;
  onPublished?: (count: number) => void;
  onLag?: (rows: number) => void;
}

interface OutboxRow extends EventRow {
  outbox_position: string;
  topic: string;
  message_key: string;
  message: OutgoingMessage['value'] | null;
}

/**
 * Publishes the outbox in commit order. It reads only rows whose transaction is below the oldest
 * running one (`pg_snapshot_xmin`), ordered by (transaction id, position), so a transaction that
 * commits late is published late but never skipped; rows are deleted only after the transport
 * acknowledged them (at-least-once). One relay per schema runs at a time (advisory lock).
 */
export class OutboxRelay {
  private runner?: QueryRunner;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private haveLock = false;

  constructor(
    private readonly db: DataSource,
    private readonly transport: MessageTransport,
    private readonly logger: RelayLogger,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Publish now instead of at the next poll (called after a local append). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    if (this.runner && !this.runner.isReleased) {
      if (this.haveLock) await this.runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName]).catch(() => undefined);
      await this.runner.release();
    }
    this.runner = undefined;
    this.haveLock = false;
  }

  /** Publishes everything publishable now; returns how many messages went out. For tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private get lockName(): string {
    return `outbox-relay:${this.options.name}`;
  }

  private async run(): Promise<void> {
    let backoff = 50;
    while (this.running) {
      try {
        if (!(await this.acquireLock())) {
          await this.sleep(1_000);
          continue;
        }
        const published = await this.publishBatch();
        backoff = 50;
        if (published === 0) await this.sleep(this.options.idlePollMs ?? 100);
      } catch (error) {
        this.logger.warn({ err: error, relay: this.options.name, retryInMs: backoff }, 'outbox relay could not publish; will retry');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5_000);
        // Start over with a fresh connection: the old one may be the thing that broke.
        if (this.runner && !this.runner.isReleased) await this.runner.release().catch(() => undefined);
        this.runner = undefined;
        this.haveLock = false;
      }
    }
  }

  private async acquireLock(): Promise<boolean> {
    if (this.haveLock && this.runner && !this.runner.isReleased) return true;
    this.runner = this.db.createQueryRunner();
    await this.runner.connect();
    const [row] = await this.runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockName]);
    this.haveLock = row.locked === true;
    if (!this.haveLock) {
      await this.runner.release();
      this.runner = undefined;
    }
    return this.haveLock;
  }

  private async publishBatch(): Promise<number> {
    const rows: OutboxRow[] = await (this.runner ?? this.db).query(
      `SELECT o.position AS outbox_position, o.topic, o.message_key, o.message,
              e.position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.payload, e.metadata, e.occurred_at
       FROM es_outbox o LEFT JOIN es_events e ON e.position = o.event_position
       WHERE o.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY o.transaction_id, o.position
       LIMIT $1`,
      [this.options.batchSize ?? 500],
    );
    if (rows.length === 0) return 0;
    const messages: OutgoingMessage[] = rows.map((r) => {
      const value: OutgoingMessage['value'] = r.message ?? toEnvelope(r);
      return { topic: r.topic, key: r.message_key, value, headers: headersFor(value) };
    });
    await this.transport.publish(messages);
    await (this.runner ?? this.db).query('DELETE FROM es_outbox WHERE position = ANY($1::bigint[])', [rows.map((r) => r.outbox_position)]);
    this.options.onPublished?.(rows.length);
    return rows.length;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.woken = false;
        done();
      };
    });
  }
}

function headersFor(value: OutgoingMessage['value']): Record<string, string> {
  const id = value.kind === 'event' ? (value as EventEnvelope).eventId : value.commandId;
  return { 'message-id': id, 'message-type': value.type, 'correlation-id': value.metadata.correlationId };
}
