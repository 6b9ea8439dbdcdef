import { EntityManager } from 'typeorm';
import { QuotaDecision, QuotaPort, QuotaRequest } from '../src/quota/quota.port';
import {
  CONSUMER_ROOT,
  ZONES,
  assertLegalSequence,
  demoKeys,
  eventually,
  interfaceRequest,
  servicePath,
  subnet,
  tokenOf,
  useWorld,
} from './support';

/**
 * Stands in for quota-guard (a later issue) behind the quota port, the seam that issue replaces: it
 * refuses or holds back the answer for the VPCs a test names, and grants the rest. Postgres and Kafka stay real.
 */
class ScriptedQuota implements QuotaPort {
  readonly name = 'scripted';
  readonly refuse = new Set<string>();
  readonly holdBack = new Set<string>();
  readonly released = new Set<string>();

  async request(request: QuotaRequest, _tx: EntityManager): Promise<QuotaDecision> {
    if (this.refuse.has(request.vpcId))
      return { decision: 'refused', message: `account ${request.consumerAccountId} has no connections left to ${request.serviceId}` };
    if (this.holdBack.has(request.vpcId)) return { decision: 'pending' };
    return { decision: 'granted' };
  }

  async release(request: QuotaRequest): Promise<void> {
    this.released.add(request.vpcEndpointId);
  }
}

