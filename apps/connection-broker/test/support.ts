// Shared set-up of the connection-broker integration tests: endpoint-api and connection-broker as two
// separate Nest applications on one fresh database of the real Postgres (each its own schema) and one
// Kafka namespace of the real broker, talking only over Kafka; plus HTTP helpers and the state-machine
// checks the race tests apply to the event streams.
import { EventEnvelope } from '@privatelink/contracts';
import {
  EndpointConnectionEvent,
  EndpointConnectionState,
  EndpointServiceEvent,
  VpcEndpointState,
  endpointConnectionDecider,
} from '@privatelink/domain';
import { TestHost, readThrough } from '@privatelink/testing';
import {
  CONSUMER_ACCOUNT,
  CONSUMER_ROLE,
  CONSUMER_ROOT,
  Key,
  OTHER_CONSUMER_ROOT,
  TestApi,
  ZONES,
  callersOf,
  demoKeys,
  eventually,
  servicePath,
  startApi,
  tokenOf,
} from '../../endpoint-api/test/support';
import { ConnectionBrokerModule } from '../src/connection-broker.service';
import { ConnectionBrokerCore } from '../src/connection-broker.service';
import { QuotaPort } from '../src/quota/quota.port';
import { connectionStream } from '../src/handlers/connection-writes';
import { endpointServiceStream } from '../../endpoint-api/src/handlers/service-writes';
import { QuotaGuardModule } from '../../quota-guard/src/quota-guard.service';

export {
  CONSUMER_ACCOUNT,
  CONSUMER_ROLE,
  CONSUMER_ROOT,
  OTHER_CONSUMER_ROOT,
  ZONES,
  callersOf,
  demoKeys,
  eventually,
  servicePath,
  tokenOf,
};
export type { Key };

/** The applications of a world: endpoint-api, connection-broker and (unless a test passes its own quota adapter) quota-guard. */
export interface WorldHosts {
  api: TestApi;
  broker: TestHost;
  brokerCore: ConnectionBrokerCore;
  /** Stops connection-broker (its commands and events wait in Kafka meanwhile). */
  stopBroker(): Promise<void>;
  /** Starts connection-broker again on the same database and namespace: it resumes where it stopped. */
  startBroker(): Promise<void>;
  /** quota-guard, the broker's default quota adapter's counterpart (absent when a test passes its own adapter). */
  quotaGuard?: TestHost;
  close(): Promise<void>;
}

/** A world's applications and what the tests read back from their event streams. */
export interface World extends WorldHosts {
  /** A connection's events from the broker's event store (the owner's record). */
  connectionEvents(vpcEndpointId: string): Promise<EventEnvelope[]>;
  /** A service's events from endpoint-api's event store. */
  serviceEvents(serviceId: string): Promise<EventEnvelope[]>;
  /** Checks the connection's stream is a legal sequence (assertLegalSequence); returns its final state. */
  legalSequence(vpcEndpointId: string): Promise<VpcEndpointState>;
  /** The ids the service's stream counts as live (liveOnService of its events). */
  liveOn(serviceId: string): Promise<Set<string>>;
  /** Waits until a connection's stream has settled in one of `states` (nothing outstanding), then returns its state. */
  settledState(vpcEndpointId: string, states: VpcEndpointState[], timeoutMs?: number): Promise<EndpointConnectionState>;
}

/** endpoint-api and connection-broker as separate applications, sharing only the database server and Kafka. */
export async function startWorld(label: string, options: { quota?: QuotaPort } = {}): Promise<World> {
  const api = await startApi(label);
  const env = { PRIVATELINK_READ_WAIT_MS: '15000' };
  const module = options.quota ? ConnectionBrokerModule.withQuota(options.quota) : ConnectionBrokerModule;
  const startBrokerHost = () => api.scope.startHost(`connection-broker-${label}`, [module], env);
  // The broker's default quota adapter asks quota-guard: run it too, as its own application.
  const quotaGuard = options.quota ? undefined : await api.scope.startHost(`quota-guard-${label}`, [QuotaGuardModule], env);
  let broker = await startBrokerHost();
  const hosts: WorldHosts = {
    api,
    quotaGuard,
    get broker() {
      return broker;
    },
    get brokerCore() {
      return broker.app.get(ConnectionBrokerCore);
    },
    stopBroker: async () => {
      await broker.close();
    },
    startBroker: async () => {
      broker = await startBrokerHost();
    },
    close: async () => {
      await broker?.close().catch(() => undefined);
      await quotaGuard?.close().catch(() => undefined);
      await api.close();
    },
  };
  return worldOf(() => hosts);
}

