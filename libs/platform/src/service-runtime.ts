import { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import {
  CommandDefinition,
  CommandEnvelope,
  EventEnvelope,
  StreamFamily,
  envelopeOf,
  isEventEnvelope,
  streamIdFor,
  IncomingMessage,
  MessageEnvelope,
  MessageHandler,
  MessageTransport,
  NewEvent,
  Subscription,
  parseStreamId,
} from '@privatelink/contracts';
import {
  EntryKeys,
  EventStore,
  Loaded,
  Sql,
  OutboxRelay,
  openServiceDatabase,
  AppendResult,
  StreamVersionConflict,
  snapshotToWrite,
} from '@privatelink/eventstore';
import { DocumentProjection, ProjectionRunner } from '@privatelink/projections';
import { DeadLetterStore, ensureOpsTables } from '@privatelink/messaging';
import { Decider, DomainError, replayWith } from '@privatelink/domain';
import { PlatformConfig } from './config';
import { Metrics } from './metrics';
import { ReadinessRegistry } from './health';
import { Logger } from './logger';
import { readOutboxStatus } from './outbox-status';
import { tracedTransport } from './tracing';
import { CreateCommandOutcomes1765000000000 } from './command-outcomes.migration';

export interface ServiceRuntimeOptions {
  /** The service (Nx app) name, e.g. `endpoint-api`. */
  service: string;
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  migrations?: Array<new () => MigrationInterface>;
}

/** Who is writing and why, carried into every event's metadata. */
export interface WriteContext {
  principal: string;
  correlationId: string;
  causationId?: string | null;
  /** When (a command's own time); the store's clock when absent. */
  occurredAt?: string;
}

/** The time source of a service (tests move it). */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** The context of the writes a received command makes: its sender, its correlation, caused by the command. */
export function commandContext(command: CommandEnvelope<object>): WriteContext {
  return { principal: command.metadata.principal, correlationId: command.metadata.correlationId, causationId: command.commandId };
}

/**
 * What one service needs at run time: its own schema (event store, outbox, checkpoints, read models),
 * its outbox relay, its projection runners and consumers. Framework-free, so tests and the benchmark
 * use it directly; the Nest modules only wire it.
 */
export class ServiceRuntime {
  readonly store: EventStore;
  readonly relay: OutboxRelay;
  /** Where this service's consumers record the messages they dead-letter (the shared ops table). */
  readonly deadLetters: DeadLetterStore;
  private readonly runners: ProjectionRunner<unknown>[] = [];
  private readonly consumers: Array<{
    groupId: string;
    topics: string[];
    handler: MessageHandler;
    batchHandler?: (messages: IncomingMessage[]) => Promise<void>;
    deadLetters: DeadLetterStore;
  }> = [];
  private readonly subscriptions: Subscription[] = [];
  private started = false;

  private constructor(
    readonly db: DataSource,
    readonly options: ServiceRuntimeOptions,
    /** The pool the commands other services send are carried out on (`dbCommandPoolSize`; else `db`). */
    readonly commandDb: DataSource = db,
  ) {
    const { service, transport, metrics, logger } = options;
    this.store = new EventStore(db);
    this.deadLetters = new DeadLetterStore(db);
    this.relay = new OutboxRelay(db, transport, logger.child({ component: 'outbox-relay' }), {
      name: service,
      idlePollMs: options.config.outboxIdlePollMs,
      onPublished: (n) => metrics.outboxPublished.inc({ service }, n),
    });
    this.store.onLoaded((streamId, folded, from) =>
      metrics.eventsFoldedPerLoad.observe({ service, family: familyOf(streamId), from }, folded),
    );
    this.store.onAppended(() => {
      this.relay.wake();
      if (!this.relay.isPublishing) this.announceAppend();
    });
  }

  private announcing = false;
  private announceAgain = false;

  /**
   * Wakes the publishing relay in another process (this one stands by). At most one NOTIFY is in flight;
   * appends made meanwhile are announced by one more NOTIFY after it, so no wake-up is lost.
   */
  private announceAppend(): void {
    if (!this.db.isInitialized) return;
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = true;
    this.db
      .query(`SELECT pg_notify($1, '')`, [OutboxRelay.channelFor(this.service)])
      .catch(() => undefined)
      .finally(() => {
        this.announcing = false;
        if (this.announceAgain) {
          this.announceAgain = false;
          this.announceAppend();
        }
      });
  }

  static async open(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
    const schema = options.service.replace(/-/g, '_');
    const db = await openServiceDatabase({
      url: options.config.databaseUrl!,
      schema,
      // The platform's own tables (kept command outcomes) beside the service's.
      migrations: [CreateCommandOutcomes1765000000000, ...(options.migrations ?? [])],
      poolSize: options.config.dbPoolSize,
      applicationName: options.service,
    });
    let commandDb: DataSource | undefined;
    try {
      await ensureOpsTables(db);
      if (options.config.dbCommandPoolSize > 0)
        commandDb = await openServiceDatabase({
          url: options.config.databaseUrl!,
          schema,
          poolSize: options.config.dbCommandPoolSize,
          applicationName: `${options.service}:commands`,
          migrate: false,
        });
    } catch (error) {
      await db.destroy();
      throw error;
    }
    const runtime = new ServiceRuntime(db, options, commandDb);
    options.readiness.register(`${options.service}:postgres`, async () => (await db.query('SELECT 1 AS ok'))[0].ok === 1);
    options.readiness.register(`${options.service}:${options.transport.name}`, () => options.transport.isHealthy());
    // Counters a dashboard reads from the start: 0 until the first conflict or publish, not absent.
    options.metrics.appendConflicts.inc({ service: options.service }, 0);
    options.metrics.outboxPublished.inc({ service: options.service }, 0);
    options.metrics.ops.watchOutbox(options.service, () =>
      db.isInitialized ? readOutboxStatus(db, options.service) : Promise.reject(new Error('closed')),
    );
    // Not ready while one of this service's consumers waits for a dependency (it consumes nothing meanwhile).
    options.readiness.register(
      `${options.service}:consumers`,
      async () => !options.transport.pausedConsumers().some((p) => p.groupId.startsWith(`${options.service}.`)),
    );
    return runtime;
  }

  get service(): string {
    return this.options.service;
  }

  /** Adds a read model fed from the transport in its own consumer group. */
  addProjection<Doc>(projection: DocumentProjection<Doc>): ProjectionRunner<Doc> {
    const runner = new ProjectionRunner<Doc>(this.db, projection, {
      onApplied: (name, event) => {
        this.options.metrics.projectionApplied.inc({ projection: name });
        this.options.metrics.projectionLag.observe({ projection: name }, (Date.now() - Date.parse(event.metadata.occurredAt)) / 1000);
      },
    });
    this.runners.push(runner as ProjectionRunner<unknown>);
    return runner;
  }

  /**
   * Adds a reacting consumer (saga, process manager); make its effect idempotent with `processOnce`.
   * `batch`, when given, takes what a partition has waiting in one call (one statement or transaction for
   * many events); it must have the same effect as `handler` on each event in order, since a failed batch is
   * handled again one event at a time.
   */
  addConsumer(
    name: string,
    topics: string[],
    handler: (event: EventEnvelope) => Promise<void>,
    options: { batch?: (events: EventEnvelope[]) => Promise<void> } = {},
  ): void {
    const { batch } = options;
    this.addRawConsumer(
      name,
      topics,
      async (message) => {
        if (isEventEnvelope(message)) await handler(message);
      },
      { batch: batch && ((ms) => batch(ms.map((m) => m.value).filter(isEventEnvelope))) },
    );
  }

  /** Adds a consumer of any message kind (commands, outcomes); the handler gets the envelope as sent. */
  addRawConsumer(
    name: string,
    topics: string[],
    handler: (message: MessageEnvelope) => Promise<void>,
    options: { batch?: (messages: IncomingMessage[]) => Promise<void> } = {},
  ): void {
    this.consumers.push({
      groupId: `${this.service}.${name}`,
      topics,
      handler: (m) => handler(m.value),
      ...(options.batch ? { batchHandler: options.batch } : {}),
      deadLetters: this.deadLetters,
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Every projection, saga step and command handler runs in a consumer span continuing the message's trace.
    const transport = tracedTransport(this.options.transport, this.service);
    for (const runner of this.runners) await runner.start(transport, this.service, this.deadLetters);
    for (const c of this.consumers) this.subscriptions.push(await transport.subscribe(c));
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    // In parallel: closing a Kafka consumer waits for its fetch in flight (up to the fetch wait).
    await Promise.all([...this.runners.map((runner) => runner.stop()), ...this.subscriptions.splice(0).map((s) => s.close())]);
    if (this.db.isInitialized) await this.db.destroy();
    if (this.commandDb !== this.db && this.commandDb.isInitialized) await this.commandDb.destroy();
  }

  /**
   * Runs `work` in one Postgres transaction (several appends, a client-token row...) and wakes the relay
   * after the commit. A StreamVersionConflict inside retries the whole unit; after `attempts` it is a 409.
   */
  async transact<T>(work: (tx: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.transaction(work);
        this.store.notifyAppended();
        return result;
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error;
        this.countConflict();
        if (attempt >= attempts) throw concurrentModification();
        await contentionPause(attempt);
      }
    }
  }

  /**
   * The one write path: load the aggregate's stream (from its snapshot when the decider keeps one, with the
   * entries of a keyed state the command reads), decide, append with the version it was loaded at (the
   * snapshot kept current in the same statement), and answer the state, version and events after it.
   *
   * `intent` is a command, several (decided in turn), or a plan that names them from the state found (or
   * null: nothing to do). `react` carries out an event's effects in the write's transaction (queue a command,
   * ask a port) and may answer follow-up commands, decided at once; `after` keeps rows that go with the
   * events (a schedule, a queue) in the same transaction. A concurrent writer makes the append conflict: the
   * whole attempt runs again on the new state (the command may now be refused or be a no-op), and after
   * `attempts` it is ConcurrentModification (409).
   *
   * - with `tx`: inside the caller's transaction, each attempt in a savepoint (`attempts: 1`: no savepoint,
   *   the conflict goes to the caller, who retries a larger unit);
   * - without `tx`, with `react` or `after`: in a transaction of its own (see `transact`);
   * - otherwise: the append is one statement, its own transaction.
   */
  async handle<C, E extends { type: string }, S>(
    aggregate: EventSourcedAggregate<C, E, S>,
    id: string,
    intent: Intent<C, S>,
    context: WriteContext,
    options: HandleOptions<C, E, S> = {},
  ): Promise<Handled<S, E>> {
    const once = (tx: EntityManager | undefined) => this.handleOnce(aggregate, id, intent, context, options, tx);
    const { tx } = options;
    if (tx) {
      if (options.attempts === 1) return once(tx);
      return retryInTransaction(
        tx,
        () => once(tx),
        options.attempts ?? 10,
        () => this.countConflict(),
      );
    }
    if (options.react || options.after) return this.transact((t) => once(t), options.attempts ?? 5);
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(undefined);
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error;
        this.countConflict();
        if (attempt >= attempts) throw concurrentModification();
        await contentionPause(attempt);
      }
    }
  }

  /** An aggregate's state as a command would see it (the same load as `handle`'s), for reads before a write. */
  load<C, E extends { type: string }, S>(
    aggregate: EventSourcedAggregate<C, E, S>,
    id: string,
    options: { keys?: EntryKeys; tx?: Sql } = {},
  ): Promise<Loaded<S, E>> {
    return this.store.load(streamIdFor(aggregate.streamFamily, id), aggregate.decider, options);
  }

  /**
   * Queues a command of `definition` for its owner, published by the relay after `tx` commits (its id
   * derived from the payload when the definition says how, so a retried write sends the same command).
   */
  queue<Type extends string, Payload extends object>(
    definition: CommandDefinition<Type, Payload, object | void>,
    payload: Payload,
    context: WriteContext,
    tx?: Sql,
  ): Promise<void> {
    const { topic, envelope } = envelopeOf(definition, payload, {
      principal: context.principal,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      occurredAt: context.occurredAt,
    });
    return this.store.enqueue(topic, envelope, tx);
  }

  /** Wakes the relay after a transaction of the caller's own (`processOnce`, `db.transaction`) committed appends. */
  notifyAppended(): void {
    this.store.notifyAppended();
  }

  /** The context of a write this service makes on its own (a reaction, a scheduler): `service:<name>`. */
  reaction(correlationId: string, causationId?: string | null): WriteContext {
    return { principal: `service:${this.service}`, correlationId, causationId: causationId ?? null };
  }

  private async handleOnce<C, E extends { type: string }, S>(
    aggregate: EventSourcedAggregate<C, E, S>,
    id: string,
    intent: Intent<C, S>,
    context: WriteContext,
    options: HandleOptions<C, E, S>,
    tx: EntityManager | undefined,
  ): Promise<Handled<S, E>> {
    const { decider } = aggregate;
    const streamId = streamIdFor(aggregate.streamFamily, id);
    const keys = options.keys ?? (typeof intent === 'function' ? 'all' : keysOfAll(aggregate, listOf(intent)));
    const loaded = await this.store.load(streamId, decider, { keys, tx });
    // The caller decided on what it read of this stream before: only at that version (else: a conflict).
    if (options.expectedVersion !== undefined && loaded.version !== options.expectedVersion)
      throw new StreamVersionConflict(streamId, options.expectedVersion);
    const commands = listOf(typeof intent === 'function' ? await (intent as Plan<C, S>)(loaded.state) : intent);
    let state = loaded.state;
    const events: E[] = [];
    const decideAll = (list: C[]) => {
      for (const command of list) {
        const decided = decider.decide(command, state);
        events.push(...decided);
        state = replayWith(decider, state, decided);
      }
    };
    decideAll(commands);
    if (options.react) {
      if (!tx) throw new Error('react runs inside a transaction');
      for (let i = 0; i < events.length; i++) decideAll(listOf(await options.react(events[i], state, tx)));
    }
    let appended: AppendResult | undefined;
    if (events.length > 0) {
      appended = await this.store.append(
        streamId,
        loaded.version,
        events.map(toNewEvent),
        { metadata: metadataOf(context), snapshot: snapshotToWrite(loaded, state, events) },
        tx,
      );
      for (const e of events) this.options.metrics.eventsAppended.inc({ service: this.service, type: e.type });
    }
    const written: Handled<S, E> = { streamId, state, version: loaded.version + events.length, events, appended };
    if (options.after) {
      if (!tx) throw new Error('after runs inside a transaction');
      await options.after(written, tx);
    }
    return written;
  }

  private countConflict(): void {
    this.options.metrics.appendConflicts.inc({ service: this.service });
  }
}

