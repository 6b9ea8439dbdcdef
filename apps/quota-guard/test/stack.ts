// The whole path of a quota as separate Nest applications on one fresh database (each service its own
// schema) and one Kafka namespace: endpoint-api (the HTTP edge), one or more quota-guard instances (one
// consumer group) and, when asked, connection-broker. They talk only over Kafka.
import { Host, PlatformConfig } from '@privatelink/platform';
import { startTestHost } from '@privatelink/testing';
import { TestApi, startApi } from '../../endpoint-api/test/support';
import { ConnectionBrokerModule } from '../../connection-broker/src/connection-broker.service';
import { ConnectionBrokerCore } from '../../connection-broker/src/connection-broker.service';
import { QuotaGuardModule } from '../src/quota-guard.service';
import { QuotaGuardCore } from '../src/quota-guard.service';
import { TestClock } from './support';

export interface Stack {
  api: TestApi;
  guards: Array<Host & { config: PlatformConfig }>;
  readonly guardCores: QuotaGuardCore[];
  broker?: Host & { config: PlatformConfig };
  readonly brokerCore?: ConnectionBrokerCore;
  clock: TestClock;
  /** Stops quota-guard instance `i` (its commands and events wait in Kafka meanwhile). */
  stopGuard(i?: number): Promise<void>;
  /** Starts one more quota-guard instance on the same database, namespace and clock: it resumes where the group stopped. */
  startGuard(): Promise<void>;
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Settings for every application (quota defaults, timeouts). */
  env?: Record<string, string>;
  /** quota-guard instances (default 1). */
  guards?: number;
  /** Also run connection-broker (its default quota adapter: quota-guard). */
  broker?: boolean;
}

export async function startStack(label: string, options: StackOptions = {}): Promise<Stack> {
  const env = { PRIVATELINK_READ_WAIT_MS: '15000', ...options.env };
  const api = await startApi(label, { env });
  const { databaseUrl } = api;
  const brokers = api.host.config.kafka.brokers;
  const namespace = api.host.config.kafka.namespace!;
  const clock = new TestClock();
  const guards: Stack['guards'] = [];
  let serial = 0;
  const startGuard = async () => {
    serial += 1;
    guards.push(
      await startTestHost({
        processName: `quota-guard-${label}-${serial}`,
        services: [QuotaGuardModule.withClock(clock.now)],
        databaseUrl,
        brokers,
        namespace,
        env,
      }),
    );
  };
  for (let i = 1; i <= (options.guards ?? 1); i++) await startGuard();
  const startBroker = () =>
    startTestHost({ processName: `connection-broker-${label}`, services: [ConnectionBrokerModule], databaseUrl, brokers, namespace, env });
  let broker = options.broker ? await startBroker() : undefined;
  return {
    api,
    guards,
    get guardCores() {
      return guards.map((g) => g.app.get(QuotaGuardCore));
    },
    get broker() {
      return broker;
    },
    get brokerCore() {
      return broker?.app.get(ConnectionBrokerCore);
    },
    stopGuard: async (i = 0) => {
      const [stopped] = guards.splice(i, 1);
      await stopped?.close();
    },
    startGuard,
    stopBroker: async () => {
      await broker?.close();
      broker = undefined;
    },
    startBroker: async () => {
      broker = await startBroker();
    },
    clock,
    close: async () => {
      await broker?.close().catch(() => undefined);
      for (const g of guards) await g.close().catch(() => undefined);
      await api.close();
    },
  };
}
