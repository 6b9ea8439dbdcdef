import { TestHost } from '@privatelink/testing';
import { ConnectionBrokerModule } from '../../connection-broker/src/connection-broker.service';
import { QuotaGuardModule } from '../../quota-guard/src/quota-guard.service';
import { HOUR, Stack, configurationBecomes, demoKeys, eventually, serviceWithName, servicePath, startStack, verifyPath } from './support';

/**
 * The consequence of the verification state, through the real services: "If the verification status
 * changes from verified to pendingVerification, or failed, existing consumer connections remain, but any
 * new connection requests are denied." endpoint-api, dns-verifier, connection-broker and quota-guard run as
 * four applications on one database and one Kafka namespace; connection-broker reads only the
 * `state` dns-verifier's events carry.
 */
describe('new connection requests follow the verification state', () => {
  let stack: Stack;
  let broker: TestHost;
  let quotaGuard: TestHost;
  let vpc = 0;

  beforeAll(async () => {
    stack = await startStack('dnsv-conseq', { dnsEnv: { PRIVATELINK_DNS_NS_CACHE_SECONDS: '0' } });
    const env = { PRIVATELINK_READ_WAIT_MS: '15000' };
    quotaGuard = await stack.scope.startHost('quota-guard-dnsv-conseq', [QuotaGuardModule], env);
    broker = await stack.scope.startHost('connection-broker-dnsv-conseq', [ConnectionBrokerModule], env);
  }, 240_000);

  afterAll(async () => {
    await broker?.close().catch(() => undefined);
    await quotaGuard?.close().catch(() => undefined);
    await stack?.close();
  });

  /** A consumer's endpoint request; resolves with the state the workflow settles it in. */
  async function request(serviceId: string): Promise<{ vpcEndpointId: string; state: string; stateReason?: string }> {
    vpc += 1;
    const res = await stack
      .as(demoKeys.consumer)
      .post('/v1/consumer/endpoints', {
        serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
        vpcEndpointType: 'Interface',
        vpcId: `vpc-${(0x2000000 + vpc).toString(16).padStart(8, '0')}`,
        subnets: [{ subnetId: `subnet-01${String(vpc).padStart(6, '0')}`, availabilityZoneId: 'use1-az1' }],
      })
      .expect(201);
    const vpcEndpointId = res.body.vpcEndpoint.vpcEndpointId as string;
    let last: Record<string, string> = {};
    await eventually(async () => {
      const seen = await stack.as(demoKeys.consumer).get(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
      last = seen.body.vpcEndpoint;
      expect(['available', 'pendingAcceptance', 'failed']).toContain(last.vpcEndpointState);
    }, 60_000);
    return { vpcEndpointId, state: last.vpcEndpointState, stateReason: last.stateReason };
  }

  it('denied while pendingVerification, allowed once verified, denied again when the daily re-check fails it; the existing connection stays', async () => {
    const name = `conn.${stack.zone}`;
    const { serviceId, record } = await serviceWithName(stack, name, { acceptanceRequired: false });
    await stack.dns.setRecords(name, 'A', ['192.0.2.30']);
    await eventually(async () => {
      const res = await stack.as(demoKeys.provider).get(servicePath(serviceId)).expect(200);
      expect(res.body.serviceConfiguration.serviceState).toBe('Available');
    });
    await stack
      .as(demoKeys.provider)
      .post(`${servicePath(serviceId)}/permissions`, { addAllowedPrincipals: ['arn:aws:iam::444455556666:root'] })
      .expect(200);
    await eventually(async () => {
      const seen = await stack.as(demoKeys.consumer).get(`/v1/consumer/endpoint-services?filter.service-id=${serviceId}`).expect(200);
      expect(seen.body.serviceDetails).toEqual([
        expect.objectContaining({ serviceId, privateDnsNameVerificationState: 'pendingVerification' }),
      ]);
    });

    // pendingVerification: denied
    expect(await request(serviceId)).toMatchObject({ state: 'failed', stateReason: 'PrivateDnsNotVerified' });

    // the provider publishes the record and verifies: allowed
    await stack.dns.setTxt(record.name!, [record.value!]);
    expect((await stack.as(demoKeys.provider).post(verifyPath(serviceId)).expect(200)).body.privateDnsNameConfiguration.state).toBe(
      'verified',
    );
    let allowed: { vpcEndpointId: string; state: string } | undefined;
    await eventually(async () => {
      // connection-broker learns the state from Kafka; until then a request may still be denied
      allowed = await request(serviceId);
      expect(allowed.state).toBe('available');
    }, 60_000);

    // the record is removed; the daily re-check fails the name: new requests are denied again
    await stack.dns.removeTxt(record.name!);
    stack.clock.advance(25 * HOUR);
    stack.core.scheduler.poke();
    await configurationBecomes(stack, serviceId, { state: 'failed', reasonCode: 'RecordNotFound' });
    await eventually(async () => {
      expect(await request(serviceId)).toMatchObject({ state: 'failed', stateReason: 'PrivateDnsNotVerified' });
    }, 60_000);

    // ... and the connection made while it was verified stays
    const existing = await stack.as(demoKeys.consumer).get(`/v1/consumer/endpoints/${allowed!.vpcEndpointId}`).expect(200);
    expect(existing.body.vpcEndpoint.vpcEndpointState).toBe('available');
  });
});
