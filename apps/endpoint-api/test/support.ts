// Shared set-up of the endpoint-api integration tests: a real Nest application on a fresh database of the
// real Postgres, fed through the real Kafka broker (its own topic namespace), and small HTTP helpers.
import request from 'supertest';
import { HttpClient, TestHost, TestScope, clientAs, demoKeys, eventually, freshScope, readThrough } from '@privatelink/testing';
import { EndpointApiModule } from '../src/endpoint-api.module';
import { EndpointApiCore } from '../src/endpoint-api.core';
import { endpointServices } from '../src/aggregates';

export { demoKeys, eventually };
export type Key = (typeof demoKeys)[keyof typeof demoKeys];

export const PROVIDER_ACCOUNT = '111122223333';
export const OTHER_PROVIDER_ACCOUNT = '999988887777';
export const CONSUMER_ACCOUNT = '444455556666';
export const CONSUMER_ROOT = `arn:aws:iam::${CONSUMER_ACCOUNT}:root`;
export const CONSUMER_ROLE = `arn:aws:iam::${CONSUMER_ACCOUNT}:role/portal`;
export const OTHER_CONSUMER_ROOT = 'arn:aws:iam::777788889999:root';

export const ZONES = {
  a: { zoneName: 'us-east-1a', zoneId: 'use1-az1' },
  b: { zoneName: 'us-east-1b', zoneId: 'use1-az2' },
  c: { zoneName: 'us-east-1c', zoneId: 'use1-az3' },
};

let serial = 0;
/** A fresh, well-formed load balancer ARN each call (unique within the test file's database). */
export function lbArn(kind: 'net' | 'gwy' | 'app' = 'net', account = PROVIDER_ACCOUNT): string {
  serial += 1;
  const id = (0xa0000000 + serial).toString(16).padStart(16, '0');
  return `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/${kind}/${kind}-lb-${serial}/${id}`;
}

/** The HTTP client of one caller (its bearer key on every request). */
export type Client = HttpClient;

export interface ServiceView {
  serviceId: string;
  serviceState: string;
  [field: string]: unknown;
}

export interface LbOptions {
  kind?: 'net' | 'gwy';
  zones?: Array<{ zoneName: string; zoneId: string }>;
  ipAddressType?: 'ipv4' | 'dualstack';
  key?: Key;
  account?: string;
}