/**
 * A world for the enclosing `describe` block (started by its `beforeAll`, closed by its `afterAll`), with the
 * demo callers and the HTTP steps bound to it (see stepsOf).
 */
export function useWorld(label: string, options: { quota?: QuotaPort } = {}): World & Steps {
  let started: World | undefined;
  beforeAll(async () => {
    started = await startWorld(label, options);
  }, 180_000);
  afterAll(async () => started?.close());
  const world = worldOf(() => {
    if (!started) throw new Error(`the world '${label}' is not running (used outside its describe block's tests?)`);
    return started;
  });
  return Object.assign(
    world,
    stepsOf(() => world),
  );
}

/** The world of the applications `hosts` answers (looked up at each call): startWorld's, or one a test started its own way. */
export function worldOf(hosts: () => WorldHosts): World {
  const methods: Omit<World, 'api' | 'broker' | 'brokerCore' | 'quotaGuard'> = {
    stopBroker: () => hosts().stopBroker(),
    startBroker: () => hosts().startBroker(),
    close: () => hosts().close(),
    connectionEvents: (vpcEndpointId) => world.brokerCore.runtime.store.readStream(connectionStream(vpcEndpointId)),
    serviceEvents: (serviceId) => world.api.core.runtime.store.readStream(endpointServiceStream(serviceId)),
    legalSequence: async (vpcEndpointId) => assertLegalSequence(await world.connectionEvents(vpcEndpointId)),
    liveOn: async (serviceId) => liveOnService(await world.serviceEvents(serviceId)),
    settledState: async (vpcEndpointId, states, timeoutMs = 60_000) => {
      let state: EndpointConnectionState | null = null;
      await eventually(async () => {
        const { state: s } = await world.brokerCore.runtime.store.aggregate(
          connectionStream(vpcEndpointId),
          endpointConnectionDecider.evolve,
          endpointConnectionDecider.initialState,
        );
        state = s;
        expect(states).toContain(s?.vpcEndpointState);
        expect(['none', 'attached', 'detached']).toContain(s?.attachment);
        expect(s?.quota).not.toBe('requested');
      }, timeoutMs);
      return state!;
    },
  };
  const world: World = Object.assign(readThrough(hosts, ['api', 'broker', 'brokerCore', 'quotaGuard']), methods);
  return world;
}

/** What the HTTP steps below drive: endpoint-api (a World, or any stack that runs it). */
export type Edge = Pick<World, 'api'>;

/**
 * The demo callers and the HTTP steps of the workflow, bound to `edge` (looked up at each call, so a describe
 * block may name them before its beforeAll started the applications).
 */
export function stepsOf(edge: () => Edge) {
  return {
    ...callersOf(() => edge().api),
    providerService: (options?: Parameters<typeof providerService>[1]) => providerService(edge(), options),
    requestEndpoint: (body: Record<string, unknown>, key?: Key, serviceToken?: string) => requestEndpoint(edge(), body, key, serviceToken),
    endpointOf: (vpcEndpointId: string, key?: Key, token?: string) => endpointOf(edge(), vpcEndpointId, key, token),
    waitForEndpoint: (vpcEndpointId: string, state: VpcEndpointState, key?: Key, timeoutMs?: number) =>
      waitForEndpoint(edge(), vpcEndpointId, state, key, timeoutMs),
    endpointIn: (service: ProviderService, state: VpcEndpointState, extra?: Record<string, unknown>, key?: Key) =>
      endpointIn(edge(), service, state, extra, key),
  };
}

export type Steps = ReturnType<typeof stepsOf>;

// ── provider side ────────────────────────────────────────────────────────────────────────────────

export interface ProviderService {
  serviceId: string;
  serviceName: string;
  loadBalancerArn: string;
  /** The consistency token of the last service write (send it with a request validated against it). */
  token: string;
}

