import { EventEnvelope, MessageTransport, OutgoingMessage, StructuredLogger, eventTopicFor, parseStreamId } from '@privatelink/contracts';
import { DataSource, QueryRunner } from 'typeorm';
import { EventRow, toEnvelope } from './event-store';
import { preparedQuery } from './sql';
import { traceStat } from './trace-stats';

export type RelayLogger = StructuredLogger;

export interface OutboxRelayOptions {
  /** Name of the relay (one per service schema); also its advisory lock. */
  name: string;
  batchSize?: number;
  /**
   * Safety-net poll when idle (default 2 s): an append in this process, or a NOTIFY from another one,
   * wakes the relay at once, so this only bounds how late a lost wake-up is noticed.
   */
  idlePollMs?: number;
  /** Poll while committed rows wait behind an older transaction still running (default 20 ms). */
  blockedPollMs?: number;
  /** Longest pause between retries while the transport is down. */
  maxBackoffMs?: number;
  onPublished?: (count: number) => void;
}

interface RelayEventRow extends EventRow {
  transaction_id: string;
  /** Its transaction is below the oldest running one: every row before it in (transaction id, position) order is committed or gone. */
  settled: boolean;
  /** Beyond the round's cut, read because a stream's later version is in the round (see roundSql). */
  early: boolean;
}

interface OutboxRow {
  position: string;
  topic: string;
  message_key: string;
  message: OutgoingMessage['value'];
}

/**
 * Publishes what the service committed, in commit-safe order. Events: the relay reads `es_events` after
 * its checkpoint (transaction id, position), only rows whose transaction is below the oldest running one
 * (`pg_snapshot_xmin`), ordered by (transaction id, position). Any transaction that commits later has a
 * transaction id at or above that horizon, so it is published later but never skipped. The checkpoint
 * advances only after the transport acknowledged the batch (at-least-once). Forwarded commands wait in
 * `es_outbox` under the same rule and are deleted once published. One relay per schema runs at a time
 * (advisory lock); the others stand by.
 */