/** A running endpoint-api: what a test asks it (over HTTP, as the demo callers) and its own parts. */
export interface TestApi {
  host: TestHost;
  core: EndpointApiCore;
  /** Its database and Kafka namespace (other applications of the test start on them). */
  scope: TestScope;
  as(key: Key): Client;
  /** The demo callers' clients. */
  provider(): Client;
  consumer(): Client;
  ops(): Client;
  /** Registers a load balancer as the provider (or `options.key`); returns its ARN. */
  registerLb(options?: LbOptions): Promise<string>;
  /** Creates a service and waits until the activation reaction (through Kafka) made it Available. */
  createAvailableService(body: Record<string, unknown>, key?: Key): Promise<ServiceView>;
  /** An Available service of the provider on a Network Load Balancer of its own (`body`: more of the request). */
  newService(body?: Record<string, unknown>): Promise<ServiceView>;
  /** Polls the read model (through Kafka) until the service reaches `state`. */
  waitForState(serviceId: string, state: string, key?: Key, timeoutMs?: number): Promise<ServiceView>;
  /**
   * Stands in for the connection broker recording a live connection on the service (or its end, `open`
   * false), through the same decider and the real event store, as the broker's command to endpoint-api does.
   */
  recordConnection(serviceId: string, vpcEndpointId: string, open?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * The demo callers' clients of an application answering `as` (looked up at each call, so a describe block
 * may name them before its beforeAll started the application).
 */
export function callersOf(api: () => Pick<TestApi, 'as'>) {
  return {
    provider: () => api().as(demoKeys.provider),
    consumer: () => api().as(demoKeys.consumer),
    ops: () => api().as(demoKeys.ops),
  };
}

/** Starts endpoint-api on a fresh database and the shared Kafka broker (`env`: settings beyond the tests' defaults). */
export async function startApi(label: string, options: { env?: Record<string, string> } = {}): Promise<TestApi> {
  const scope = await freshScope(label);
  const host = await scope.startHost(`endpoint-api-${label}`, [EndpointApiModule], {
    // Suites start in parallel on one broker, where a busy moment can take seconds: the bounded
    // read-your-writes wait is longer here than the service's default.
    // The default quota of 20 endpoint services per account is the quota suites' subject (apps/quota-guard);
    // suites here create more services than that in one account.
    PRIVATELINK_READ_WAIT_MS: '15000',
    PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '1000',
    ...options.env,
  });
  const running = {
    host,
    core: host.app.get(EndpointApiCore),
    scope,
    close: async () => {
      await host.close();
      await scope.drop();
    },
  };
  const api = apiHandle(() => running);
  await warmUp(api);
  return api;
}

/**
 * endpoint-api for the enclosing `describe` block: started by its `beforeAll` on a fresh database (named after
 * `label`), closed by its `afterAll`. The handle answers for the running application once the block's tests run.
 */
export function useApi(label: string): TestApi {
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startApi(label);
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
  return apiHandle(() => {
    if (!started) throw new Error(`endpoint-api '${label}' is not running (used outside its describe block's tests?)`);
    return started;
  });
}

/**
 * The test handle of the endpoint-api `running` answers (looked up at each call): startApi's and useApi's, or
 * that of a host a test started its own way (the embedded layout).
 */
export function apiHandle(running: () => Pick<TestApi, 'host' | 'core' | 'scope' | 'close'>): TestApi {
  const methods: Omit<TestApi, 'host' | 'core' | 'scope'> = {
    as: (key) => clientAs(running().host.app.getHttpServer(), key),
    ...callersOf(() => api),
    registerLb: async (options = {}) => {
      const arn = lbArn(options.kind ?? 'net', options.account ?? PROVIDER_ACCOUNT);
      const client = api.as(options.key ?? demoKeys.provider);
      const res = await client
        .post('/v1/provider/load-balancers', {
          loadBalancerArn: arn,
          availabilityZones: options.zones ?? [ZONES.a, ZONES.b],
          ipAddressType: options.ipAddressType,
        })
        .expect(201);
      // Read-your-writes: the registry's read model has it before the test goes on.
      await client.get(lbPath(arn)).set('x-consistency-token', tokenOf(res)).expect(200);
      return arn;
    },
    createAvailableService: async (body, key = demoKeys.provider) => {
      const created = await api.as(key).post('/v1/provider/endpoint-services', body).expect(201);
      const service = created.body.serviceConfiguration as ServiceView;
      return api.waitForState(service.serviceId, 'Available', key);
    },
    newService: async (body = {}) => api.createAvailableService({ networkLoadBalancerArns: [await api.registerLb()], ...body }),
    waitForState: async (serviceId, state, key = demoKeys.provider, timeoutMs = 20_000) => {
      let last: ServiceView | undefined;
      await eventually(async () => {
        const res = await api.as(key).get(servicePath(serviceId)).expect(200);
        last = res.body.serviceConfiguration;
        expect(last!.serviceState).toBe(state);
      }, timeoutMs);
      return last!;
    },
    recordConnection: async (serviceId, vpcEndpointId, open = true) => {
      await api.core.runtime.handle(
        endpointServices,
        serviceId,
        open ? { type: 'recordConnectionOpened', vpcEndpointId } : { type: 'recordConnectionClosed', vpcEndpointId },
        { principal: 'service:connection-broker', correlationId: `test-${vpcEndpointId}` },
      );
    },
    close: () => running().close(),
  };
  const api: TestApi = Object.assign(readThrough(running, ['host', 'core', 'scope']), methods);
  return api;
}

/**
 * Drives one write through every consumer group of the host (load balancer and service projections, the
 * activation and deletion reactions) before the tests start, so their first assertions do not race the
 * groups joining the broker. It runs as the other provider account and leaves nothing visible: the service
 * is deleted and the load balancer deregistered.
 */
async function warmUp(api: TestApi): Promise<void> {
  const other = api.as(demoKeys.otherProvider);
  const arn = lbArn('gwy', OTHER_PROVIDER_ACCOUNT);
  const lb = await other.post('/v1/provider/load-balancers', { loadBalancerArn: arn, availabilityZones: [ZONES.a] }).expect(201);
  await other.get(lbPath(arn)).set('x-consistency-token', tokenOf(lb)).expect(200);
  const created = await other.post('/v1/provider/endpoint-services', { gatewayLoadBalancerArns: [arn] }).expect(201);
  const serviceId = created.body.serviceConfiguration.serviceId as string;
  await api.waitForState(serviceId, 'Available', demoKeys.otherProvider, 60_000);
  await other.del(servicePath(serviceId)).expect(200);
  await eventually(async () => {
    await other.get(servicePath(serviceId)).expect(404);
  }, 60_000);
  await eventually(async () => {
    await other.del(lbPath(arn)).expect(200);
  }, 60_000);
}

export const lbPath = (arn: string) => `/v1/provider/load-balancers/${encodeURIComponent(arn)}`;
export const servicePath = (serviceId: string) => `/v1/provider/endpoint-services/${serviceId}`;

/** The consistency token a write answered: send it back on a read to see that write (read-your-writes). */
export const tokenOf = (res: request.Response): string => res.headers['x-consistency-token'] as string;
