// What the console and monitoring tests share: the five services (in one process on the in-process
// transport, as `npm start` runs them, or as five processes on Kafka, as the distributed run does) on a
// fresh database, and a small demo world made through the public API: a service with a request waiting
// for acceptance, a quota increase request, a delivery that failed, a private DNS name that is not verified.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  TestHost,
  demoKeys,
  dropDatabase,
  eventually,
  freshDatabase,
  freshScope,
  startDns,
  startPostgres,
  startSns,
  startTestHost,
} from '@privatelink/testing';
import { EndpointApiModule } from '../src/endpoint-api.module';
import { ConnectionBrokerModule } from '../../connection-broker/src/connection-broker.service';
import { DnsVerifierModule } from '../../dns-verifier/src/dns-verifier.service';
import { NotifierModule } from '../../notifier/src/notifier.service';
import { QuotaGuardModule } from '../../quota-guard/src/quota-guard.service';

export { demoKeys, eventually };
export type { TestHost };

/** Where the tests leave what a person looks at afterwards (screenshots): test-output/, gitignored. */
export function testOutputDir(...parts: string[]): string {
  const dir = resolve(__dirname, '../../../test-output', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const outputFile = (dir: string, name: string) => join(dir, name);

async function environment(): Promise<{ sns: Awaited<ReturnType<typeof startSns>>; env: Record<string, string> }> {
  const [sns, dns] = await Promise.all([startSns(), startDns()]);
  const env = {
    PRIVATELINK_READ_WAIT_MS: '15000',
    PRIVATELINK_SNS_ENDPOINT: sns.endpoint,
    PRIVATELINK_SNS_REGION: sns.region,
    PRIVATELINK_SNS_ACCESS_KEY_ID: sns.credentials.accessKeyId,
    PRIVATELINK_SNS_SECRET_ACCESS_KEY: sns.credentials.secretAccessKey,
    PRIVATELINK_NOTIFY_MAX_ATTEMPTS: '2',
    PRIVATELINK_NOTIFY_BASE_DELAY_MS: '50',
    PRIVATELINK_DNS_RESOLVERS: `${dns.host}:${dns.port}`,
    PRIVATELINK_DNS_NAMESERVER_PORT: String(dns.port),
    PRIVATELINK_DNS_TIMEOUT_MS: '500',
    PRIVATELINK_DNS_VERIFY_WAIT_MS: '20000',
  };
  return { sns, env };
}

export interface Stack {
  /** endpoint-api's host: the console and the API. */
  api: TestHost;
  /** Every host (one in the embedded layout, five in the distributed one). */
  hosts: Array<{ service: string; host: TestHost }>;
  sns: Awaited<ReturnType<typeof startSns>>;
  close(): Promise<void>;
}

/** All five services in one process on the in-process transport: the embedded run's layout. */
export async function startEmbeddedStack(label: string): Promise<Stack> {
  const { url } = await startPostgres();
  const databaseUrl = await freshDatabase(url, label);
  const { sns, env } = await environment();
  const host = await startTestHost({
    processName: `embedded-${label}`,
    services: [EndpointApiModule, ConnectionBrokerModule, DnsVerifierModule, NotifierModule, QuotaGuardModule],
    databaseUrl,
    env,
  });
  return {
    api: host,
    hosts: [{ service: 'embedded', host }],
    sns,
    close: async () => {
      await host.close();
      await dropDatabase(databaseUrl).catch(() => undefined);
    },
  };
}

/** Each service its own application on Kafka (the distributed run); endpoint-api knows the others' URLs. */
export async function startDistributedStack(label: string, extraEnv: Record<string, string> = {}): Promise<Stack> {
  const scope = await freshScope(label);
  const { sns, env: base } = await environment();
  const env = { ...base, ...extraEnv };
  const others: Array<{ service: string; host: TestHost }> = [];
  for (const [service, module] of [
    ['connection-broker', ConnectionBrokerModule],
    ['dns-verifier', DnsVerifierModule],
    ['notifier', NotifierModule],
    ['quota-guard', QuotaGuardModule],
  ] as const) {
    others.push({ service, host: await scope.startHost(`${service}-${label}`, [module], env) });
  }
  const api = await scope.startHost(`endpoint-api-${label}`, [EndpointApiModule], {
    ...env,
    PRIVATELINK_CONSOLE_SERVICE_URLS: others.map((o) => `${o.service}=${o.host.url}`).join(','),
  });
  const hosts = [{ service: 'endpoint-api', host: api }, ...others];
  return {
    api,
    hosts,
    sns,
    close: async () => {
      for (const h of [...hosts].reverse()) await h.host.close().catch(() => undefined);
      await scope.drop();
    },
  };
}

/** A JSON call to the API as one of the demo keys; answers status and body. */
export async function call(base: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function ok(base: string, key: string, method: string, path: string, body?: unknown, expected = [200, 201, 202]) {
  const res = await call(base, key, method, path, body);
  if (!expected.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

export interface DemoWorld {
  serviceId: string;
  /** The consumer's VPC of the waiting request (the increase request's scope). */
  vpcId: string;
  dnsServiceId: string;
  vpcEndpointId: string;
  requestId: string;
  deliveryId: string;
  /** The SNS topic the failed delivery was sent to: it does not exist until the test creates it. */
  missingTopicName: string;
  missingTopicArn: string;
}

/** Makes the demo world through the API and waits until the workflows have moved it where the tests need it. */
export async function seedDemoWorld(base: string): Promise<DemoWorld> {
  const suffix = randomBytes(4).toString('hex');
  const lb = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/console-${suffix}/${randomBytes(8).toString('hex')}`;
  const zones = [
    { zoneName: 'us-east-1a', zoneId: 'use1-az1' },
    { zoneName: 'us-east-1b', zoneId: 'use1-az2' },
  ];
  await ok(base, demoKeys.provider, 'POST', '/v1/provider/load-balancers', { loadBalancerArn: lb, availabilityZones: zones });
  const created = await ok(base, demoKeys.provider, 'POST', '/v1/provider/endpoint-services', {
    networkLoadBalancerArns: [lb],
    acceptanceRequired: true,
  });
  const serviceId = created.body.serviceConfiguration.serviceId as string;
  const serviceName = created.body.serviceConfiguration.serviceName as string;
  // The notification first, long before the first connection event: notifier must know it to deliver.
  const missingTopicName = `console-missing-${suffix}`;
  const missingTopicArn = `arn:aws:sns:us-east-1:123456789012:${missingTopicName}`;
  await ok(base, demoKeys.provider, 'POST', `/v1/provider/endpoint-services/${serviceId}/notifications`, {
    connectionNotificationArn: missingTopicArn,
    connectionEvents: ['Connect'],
  });
  const lb2 = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/console-dns-${suffix}/${randomBytes(8).toString('hex')}`;
  await ok(base, demoKeys.provider, 'POST', '/v1/provider/load-balancers', { loadBalancerArn: lb2, availabilityZones: zones });
  const withDns = await ok(base, demoKeys.provider, 'POST', '/v1/provider/endpoint-services', {
    networkLoadBalancerArns: [lb2],
    privateDnsName: `api-${suffix}.example.test`,
  });
  const dnsServiceId = withDns.body.serviceConfiguration.serviceId as string;
  await eventually(
    async () => {
      const s = await call(base, demoKeys.provider, 'GET', `/v1/provider/endpoint-services/${serviceId}`);
      if (s.body?.serviceConfiguration?.serviceState !== 'Available') throw new Error('service not Available yet');
    },
    30_000,
    100,
  );
  await ok(base, demoKeys.provider, 'POST', `/v1/provider/endpoint-services/${serviceId}/permissions`, {
    addAllowedPrincipals: ['arn:aws:iam::444455556666:root'],
  });
  const vpcId = `vpc-${randomBytes(4).toString('hex')}`;
  let vpcEndpointId = '';
  await eventually(
    async () => {
      // The broker's view of the new permission may lag a moment: a refused request is simply made again.
      const requested = await ok(base, demoKeys.consumer, 'POST', '/v1/consumer/endpoints', {
        serviceName,
        vpcEndpointType: 'Interface',
        vpcId,
        subnets: [{ subnetId: `subnet-${randomBytes(4).toString('hex')}`, availabilityZoneId: 'use1-az1' }],
        requestMessage: 'payments team, console test',
      });
      const id = requested.body.vpcEndpoint.vpcEndpointId as string;
      await eventually(
        async () => {
          const e = await call(base, demoKeys.consumer, 'GET', `/v1/consumer/endpoints/${id}`);
          const state = e.body?.vpcEndpoint?.vpcEndpointState;
          if (state === 'failed') return;
          if (state !== 'pendingAcceptance') throw new Error(`endpoint ${id} is ${state}`);
          vpcEndpointId = id;
        },
        30_000,
        100,
      );
      if (!vpcEndpointId) throw new Error('the request failed; asking again');
    },
    60_000,
    500,
  );
  const submitted = await ok(base, demoKeys.consumer, 'POST', '/v1/quotas/vpc-endpoints-per-vpc/increase-requests', {
    scope: { vpcId },
    desiredValue: 80,
    reason: 'a second region',
  });
  const requestId = submitted.body.quotaIncreaseRequest.requestId as string;
  let deliveryId = '';
  await eventually(
    async () => {
      const failed = await call(base, demoKeys.ops, 'GET', '/v1/ops/notification-deliveries?state=failed');
      const mine = (failed.body?.deliveries ?? []).find((d: { serviceId: string }) => d.serviceId === serviceId);
      if (!mine) {
        const all = await call(base, demoKeys.ops, 'GET', '/v1/ops/notification-deliveries');
        const ours = (all.body?.deliveries ?? []).filter((d: { serviceId: string }) => d.serviceId === serviceId);
        throw new Error(`no failed delivery yet; the service's deliveries: ${JSON.stringify(ours)}`);
      }
      deliveryId = mine.deliveryId;
      // Long: the SNS server is shared with other suites, which may hold it paused for a while.
    },
    120_000,
    200,
  );
  await eventually(
    async () => {
      const pending = await call(base, demoKeys.ops, 'GET', '/v1/ops/quota-increase-requests?status=pending');
      if (!(pending.body?.quotaIncreaseRequests ?? []).some((r: { requestId: string }) => r.requestId === requestId))
        throw new Error('request not listed yet');
    },
    30_000,
    100,
  );
  return { serviceId, vpcId, dnsServiceId, vpcEndpointId, requestId, deliveryId, missingTopicName, missingTopicArn };
}
