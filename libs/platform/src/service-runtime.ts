import { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import {
  EventEnvelope,
  isEventEnvelope,
  MessageEnvelope,
  MessageHandler,
  MessageTransport,
  NewEvent,
  Subscription,
  parseStreamId,
} from '@privatelink/contracts';
import {
  EventStore,
  Loaded,
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
  private readonly consumers: Array<{ groupId: string; topics: string[]; handler: MessageHandler; deadLetters: DeadLetterStore }> = [];
  private readonly subscriptions: Subscription[] = [];
  private started = false;

  private constructor(
    readonly db: DataSource,
    readonly options: ServiceRuntimeOptions,
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
    try {
      await ensureOpsTables(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    const runtime = new ServiceRuntime(db, options);
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

  /** Adds a reacting consumer (saga, process manager); make its effect idempotent with `processOnce`. */
  addConsumer(name: string, topics: string[], handler: (event: EventEnvelope) => Promise<void>): void {
    this.consumers.push({
      groupId: `${this.service}.${name}`,
      topics,
      handler: async (m) => {
        if (isEventEnvelope(m.value)) await handler(m.value);
      },
      deadLetters: this.deadLetters,
    });
  }

  /** Adds a consumer of any message kind (commands, outcomes); the handler gets the envelope as sent. */
  addRawConsumer(name: string, topics: string[], handler: (message: MessageEnvelope) => Promise<void>): void {
    this.consumers.push({ groupId: `${this.service}.${name}`, topics, handler: (m) => handler(m.value), deadLetters: this.deadLetters });
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
        this.options.metrics.appendConflicts.inc({ service: this.service });
        if (attempt >= attempts) {
          throw new DomainError('ConcurrentModification', 'the resource was changed by other requests at the same time; retry');
        }
        await contentionPause(attempt);
      }
    }
  }

  /**
   * Appends a decider's events inside a transaction (see `transact`) and counts them. Given what
   * `store.load` returned instead of a bare version, it also keeps the decider's snapshot current.
   */
  async appendIn<E extends { type: string }, S = unknown>(
    tx: EntityManager,
    streamId: string,
    at: number | Loaded<S, E>,
    events: E[],
    context: WriteContext,
  ): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const expectedVersion = typeof at === 'number' ? at : at.version;
    const snapshot =
      typeof at === 'number' || !at.aggregate.snapshots
        ? undefined
        : snapshotToWrite(at, replayWith(at.aggregate, at.state, events), events);
    const appended = await this.store.append(
      streamId,
      expectedVersion,
      events.map(toNewEvent),
      { metadata: metadataOf(context), snapshot },
      tx,
    );
    for (const e of events) this.options.metrics.eventsAppended.inc({ service: this.service, type: e.type });
    return appended;
  }

  /**
   * The command handler's loop: load the stream, decide, append with the version it was loaded at. A
   * concurrent writer makes the append conflict; then it reloads and decides again (the command may now
   * be refused or be a no-op), and after `attempts` answers ConcurrentModification (409).
   */
  async execute<C, S, E extends { type: string }>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: WriteContext,
    attempts = 5,
  ): Promise<{ state: S; events: E[]; version: number; appended?: AppendResult }> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.store.load(streamId, decider);
      const { state, version } = loaded;
      const events = decider.decide(command, state);
      if (events.length === 0) return { state, events, version };
      try {
        const next = replayWith(decider, state, events);
        const appended = await this.store.append(streamId, version, events.map(toNewEvent), {
          metadata: metadataOf(context),
          snapshot: snapshotToWrite(loaded, next, events),
        });
        for (const e of events) this.options.metrics.eventsAppended.inc({ service: this.service, type: e.type });
        return { state: next, events, version: appended.streamVersion, appended };
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error;
        this.options.metrics.appendConflicts.inc({ service: this.service });
        if (attempt >= attempts) {
          throw new DomainError('ConcurrentModification', 'the resource was changed by other requests at the same time; retry');
        }
        await contentionPause(attempt);
      }
    }
  }
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
export async function retryInTransaction<T>(tx: EntityManager, work: () => Promise<T>, attempts = 10): Promise<T> {
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
      if (attempt >= attempts)
        throw new DomainError('ConcurrentModification', 'the resource was changed by other requests at the same time; retry');
      await contentionPause(Math.min(attempt, 5)); // bounded: the outer transaction is open meanwhile
    }
  }
}

function metadataOf(context: WriteContext) {
  return { principal: context.principal, correlationId: context.correlationId, causationId: context.causationId ?? null };
}

function toNewEvent<E extends { type: string }>(event: E): NewEvent {
  return { type: event.type, payload: event as unknown as Record<string, unknown> };
}