/**
 * The port a handler, consumer or scheduler takes instead of its whole service: the write path and the
 * service's own database (for its query modules and `processOnce`).
 */
export type Store = Pick<
  ServiceRuntime,
  'service' | 'db' | 'handle' | 'load' | 'queue' | 'transact' | 'reaction' | 'notifyAppended' | 'addConsumer' | 'addRawConsumer'
>;

/** An aggregate as the write path takes it: its decider and the family of its streams (`<family>-<id>`). */
export interface EventSourcedAggregate<C, E extends { type: string }, S> {
  readonly decider: Decider<C, E, S>;
  readonly streamFamily: StreamFamily;
  /** For a keyed state (see StateSnapshots.keyed): the entries a command reads; all of them when absent. */
  keysOf?(command: C): EntryKeys;
  /** The stream id of one aggregate. */
  streamOf(id: string): string;
}

/** Defines an aggregate once: `defineAggregate(quotaLedgerDecider, streamFamilies.quotaLedger, { keysOf: quotaLedgerKeysOf })`. */
export function defineAggregate<C, E extends { type: string }, S>(
  decider: Decider<C, E, S>,
  streamFamily: StreamFamily,
  options: { keysOf?: (command: C) => EntryKeys } = {},
): EventSourcedAggregate<C, E, S> {
  return { decider, streamFamily, keysOf: options.keysOf, streamOf: (id) => streamIdFor(streamFamily, id) };
}