/** Every failure reason of the acceptance workflow, each ending in `failed` with the stateReason the consumer reads. */
describe('connection failures', () => {
  const quota = new ScriptedQuota();
  const world = useWorld('cb-failures', { quota });
  const { provider, consumer, providerService, requestEndpoint, endpointOf, waitForEndpoint, endpointIn } = world;
  const context = { principal: 'service:quota-guard', correlationId: 'quota-test' };

  /** Requests an endpoint whose quota answer is held back; returns its id once it has asked for its quota. */
  const awaitingQuota = async (): Promise<string> => {
    const service = await providerService();
    const body = interfaceRequest(service);
    quota.holdBack.add(body.vpcId as string);
    const { vpcEndpointId } = await requestEndpoint(body, demoKeys.consumer, service.token);
    await eventually(async () =>
      expect((await world.connectionEvents(vpcEndpointId)).map((e) => e.type)).toContain('connectionQuotaRequested'),
    );
    return vpcEndpointId;
  };

  it('PrivateDnsNotVerified: a service with a private DNS name and no verified fact denies new requests', async () => {
    // dns-verifier (a parallel issue) publishes the verification facts; without a `verified` fact the name is not verified.
    const service = await providerService({ privateDnsName: 'api.pl-failures.example.com' });
    const { endpoint, vpcEndpointId } = await endpointIn(service, 'failed', { privateDnsEnabled: true });
    expect(endpoint).toMatchObject({
      stateReason: 'PrivateDnsNotVerified',
      lastError: { code: 'PrivateDnsNotVerified', message: expect.stringContaining('api.pl-failures.example.com') },
    });
    expect((await world.liveOn(service.serviceId)).size).toBe(0);
    expect((await world.connectionEvents(vpcEndpointId)).map((e) => e.type)).toEqual(['connectionRequested', 'connectionFailed']);
  });

  it('QuotaExceeded: the quota refused; nothing was attached to the service', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const body = interfaceRequest(service);
    quota.refuse.add(body.vpcId as string);
    const { vpcEndpointId } = await requestEndpoint(body, demoKeys.consumer, service.token);
    const endpoint = await waitForEndpoint(vpcEndpointId, 'failed');
    expect(endpoint).toMatchObject({ stateReason: 'QuotaExceeded', lastError: { code: 'QuotaExceeded' } });
    expect((await world.connectionEvents(vpcEndpointId)).map((e) => e.type)).toEqual([
      'connectionRequested',
      'connectionQuotaRequested',
      'connectionQuotaRefused',
      'connectionFailed',
    ]);
    // failed → deleting → deleted
    await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    await waitForEndpoint(vpcEndpointId, 'deleted');
    await world.legalSequence(vpcEndpointId);
  });

  it('a quota answer that comes later: the connection waits in pending, then goes on', async () => {
    const vpcEndpointId = await awaitingQuota();
    expect((await endpointOf(vpcEndpointId)).vpcEndpointState).toBe('pending');
    await world.brokerCore.recordQuotaDecision(vpcEndpointId, { granted: true }, context);
    await waitForEndpoint(vpcEndpointId, 'pendingAcceptance');
    // An answer to a connection no longer waiting for one changes nothing.
    const again = await world.brokerCore.recordQuotaDecision(vpcEndpointId, { granted: false }, context);
    expect(again.events).toEqual([]);
  });

  it('pending → deleting → deleted: deleted while its quota answer is outstanding; a late grant is given back at once', async () => {
    const vpcEndpointId = await awaitingQuota();
    const deleting = await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    expect(deleting.body.vpcEndpoint.vpcEndpointState).toBe('deleting');
    await world.brokerCore.recordQuotaDecision(vpcEndpointId, { granted: true }, context);
    await waitForEndpoint(vpcEndpointId, 'deleted');
    expect(quota.released.has(vpcEndpointId)).toBe(true);
    const events = await world.connectionEvents(vpcEndpointId);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['connectionQuotaGranted', 'connectionQuotaReleased', 'connectionDeleted']);
    assertLegalSequence(events);
  });

  it('the capacity is given back when a connection is rejected or deleted', async () => {
    const service = await providerService();
    const a = await endpointIn(service, 'pendingAcceptance');
    const b = await endpointIn(service, 'pendingAcceptance');
    await provider()
      .post(`${servicePath(service.serviceId)}/connections:reject`, { vpcEndpointIds: [a.vpcEndpointId] })
      .expect(200);
    await consumer().del(`/v1/consumer/endpoints/${b.vpcEndpointId}`).expect(200);
    await waitForEndpoint(b.vpcEndpointId, 'deleted');
    await waitForEndpoint(a.vpcEndpointId, 'rejected');
    expect(quota.released.has(a.vpcEndpointId) && quota.released.has(b.vpcEndpointId)).toBe(true);
  });

  it('PrincipalNotAllowed, ServiceUnavailable, NoCommonAvailabilityZone: what changed while a request was on its way decides', async () => {
    // Three services; a request to each is made while connection-broker is down, then each service changes
    // so that the request can no longer be let through. The workflow, resuming, fails each with its reason.
    const unallowed = await providerService();
    const deleted = await providerService();
    const moved = await providerService({ zones: [ZONES.a] });
    await world.stopBroker();
    const requests = {
      unallowed: (await requestEndpoint(interfaceRequest(unallowed), demoKeys.consumer, unallowed.token)).vpcEndpointId,
      deleted: (await requestEndpoint(interfaceRequest(deleted), demoKeys.consumer, deleted.token)).vpcEndpointId,
      moved: (await requestEndpoint(interfaceRequest(moved, { subnets: [subnet('use1-az1')] }), demoKeys.consumer, moved.token))
        .vpcEndpointId,
    };
    await provider()
      .del(`${servicePath(unallowed.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    await provider().del(servicePath(deleted.serviceId)).expect(200);
    await eventually(async () => {
      await provider().get(servicePath(deleted.serviceId)).expect(404);
    });
    const elsewhere = await world.api.registerLb({ zones: [ZONES.c] });
    const swapped = await provider()
      .patch(servicePath(moved.serviceId), {
        addNetworkLoadBalancerArns: [elsewhere],
        removeNetworkLoadBalancerArns: [moved.loadBalancerArn],
      })
      .expect(200);
    expect(swapped.body.serviceConfiguration.availabilityZoneIds).toEqual(['use1-az3']);
    await provider().get(servicePath(moved.serviceId)).set('x-consistency-token', tokenOf(swapped)).expect(200);

    await world.startBroker();
    expect((await waitForEndpoint(requests.unallowed, 'failed')).stateReason).toBe('PrincipalNotAllowed');
    expect((await waitForEndpoint(requests.deleted, 'failed')).stateReason).toBe('ServiceUnavailable');
    expect((await waitForEndpoint(requests.moved, 'failed')).stateReason).toBe('NoCommonAvailabilityZone');
    for (const [id, service] of [
      [requests.unallowed, unallowed],
      [requests.deleted, deleted],
      [requests.moved, moved],
    ] as const) {
      await world.settledState(id, ['failed']);
      await world.legalSequence(id);
      expect((await world.liveOn(service.serviceId)).has(id)).toBe(false);
    }
  });
});
