// Shared set-up of the dns-verifier integration tests: endpoint-api and dns-verifier as two separate Nest
// applications on one fresh database of the real Postgres, talking through the real Kafka broker (a topic
// namespace of their own), and the real Knot DNS server on loopback serving a zone of this test file's own.
// dns-verifier gets a clock the tests move forward.
import { randomBytes } from 'node:crypto';
import { Host, PlatformConfig } from '@privatelink/platform';
import { DnsServer, HttpClient, TestScope, clientAs, demoKeys, freshScope, startDns } from '@privatelink/testing';
import { EndpointApiModule } from '../../endpoint-api/src/endpoint-api.module';
import { callersOf } from '../../endpoint-api/test/support';
import { DnsVerifierModule } from '../src/dns-verifier.service';
import { DnsVerifierCore } from '../src/dns-verifier.service';

export { callersOf, demoKeys };
export const PROVIDER_ACCOUNT = '111122223333';
export const HOUR = 3_600_000;

/** The schedule's clock: real time plus an offset the test moves. */
export class TestClock {
  offsetMs = 0;
  readonly now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface Stack {
  api: Host & { config: PlatformConfig };
  verifier: Host & { config: PlatformConfig };
  core: DnsVerifierCore;
  clock: TestClock;
  dns: DnsServer;
  /** A zone of this test file's own on the Knot server, e.g. `dnsv-1a2b3c4d.test`. */
  zone: string;
  /** The database and Kafka namespace the applications run on. */
  scope: TestScope;
  verifierEnv: Record<string, string>;
  as(key: string): Client;
  /** Starts another dns-verifier on the same database and namespace (after stopping the first: a restart). */
  restartVerifier(): Promise<void>;
  close(): Promise<void>;
}

export type Client = HttpClient;

export async function startStack(label: string, options: { dnsEnv?: Record<string, string> } = {}): Promise<Stack> {
  const scope = await freshScope(label);
  const dns = await startDns();
  const zone = `dnsv-${randomBytes(4).toString('hex')}.test`;
  await dns.addZone(zone);
  const clock = new TestClock();
  const verifierEnv = {
    PRIVATELINK_DNS_RESOLVERS: `${dns.host}:${dns.port}`,
    PRIVATELINK_DNS_NAMESERVER_PORT: String(dns.port),
    PRIVATELINK_DNS_TIMEOUT_MS: '300',
    PRIVATELINK_DNS_TRIES: '2',
    PRIVATELINK_DNS_SCHEDULER_POLL_MS: '100',
    ...options.dnsEnv,
  };
  const startVerifier = () => scope.startHost(`dns-verifier-${label}`, [DnsVerifierModule.register({ clock: clock.now })], verifierEnv);
  const api = await scope.startHost(`endpoint-api-${label}`, [EndpointApiModule], {
    // a busy shared broker can take seconds: wait longer than the services' defaults
    PRIVATELINK_READ_WAIT_MS: '15000',
    PRIVATELINK_DNS_VERIFY_WAIT_MS: '30000',
    PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '500',
  });
  let verifier = await startVerifier();
  const as = (key: string): Client => clientAs(api.app.getHttpServer(), key);
  const stack: Stack = {
    api,
    verifier,
    core: verifier.app.get(DnsVerifierCore),
    clock,
    dns,
    zone,
    scope,
    verifierEnv,
    as,
    restartVerifier: async () => {
      await verifier.close();
      verifier = await startVerifier();
      stack.verifier = verifier;
      stack.core = verifier.app.get(DnsVerifierCore);
    },
    close: async () => {
      await verifier?.close();
      await api?.close();
      await dns.removeZone(zone).catch(() => undefined);
      await scope.drop();
    },
  };
  return stack;
}

let serial = 0;
/** Registers a fresh load balancer as the provider; returns its ARN. */
export async function registerLb(stack: Stack, kind: 'net' | 'gwy' = 'net'): Promise<string> {
  serial += 1;
  const id = (0xd0000000 + serial).toString(16).padStart(16, '0');
  const arn = `arn:aws:elasticloadbalancing:us-east-1:${PROVIDER_ACCOUNT}:loadbalancer/${kind}/dnsv-${kind}-${serial}/${id}`;
  const res = await stack
    .as(demoKeys.provider)
    .post('/v1/provider/load-balancers', { loadBalancerArn: arn, availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }] })
    .expect(201);
  await stack
    .as(demoKeys.provider)
    .get(`/v1/provider/load-balancers/${encodeURIComponent(arn)}`)
    .set('x-consistency-token', res.headers['x-consistency-token'] as string)
    .expect(200);
  return arn;
}

export const servicePath = (serviceId: string) => `/v1/provider/endpoint-services/${serviceId}`;
export const verifyPath = (serviceId: string) => `/v1/provider/endpoint-services/${serviceId}/private-dns:verify`;

export interface Configuration {
  state: string;
  type: 'TXT';
  name?: string;
  value?: string;
  reasonCode?: string;
  reason?: string;
  lastCheckedAt?: string;
  nextCheckAt?: string;
}

/** Creates an Interface service with a private DNS name and waits until its TXT record is shown on it. */
export async function serviceWithName(
  stack: Stack,
  privateDnsName: string,
  extra: Record<string, unknown> = {},
): Promise<{ serviceId: string; record: Configuration }> {
  const lb = await registerLb(stack);
  const res = await stack
    .as(demoKeys.provider)
    .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb], privateDnsName, ...extra })
    .expect(201);
  const serviceId = res.body.serviceConfiguration.serviceId as string;
  return { serviceId, record: await recordShown(stack, serviceId) };
}

/** Polls the service view (through Kafka) until it shows a generated TXT record (optionally: not `previous`). */
export async function recordShown(stack: Stack, serviceId: string, previous?: string): Promise<Configuration> {
  let config: Configuration | undefined;
  await eventually(async () => {
    const res = await stack.as(demoKeys.provider).get(servicePath(serviceId)).expect(200);
    config = res.body.serviceConfiguration.privateDnsNameConfiguration;
    expect(config?.name).toBeDefined();
    if (previous) expect(config!.name).not.toBe(previous);
  });
  return config!;
}

/** Polls the service view until its private DNS name configuration matches. */
export async function configurationBecomes(
  stack: Stack,
  serviceId: string,
  expected: Partial<Configuration>,
  timeoutMs = 30_000,
): Promise<Configuration> {
  let config: Configuration | undefined;
  await eventually(async () => {
    const res = await stack.as(demoKeys.provider).get(servicePath(serviceId)).expect(200);
    config = res.body.serviceConfiguration.privateDnsNameConfiguration;
    expect(config).toMatchObject(expected);
  }, timeoutMs);
  return config!;
}

/** Retries `check` until it passes or the time is up (everything between the services goes through Kafka). */
export async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