/** A plan: the command(s) for the state found, or null for none. */
export type Plan<C, S> = (state: S) => C | C[] | null | Promise<C | C[] | null>;

/** What `handle` decides: a command, several in turn, or a plan. */
export type Intent<C, S> = C | C[] | Plan<C, S>;

export interface HandleOptions<C, E, S> {
  /** The caller's transaction (a forwarded command's, a `processOnce` effect's, a `transact` unit's). */
  tx?: EntityManager;
  /** The entries of a keyed state to load (default: the aggregate's `keysOf` of the commands; 'all' for a plan). */
  keys?: EntryKeys;
  /** Decide only if the stream is still at this version (the caller read it to decide something else); else a conflict. */
  expectedVersion?: number;
  /** Tries before ConcurrentModification (default 5 on its own, 10 in `tx`); 1 in `tx`: the caller retries. */
  attempts?: number;
  /** An event's effects, in the write's transaction; the commands it answers are decided at once. */
  react?: (event: E, state: S, tx: EntityManager) => Promise<C | C[] | null | void>;
  /** Rows kept with the events, in the write's transaction (and attempt). */
  after?: (written: Handled<S, E>, tx: EntityManager) => Promise<void>;
}

/** What `handle` answers: the state and stream version after the write, and the events it appended (none: a no-op). */
export interface Handled<S, E> {
  streamId: string;
  state: S;
  version: number;
  events: E[];
  /** The append's positions (what a read-your-writes read waits for); absent when nothing was appended. */
  appended?: AppendResult;
}

