// The whole path of a quota as separate Nest applications on one fresh database (each service its own
// schema) and one Kafka namespace: endpoint-api (the HTTP edge), one or more quota-guard instances (one
// consumer group) and, when asked, connection-broker. They talk only over Kafka.
import { Host, PlatformConfig } from '@privatelink/platform';
import { TestApi, startApi } from '../../endpoint-api/test/support';
import { ConnectionBrokerModule } from '../../connection-broker/src/connection-broker.service';
import { ConnectionBrokerCore } from '../../connection-broker/src/connection-broker.service';
import { QuotaGuardModule } from '../src/quota-guard.service';
import { QuotaGuardCore } from '../src/quota-guard.service';
import { TestClock } from './support';
import { ProviderService, interfaceRequest, requestEndpoint } from '../../connection-broker/test/support';
import { connectionStream } from '../../connection-broker/src/handlers/connection-writes';
import { demoKeys, until } from '@privatelink/testing';

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
  const clock = new TestClock();
  const guards: Stack['guards'] = [];
  let serial = 0;
  const startGuard = async () => {
    serial += 1;
    guards.push(await api.scope.startHost(`quota-guard-${label}-${serial}`, [QuotaGuardModule.withClock(clock.now)], env));
  };
  for (let i = 1; i <= (options.guards ?? 1); i++) await startGuard();
  const startBroker = () => api.scope.startHost(`connection-broker-${label}`, [ConnectionBrokerModule], env);
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

/** The types of a connection's events, from connection-broker's store (a stack started with `broker: true`). */
export async function connectionEventTypes(stack: Stack, vpcEndpointId: string): Promise<string[]> {
  return (await stack.brokerCore!.runtime.store.readStream(connectionStream(vpcEndpointId))).map((e) => e.type);
}

/** The statuses of a holder's holds in quota-guard's ledger tables, by ledger. */
export async function holdStatuses(stack: Stack, holderId: string): Promise<string[]> {
  const rows: Array<{ status: string }> = await stack.guardCores[0].runtime.db.query(
    `SELECT status FROM qg_holds WHERE holder_id = $1 ORDER BY ledger_id`,
    [holderId],
  );
  return rows.map((r) => r.status);
}

/** Stops quota-guard (instance 0), then requests an endpoint on `service` as the consumer: its quota answer cannot come. */
export async function requestWithGuardStopped(stack: Stack, service: ProviderService) {
  await stack.stopGuard(0);
  const body = interfaceRequest(service);
  const { vpcEndpointId } = await requestEndpoint(stack, body, demoKeys.consumer, service.token);
  return { body, vpcEndpointId };
}

/** Waits until the connection has asked for its quota (the checks passed and the reservation is on its way). */
export async function quotaRequested(stack: Stack, vpcEndpointId: string): Promise<void> {
  await until(
    async () => (await connectionEventTypes(stack, vpcEndpointId)).includes('connectionQuotaRequested'),
    30_000,
    'the quota requested',
  );
}
