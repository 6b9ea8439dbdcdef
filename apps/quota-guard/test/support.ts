// Shared set-up of quota-guard's own integration tests: one or more quota-guard applications (one consumer
// group) on a fresh database of the real Postgres and a namespace of the real Kafka broker, and a stand-in
// sender: a real ServiceRuntime in the database that queues commands in its outbox (as connection-broker
// and endpoint-api do), reads the answers on the outcomes topic, and appends the connection and service
// events quota-guard reacts to (as the owners of those streams would).
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import {
  CommandOutcome,
  MessageEnvelope,
  Subscription,
  CommandDefinition,
  envelopeOf,
  commandOutcomeTopic,
  commandTopicFor,
  quotaGuardService,
} from '@privatelink/contracts';
import { KafkaTransport } from '@privatelink/messaging';
import { Host, Metrics, PlatformConfig, ReadinessRegistry, ServiceRuntime, loadConfig } from '@privatelink/platform';
import { eventually, freshScope, until } from '@privatelink/testing';
import { quotaLedgerDecider, QuotaLedgerState } from '@privatelink/domain';
import { QuotaGuardModule } from '../src/quota-guard.service';
import { QuotaGuardCore } from '../src/quota-guard.service';
import { ledgerStream } from '../src/handlers/ledger-writes';

export { eventually, until };

/** A clock the test moves (reservations and their expiry). */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface QuotaWorld {
  databaseUrl: string;
  namespace: string;
  brokers: string[];
  guards: Array<Host & { config: PlatformConfig }>;
  cores: QuotaGuardCore[];
  clock: TestClock;
  sender: Sender;
  /** Starts one more quota-guard instance in the same consumer group. */
  addGuard(): Promise<void>;
  close(): Promise<void>;
}

export interface QuotaWorldOptions {
  instances?: number;
  env?: Record<string, string>;
}

export async function startQuotaWorld(label: string, options: QuotaWorldOptions = {}): Promise<QuotaWorld> {
  const scope = await freshScope(label);
  const { databaseUrl, brokers, namespace } = scope;
  const clock = new TestClock();
  const guards: QuotaWorld['guards'] = [];
  const startGuard = async () => {
    guards.push(await scope.startHost(`quota-guard-${label}-${guards.length + 1}`, [QuotaGuardModule.withClock(clock.now)], options.env));
  };
  for (let i = 0; i < (options.instances ?? 1); i++) await startGuard();
  const sender = await Sender.open(databaseUrl, brokers, namespace);
  const world: QuotaWorld = {
    databaseUrl,
    namespace,
    brokers,
    guards,
    get cores() {
      return guards.map((g) => g.app.get(QuotaGuardCore));
    },
    clock,
    sender,
    addGuard: startGuard,
    close: async () => {
      await sender.close();
      for (const g of guards) await g.close().catch(() => undefined);
      await scope.drop();
    },
  };
  return world;
}

/** The stand-in for quota-guard's callers: queues commands in a real outbox and collects the answers. */
export class Sender {
  private readonly outcomes = new Map<string, CommandOutcome>();
  private subscription?: Subscription;

  private constructor(
    readonly runtime: ServiceRuntime,
    private readonly transport: KafkaTransport,
  ) {}

  static async open(databaseUrl: string, brokers: string[], namespace: string): Promise<Sender> {
    const logger = pino({ level: 'silent' });
    const config = loadConfig({
      PRIVATELINK_DATABASE_URL: databaseUrl,
      PRIVATELINK_KAFKA_BROKERS: brokers.join(','),
      PRIVATELINK_DB_POOL_SIZE: '4',
    });
    const transport = new KafkaTransport({ brokers, clientId: 'quota-test-sender', namespace, logger });
    const runtime = await ServiceRuntime.open({
      service: 'quota-test-sender',
      config,
      transport,
      metrics: new Metrics(),
      readiness: new ReadinessRegistry(),
      logger,
    });
    const sender = new Sender(runtime, transport);
    sender.subscription = await transport.subscribe({
      groupId: `quota-test-sender.outcomes.${randomUUID().slice(0, 8)}`,
      topics: [commandOutcomeTopic],
      fromBeginning: true,
      handler: async ({ value }: { value: MessageEnvelope }) => {
        if (value.kind === 'outcome') sender.outcomes.set(value.commandId, value);
      },
    });
    await runtime.start();
    return sender;
  }

  /** Queues a command to quota-guard (with `commandId` when given, e.g. to send the same command twice). */
  async enqueue(
    command: CommandDefinition,
    targetId: string,
    payload: object,
    commandId: string = randomUUID(),
    principal = 'service:connection-broker',
  ): Promise<string> {
    // The test sends what it likes (a payload of its own making, the target it names) to see what quota-guard does.
    const { envelope } = envelopeOf(
      { ...command, targetOf: () => targetId },
      payload,
      { principal, correlationId: `test-${commandId}` },
      commandId,
    );
    await this.runtime.store.enqueue(commandTopicFor(quotaGuardService), envelope);
    return commandId;
  }

  /** Waits for the answer to a command. */
  async outcome(commandId: string, timeoutMs = 60_000): Promise<CommandOutcome> {
    await until(() => this.outcomes.has(commandId), timeoutMs, `the outcome of ${commandId}`);
    return this.outcomes.get(commandId)!;
  }

  /** Queues a command and waits for its answer. */
  async send(command: CommandDefinition, targetId: string, payload: object, principal?: string): Promise<CommandOutcome> {
    return this.outcome(await this.enqueue(command, targetId, payload, undefined, principal));
  }

  /** Appends events to a stream of this runtime's store (they go to the stream family's topic, as the owner's would). */
  async append(streamId: string, events: Array<{ type: string } & Record<string, unknown>>): Promise<void> {
    const current = await this.runtime.store.readStream(streamId);
    await this.runtime.store.append(
      streamId,
      current.length,
      events.map((e) => ({ type: e.type, payload: e })),
      { metadata: { principal: 'service:test', correlationId: `test-${streamId}`, causationId: null } },
    );
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    await this.runtime.stop();
    await this.transport.close();
  }
}

/** A ledger as quota-guard's event store has it. */
export async function ledgerOf(core: QuotaGuardCore, ledgerId: string): Promise<QuotaLedgerState | null> {
  return (await core.runtime.store.aggregate(ledgerStream(ledgerId), quotaLedgerDecider.evolve, quotaLedgerDecider.initialState)).state;
}

let hexSerial = Math.floor(Math.random() * 0xffffff);
/** A fresh 17-hex suffix. */
export function hex17(): string {
  hexSerial += 1;
  return (0x10000000 + hexSerial).toString(16).padStart(17, '0');
}

export const vpceId = () => `vpce-${hex17()}`;
export const svcId = () => `vpce-svc-${hex17()}`;
export const vpcId = () => `vpc-${hex17()}`;