function listOf<C>(value: C | C[] | null | undefined | void): C[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value as C];
}

function keysOfAll<C, E extends { type: string }, S>(aggregate: EventSourcedAggregate<C, E, S>, commands: C[]): EntryKeys {
  if (!aggregate.keysOf) return 'all';
  const keys = new Set<string>();
  for (const command of commands) {
    const of = aggregate.keysOf(command);
    if (of === 'all') return 'all';
    for (const k of of) keys.add(k);
  }
  return [...keys];
}

function concurrentModification(): DomainError {
  return new DomainError('ConcurrentModification', 'the resource was changed by other requests at the same time; retry');
}

/** A metric label: the stream's family (a load of an id of no known family is counted, not refused). */
function familyOf(streamId: string): string {
  try {
    return parseStreamId(streamId).family;
  } catch {
    return 'unknown';
  }
}

/** A short random pause before retrying a conflicting write, so racing writers do not collide again in step. */
function contentionPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * 2 ** attempt)));
}

let savepoints = 0;

/**
 * Retries `work` on an append conflict *inside* a transaction someone else owns (a forwarded command's, a
 * `processOnce` effect's), where `transact` cannot start a fresh one: each attempt runs in a savepoint that
 * is rolled back on any error, so a refused or conflicting attempt leaves nothing behind and the outer
 * transaction stays usable. A conflict reloads and decides again; after `attempts` it is ConcurrentModification.
 */
export async function retryInTransaction<T>(tx: EntityManager, work: () => Promise<T>, attempts = 10, onConflict?: () => void): Promise<T> {
  const name = `retry_${++savepoints}`;
  for (let attempt = 1; ; attempt++) {
    await tx.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      if (!(error instanceof StreamVersionConflict)) throw error;
      onConflict?.();
      if (attempt >= attempts) throw concurrentModification();
      await contentionPause(Math.min(attempt, 5)); // bounded: the outer transaction is open meanwhile
    }
  }
}

function metadataOf(context: WriteContext) {
  return { principal: context.principal, correlationId: context.correlationId, causationId: context.causationId ?? null };
}

function toNewEvent<E extends { type: string }>(event: E): NewEvent {
  const payload: Record<string, unknown> = { ...event };
  return { type: event.type, payload };
}