export class OutboxRelay {
  private runner?: QueryRunner;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private haveLock = false;
  private checkpointCreated = false;
  /** Events published before the checkpoint could cover them (position → transaction id); see publishRound. */
  private readonly ahead = new Map<string, bigint>();

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
    await this.releaseRunner();
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
    let failingSince: number | undefined;
    let failures = 0;
    while (this.running) {
      try {
        if (!(await this.acquireLock())) {
          await this.sleep(1_000);
          continue;
        }
        const t0 = performance.now();
        const { published, blocked, full } = await this.publishRound();
        traceStat(published > 0 ? 'relay.round.published' : 'relay.round.empty', performance.now() - t0);
        if (published > 0) traceStat('relay.rows', published);
        backoff = 50;
        if (failingSince !== undefined) {
          this.logger.info(
            { relay: this.options.name, downMs: Date.now() - failingSince, failedTries: failures },
            'outbox relay publishing again',
          );
          failingSince = undefined;
          failures = 0;
        }
        // A full round may have left rows behind: at once again. Otherwise wait for a wake (an append since
        // this round's read has set one, so that sleep returns at once): no empty round after each burst.
        if (published === 0 || !full) {
          if (published === 0) traceStat(blocked ? 'relay.blocked' : 'relay.idle', 0);
          // Rows that wait behind an older transaction: nothing will wake the relay when that one ends.
          await this.sleep(blocked ? (this.options.blockedPollMs ?? 20) : (this.options.idlePollMs ?? 2_000));
        }
      } catch (error) {
        // Nothing is lost: the checkpoint only moves after the transport acknowledged. Logged once per
        // outage (and when it ends), not once per try.
        failures++;
        if (failingSince === undefined) {
          failingSince = Date.now();
          this.logger.warn({ err: error, relay: this.options.name }, 'outbox relay could not publish; retrying with backoff until it can');
        } else {
          this.logger.debug?.({ err: error, relay: this.options.name, retryInMs: backoff }, 'outbox relay still cannot publish');
        }
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5_000);
        // Start over with a fresh connection: the old one may be the thing that broke.
        await this.releaseRunner();
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
      return false;
    }
    // Appends made by other processes (replicas whose relay stands by) announce themselves here.
    await this.runner.query(`LISTEN "${this.channel}"`);
    this.connection()?.on('notification', this.onNotification);
    return true;
  }

  /** True while this relay holds the lock and publishes; the others only announce their appends. */
  get isPublishing(): boolean {
    return this.haveLock;
  }

  /** The NOTIFY channel that wakes the publishing relay of this schema from another process. */
  get channel(): string {
    return OutboxRelay.channelFor(this.options.name);
  }

  static channelFor(name: string): string {
    return `outbox_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  }

  private readonly onNotification = () => this.wake();

  private connection(): { on(e: string, l: () => void): void; off(e: string, l: () => void): void } | undefined {
    return (this.runner as unknown as { databaseConnection?: { on(e: string, l: () => void): void; off(e: string, l: () => void): void } })
      ?.databaseConnection;
  }

  private async releaseRunner(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner || runner.isReleased) return;
    (runner as unknown as { databaseConnection?: { off(e: string, l: () => void): void } }).databaseConnection?.off(
      'notification',
      this.onNotification,
    );
    if (this.haveLock) {
      await runner.query(`UNLISTEN "${this.channel}"`).catch(() => undefined);
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName]).catch(() => undefined);
    }
    await runner.release().catch(() => undefined);
  }

  /** Events and commands committed but not yet published (ops metric, tests). */
  async pending(): Promise<number> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*) FROM es_events e WHERE (e.transaction_id, e.position) >
                 coalesce((SELECT (c.transaction_id, c.position) FROM es_relay_checkpoints c WHERE c.relay = $1), ('0'::xid8, 0::bigint)))
            + (SELECT count(*) FROM es_outbox) AS pending`,
      [this.options.name],
    );
    return Number(row?.pending ?? 0);
  }

  private async publishBatch(): Promise<number> {
    return (await this.publishRound()).published;
  }

  /**
   * One round, three round trips whatever it carries: one statement reads the events after the checkpoint
   * and the queued commands, one produce request sends them, one statement moves the checkpoint and deletes
   * the sent commands (one commit).
   *
   * What a round reads is committed (the statement sees no other row) and goes out at once, in position
   * order: a write that depends on another one saw it committed, so it has the higher position, and one
   * stream's versions (and one key's commands) go out in their order. The checkpoint moves only over
   * settled rows (transaction below the oldest running one), so an event whose transaction commits late is
   * never skipped; the committed rows above that horizon, already published, are remembered (`ahead`) and
   * not sent again while the checkpoint catches up. A restart forgets them: they go out once more
   * (at-least-once; consumers drop a copy by its id).
   */
  private async publishRound(): Promise<{ published: number; blocked: boolean; full: boolean }> {
    const db = this.runner ?? this.db;
    const batchSize = this.options.batchSize ?? 500;
    if (!this.checkpointCreated) {
      await db.query(`INSERT INTO es_relay_checkpoints (relay) VALUES ($1) ON CONFLICT DO NOTHING`, [this.options.name]);
      this.checkpointCreated = true;
    }
    const [row]: Array<{ events: RelayEventRow[] | null; commands: OutboxRow[] | null }> = await preparedQuery(
      db,
      'relay_round',
      roundSql,
      [this.options.name, batchSize, [...this.ahead.keys()]],
    );
    const events = row?.events ?? [];
    const commands = row?.commands ?? [];
    // Rows come in (transaction id, position) order, settled ones first: the checkpoint moves to the last of those.
    let settled: RelayEventRow | undefined;
    for (const e of events) {
      if (!e.settled || e.early) break;
      settled = e;
    }
    const fresh = events.filter((e) => !this.ahead.has(e.position)).sort((x, y) => Number(BigInt(x.position) - BigInt(y.position)));
    const published = fresh.length + commands.length;
    const blocked = events.some((e) => !e.settled);
    // The window counts neither rows sent ahead nor the early ones that came with it.
    const full = events.filter((e) => !e.early && !this.ahead.has(e.position)).length >= batchSize || commands.length >= batchSize;
    if (published === 0 && !settled) return { published, blocked, full };
    if (published > 0) {
      const now = Date.now();
      for (const e of fresh) traceStat('relay.event.commit->publish', now - Date.parse(e.metadata.occurredAt));
      await this.transport.publish([
        ...fresh.map((r) => {
          const value = toEnvelope(r);
          const { family, aggregateId } = parseStreamId(value.streamId);
          return { topic: eventTopicFor(family), key: aggregateId, value, headers: headersFor(value) };
        }),
        ...commands.map((r) => ({ topic: r.topic, key: r.message_key, value: r.message, headers: headersFor(r.message) })),
      ]);
      for (const e of fresh) if (!e.settled || e.early) this.ahead.set(e.position, BigInt(e.transaction_id));
    }
    await preparedQuery(db, 'relay_advance', advanceSql, [
      this.options.name,
      settled?.transaction_id ?? null,
      settled?.position ?? null,
      commands.map((r) => r.position),
    ]);
    if (settled) {
      // Forget what the checkpoint now covers.
      const xid = BigInt(settled.transaction_id);
      const position = BigInt(settled.position);
      for (const [p, x] of this.ahead) if (x < xid || (x === xid && BigInt(p) <= position)) this.ahead.delete(p);
    }
    if (published > 0) this.options.onPublished?.(published);
    return { published, blocked, full };
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // A wake while the next round runs must stay set (`woken`), not go to this finished sleep.
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        this.woken = false;
        done();
      };
    });
  }
}