/** A provider's Available service with the given principals allowed. */
export async function providerService(
  world: Edge,
  options: {
    acceptanceRequired?: boolean;
    principals?: string[];
    autoAcceptPrincipals?: string[];
    privateDnsName?: string;
    kind?: 'net' | 'gwy';
    zones?: Array<{ zoneName: string; zoneId: string }>;
  } = {},
): Promise<ProviderService> {
  const { api } = world;
  const kind = options.kind ?? 'net';
  const arn = await api.registerLb({ kind, zones: options.zones ?? [ZONES.a, ZONES.b] });
  const body: Record<string, unknown> = kind === 'net' ? { networkLoadBalancerArns: [arn] } : { gatewayLoadBalancerArns: [arn] };
  if (options.acceptanceRequired !== undefined) body.acceptanceRequired = options.acceptanceRequired;
  if (options.privateDnsName) body.privateDnsName = options.privateDnsName;
  const service = await api.createAvailableService(body);
  const provider = api.as(demoKeys.provider);
  let token = '';
  const principals = options.principals ?? [CONSUMER_ROOT];
  if (principals.length > 0) {
    const res = await provider.post(`${servicePath(service.serviceId)}/permissions`, { addAllowedPrincipals: principals }).expect(200);
    token = tokenOf(res);
  }
  if (options.autoAcceptPrincipals) {
    const res = await provider.patch(servicePath(service.serviceId), { addAutoAcceptPrincipals: options.autoAcceptPrincipals }).expect(200);
    token = tokenOf(res);
  }
  return { serviceId: service.serviceId, serviceName: service.serviceName as string, loadBalancerArn: arn, token };
}

// ── consumer side ────────────────────────────────────────────────────────────────────────────────

let vpcSerial = 0;
/** A fresh VPC id (8 hex) each call. */
export function vpcId(): string {
  vpcSerial += 1;
  return `vpc-${(0x1000000 + vpcSerial).toString(16).padStart(8, '0')}`;
}

export const subnet = (zoneId: string, n = 1) => ({
  subnetId: `subnet-${zoneId.replace(/\D/g, '').padStart(2, '0')}${String(n).padStart(6, '0')}`,
  availabilityZoneId: zoneId,
});

/** An interface endpoint request body in zones a and b. */
export function interfaceRequest(service: ProviderService, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serviceName: service.serviceName,
    vpcEndpointType: 'Interface',
    vpcId: vpcId(),
    subnets: [subnet('use1-az1'), subnet('use1-az2')],
    ...extra,
  };
}

/** Requests an endpoint (validated against the service write `service.token`); returns its id and the answer. */
export async function requestEndpoint(world: Edge, body: Record<string, unknown>, key: Key = demoKeys.consumer, serviceToken?: string) {
  let call = world.api.as(key).post('/v1/consumer/endpoints', body);
  if (serviceToken) call = call.set('x-consistency-token', serviceToken);
  const res = await call;
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { vpcEndpointId: res.body.vpcEndpoint.vpcEndpointId as string, res };
}

/** The consumer's view of an endpoint. */
export async function endpointOf(
  world: Edge,
  vpcEndpointId: string,
  key: Key = demoKeys.consumer,
  token?: string,
): Promise<Record<string, any>> {
  let call = world.api.as(key).get(`/v1/consumer/endpoints/${vpcEndpointId}`);
  if (token) call = call.set('x-consistency-token', token);
  const res = await call.expect(200);
  return res.body.vpcEndpoint;
}

/** Polls the consumer's view until the endpoint is in `state` (the workflow runs through Kafka). */
export async function waitForEndpoint(
  world: Edge,
  vpcEndpointId: string,
  state: VpcEndpointState,
  key: Key = demoKeys.consumer,
  timeoutMs = 30_000,
): Promise<Record<string, any>> {
  let last: Record<string, any> | undefined;
  await eventually(async () => {
    const res = await world.api.as(key).get(`/v1/consumer/endpoints/${vpcEndpointId}`);
    last = res.body.vpcEndpoint;
    expect(last?.vpcEndpointState).toBe(state);
  }, timeoutMs);
  return last!;
}

/** Requests an endpoint and waits until the workflow settled it in `state`. */
export async function endpointIn(
  world: Edge,
  service: ProviderService,
  state: VpcEndpointState,
  extra: Record<string, unknown> = {},
  key: Key = demoKeys.consumer,
) {
  const { vpcEndpointId } = await requestEndpoint(world, interfaceRequest(service, extra), key, service.token);
  return { vpcEndpointId, endpoint: await waitForEndpoint(world, vpcEndpointId, state, key) };
}

// ── event streams ────────────────────────────────────────────────────────────────────────────────

/** The state machine of DESIGN.md section 4, written out independently of the decider. */
const LEGAL: Record<string, VpcEndpointState[]> = {
  none: ['pending'],
  pending: ['pendingAcceptance', 'available', 'failed', 'deleting'],
  pendingAcceptance: ['available', 'rejected', 'deleting'],
  available: ['rejected', 'deleting'],
  rejected: ['deleting'],
  failed: ['deleting'],
  deleting: ['deleted'],
  deleted: [],
};

/** The side effects' own state machines: the event types that move them, each from the state it needs to the one it leaves. */
const QUOTA_STEPS: Record<string, [from: string, to: string]> = {
  connectionQuotaRequested: ['none', 'requested'],
  connectionQuotaGranted: ['requested', 'granted'],
  connectionQuotaRefused: ['requested', 'refused'],
  connectionQuotaReleased: ['granted', 'released'],
};
const ATTACHMENT_STEPS: Record<string, [from: string, to: string]> = {
  connectionAttachRequested: ['none', 'requested'],
  connectionAttached: ['requested', 'attached'],
  connectionDetachRequested: ['attached', 'detachRequested'],
  connectionDetached: ['detachRequested', 'detached'],
};

/**
 * Checks one connection stream is a legal sequence: versions 1..n without gaps; every state change is an
 * edge of the state machine from the state the stream was in; the side effects happen in order (quota
 * before attaching, attached before detaching, nothing outstanding when deleted). Returns the final state.
 */
export function assertLegalSequence(events: EventEnvelope[]): VpcEndpointState {
  let state: VpcEndpointState | 'none' = 'none';
  let quota = 'none';
  let attachment = 'none';
  events.forEach((envelope, i) => {
    expect(envelope.streamVersion).toBe(i + 1);
    const e = envelope.payload as unknown as EndpointConnectionEvent & { stateBefore?: string | null; stateAfter?: VpcEndpointState };
    if (e.stateAfter) {
      expect({ at: i, before: e.stateBefore ?? 'none' }).toEqual({ at: i, before: state });
      expect({ at: i, from: state, legal: LEGAL[state] }).toEqual(
        expect.objectContaining({ legal: expect.arrayContaining([e.stateAfter]) }),
      );
      state = e.stateAfter;
    }
    const quotaStep = QUOTA_STEPS[e.type];
    if (quotaStep) {
      expect(quota).toBe(quotaStep[0]);
      quota = quotaStep[1];
    }
    const attachmentStep = ATTACHMENT_STEPS[e.type];
    if (attachmentStep) {
      // Attaching starts only once the quota is granted.
      if (e.type === 'connectionAttachRequested') expect(quota).toBe('granted');
      expect(attachment).toBe(attachmentStep[0]);
      attachment = attachmentStep[1];
    }
    switch (e.type) {
      case 'connectionPendingAcceptance':
      case 'connectionAutoAccepted':
        expect(attachment).toBe('attached');
        break;
      case 'connectionDeleted':
        expect(['none', 'detached', 'requested']).toContain(attachment);
        expect(quota).not.toBe('requested');
        expect(quota).not.toBe('granted');
        break;
    }
  });
  return state as VpcEndpointState;
}

/** The ids the service's stream counts as live, folded from its connection events. */
export function liveOnService(events: EventEnvelope[]): Set<string> {
  const live = new Set<string>();
  for (const e of events) {
    const p = e.payload as unknown as EndpointServiceEvent;
    if (p.type === 'endpointServiceConnectionOpened') live.add(p.vpcEndpointId);
    if (p.type === 'endpointServiceConnectionClosed') live.delete(p.vpcEndpointId);
  }
  return live;
}