function headersFor(value: OutgoingMessage['value']): Record<string, string> {
  const id = value.kind === 'event' ? (value as EventEnvelope).eventId : value.commandId + (value.kind === 'outcome' ? ':outcome' : '');
  return { 'message-id': id, 'message-type': value.type, 'correlation-id': value.metadata.correlationId };
}

// The events after the checkpoint in (transaction id, position) order, each marked settled when its
// transaction is below the oldest running one, and the queued commands in position order: one statement,
// so one round trip and one snapshot. Rows of transactions still running are not visible to it. Those
// published ahead ($3) do not count in the window (LIMIT), so a transaction held open (which keeps the
// checkpoint where it is) cannot stall the relay behind a window of rows it already sent; they come back
// beside it, up to its cut, as their place only (no payload to send and parse again), so the checkpoint
// still moves over them once they settle.
//
// A stream's versions are in position order, but not always in transaction-id order: a transaction that
// took its id early (an earlier write) and appended version 2 after another one committed version 1 sorts
// before it. Within a round the relay sends by position, so that is harmless, unless the round's LIMIT cuts
// between the two. So when the round is full, the earlier versions of its streams that sort beyond the cut
// (`early`) come with it: sent in their place, remembered as published ahead, never moving the checkpoint.
const roundSql = `WITH RECURSIVE c AS (SELECT transaction_id, position FROM es_relay_checkpoints WHERE relay = $1),
     h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     ev AS (
       SELECT e.transaction_id::text AS transaction_id, e.position::text AS position, e.event_id, e.stream_id, e.stream_version, e.type,
              e.schema_version, e.payload, e.metadata, e.occurred_at, e.transaction_id < h.xmin AS settled, false AS early
       FROM es_events e, c, h
       WHERE (e.transaction_id, e.position) > (c.transaction_id, c.position) AND e.position <> ALL($3::bigint[])
       ORDER BY e.transaction_id, e.position
       LIMIT $2),
     cut AS (
       SELECT transaction_id::xid8 AS transaction_id, position::bigint AS position FROM ev
       WHERE (SELECT count(*) FROM ev) = $2
       ORDER BY transaction_id::xid8 DESC, position::bigint DESC LIMIT 1),
     before_cut (stream_id, stream_version) AS (
       SELECT e.stream_id, e.stream_version
       FROM ev JOIN es_events e ON e.stream_id = ev.stream_id AND e.stream_version = ev.stream_version - 1, cut
       WHERE (e.transaction_id, e.position) > (cut.transaction_id, cut.position)
       UNION
       SELECT e.stream_id, e.stream_version
       FROM before_cut p JOIN es_events e ON e.stream_id = p.stream_id AND e.stream_version = p.stream_version - 1, cut
       WHERE (e.transaction_id, e.position) > (cut.transaction_id, cut.position)),
     early AS (
       SELECT e.transaction_id::text AS transaction_id, e.position::text AS position, e.event_id, e.stream_id, e.stream_version, e.type,
              e.schema_version, e.payload, e.metadata, e.occurred_at, e.transaction_id < h.xmin AS settled, true AS early
       FROM before_cut b JOIN es_events e USING (stream_id, stream_version), h),
     ahead AS (
       SELECT e.transaction_id::text AS transaction_id, e.position::text AS position, e.event_id, e.stream_id, e.stream_version, e.type,
              e.schema_version, e.payload, e.metadata, e.occurred_at, e.transaction_id < h.xmin AS settled, false AS early
       FROM es_events e, c, h
       WHERE e.position = ANY($3::bigint[]) AND (e.transaction_id, e.position) > (c.transaction_id, c.position)
         AND NOT EXISTS (SELECT 1 FROM cut WHERE (e.transaction_id, e.position) > (cut.transaction_id, cut.position))),
     picked AS (SELECT * FROM ev UNION ALL SELECT * FROM early UNION ALL SELECT * FROM ahead),
     cmd AS (SELECT o.position::text AS position, o.topic, o.message_key, o.message FROM es_outbox o ORDER BY o.position LIMIT $2)
   SELECT (SELECT jsonb_agg(CASE WHEN picked.position::bigint = ANY($3::bigint[])
                                 THEN jsonb_build_object('transaction_id', picked.transaction_id, 'position', picked.position,
                                                         'settled', picked.settled, 'early', picked.early)
                                 ELSE to_jsonb(picked) END
                            ORDER BY picked.transaction_id::xid8, picked.position::bigint) FROM picked) AS events,
          (SELECT jsonb_agg(to_jsonb(cmd) ORDER BY cmd.position::bigint) FROM cmd) AS commands`;

// After the transport acknowledged: the checkpoint moves to the last published event (when events went)
// and the published commands are deleted, in one statement (one commit).
const advanceSql = `WITH sent AS (DELETE FROM es_outbox WHERE position = ANY($4::bigint[]))
   UPDATE es_relay_checkpoints SET transaction_id = $2::text::xid8, position = $3::text::bigint WHERE relay = $1 AND $2::text IS NOT NULL`;
