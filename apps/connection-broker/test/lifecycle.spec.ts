import { Kafka, logLevel } from 'kafkajs';
import {
  CONSUMER_ACCOUNT,
  CONSUMER_ROLE,
  CONSUMER_ROOT,
  ZONES,
  demoKeys,
  eventually,
  interfaceRequest,
  servicePath,
  subnet,
  tokenOf,
  useWorld,
  vpcId,
} from './support';

/**
 * The connection lifecycle through both applications: endpoint-api (the HTTP edge, owner of the service
 * streams) and connection-broker (owner of the connection streams and the acceptance workflow), which
 * talk only over Kafka. Every transition of the state machine of DESIGN.md section 4 is walked here.
 */
describe('connection lifecycle', () => {
  const world = useWorld('cb-lifecycle');
  const { provider, consumer, providerService, requestEndpoint, endpointOf, waitForEndpoint, endpointIn } = world;
  const connectionsPath = (serviceId: string) => `${servicePath(serviceId)}/connections`;

  it('pending → pendingAcceptance → available: the provider sees the request with its message and accepts it', async () => {
    const service = await providerService();
    const { vpcEndpointId, res } = await requestEndpoint(
      interfaceRequest(service, { requestMessage: 'payments team, ticket 42' }),
      demoKeys.consumer,
      service.token,
    );
    // The answer comes at once, pending, and says where to read it.
    expect(res.body.vpcEndpoint).toMatchObject({
      vpcEndpointId: expect.stringMatching(/^vpce-[0-9a-f]{17}$/),
      vpcEndpointState: 'pending',
      vpcEndpointType: 'Interface',
      serviceName: service.serviceName,
      ownerId: CONSUMER_ACCOUNT,
      groups: [{ groupName: 'default' }],
      privateDnsEnabled: false,
      requestMessage: 'payments team, ticket 42',
      dnsEntries: [],
    });
    expect(JSON.parse(res.body.vpcEndpoint.policyDocument)).toEqual({
      Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }],
    });
    expect(res.headers['x-consistency-token']).toBe(`endpoint-connection-${vpcEndpointId}@1`);
    const read = await consumer().get(`/v1/consumer/endpoints/${vpcEndpointId}`).set('x-consistency-token', tokenOf(res)).expect(200);
    expect(read.headers['x-consistency']).toBe('consistent');
    expect(['pending', 'pendingAcceptance']).toContain(read.body.vpcEndpoint.vpcEndpointState);

    await waitForEndpoint(vpcEndpointId, 'pendingAcceptance');
    const pending = await provider()
      .get(`${connectionsPath(service.serviceId)}?filter.vpc-endpoint-state=pendingAcceptance`)
      .expect(200);
    expect(pending.body.vpcEndpointConnections).toEqual([
      expect.objectContaining({
        vpcEndpointId,
        serviceId: service.serviceId,
        vpcEndpointOwner: CONSUMER_ACCOUNT,
        vpcEndpointState: 'pendingAcceptance',
        requestMessage: 'payments team, ticket 42',
        availabilityZoneIds: ['use1-az1', 'use1-az2'],
      }),
    ]);
    // Attached to the service: it now counts as live there (the service cannot be deleted).
    expect(await world.liveOn(service.serviceId)).toEqual(new Set([vpcEndpointId]));
    await provider().del(servicePath(service.serviceId)).expect(409);

    const accepted = await provider()
      .post(`${connectionsPath(service.serviceId)}:accept`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    expect(accepted.body).toEqual({ unsuccessful: [] });
    const available = await waitForEndpoint(vpcEndpointId, 'available');
    const base = `${service.serviceId}.us-east-1.vpce.amazonaws.com`;
    expect(available.dnsEntries.map((d: { dnsName: string }) => d.dnsName)).toEqual([
      expect.stringMatching(new RegExp(`^${vpcEndpointId}-[a-z0-9]{8}\\.${base.replace(/\./g, '\\.')}$`)),
      expect.stringMatching(new RegExp(`^${vpcEndpointId}-[a-z0-9]{8}-us-east-1a\\.`)),
      expect.stringMatching(new RegExp(`^${vpcEndpointId}-[a-z0-9]{8}-us-east-1b\\.`)),
    ]);
    const types = (await world.connectionEvents(vpcEndpointId)).map((e) => e.type);
    expect(types).toEqual([
      'connectionRequested',
      'connectionQuotaRequested',
      'connectionQuotaGranted',
      'connectionAttachRequested',
      'connectionAttached',
      'connectionPendingAcceptance',
      'connectionAccepted',
    ]);
    await world.legalSequence(vpcEndpointId);
  });

  it('pending → available when acceptance is not required (auto-accept), with Regional and zonal DNS names', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { endpoint, vpcEndpointId } = await endpointIn(service, 'available');
    expect(endpoint.dnsEntries).toHaveLength(3);
    expect((await world.connectionEvents(vpcEndpointId)).map((e) => e.type)).toContain('connectionAutoAccepted');
  });

  it('autoAcceptPrincipals: on the list, accepted even though acceptance is required; allowed but not on it, pendingAcceptance', async () => {
    const service = await providerService({
      principals: [CONSUMER_ROOT, 'arn:aws:iam::777788889999:root'],
      autoAcceptPrincipals: [CONSUMER_ROLE],
    });
    const view = await provider().get(servicePath(service.serviceId)).set('x-consistency-token', service.token).expect(200);
    expect(view.body.serviceConfiguration).toMatchObject({ acceptanceRequired: true, autoAcceptPrincipals: [CONSUMER_ROLE] });
    // The portal role is on the list; the account root (same account) is not: the list names exactly whom it names.
    await endpointIn(service, 'available', {}, demoKeys.consumerRole);
    await endpointIn(service, 'pendingAcceptance', {}, demoKeys.consumer);
    await endpointIn(service, 'pendingAcceptance', {}, demoKeys.otherConsumer);
    const removed = await provider()
      .patch(servicePath(service.serviceId), { removeAutoAcceptPrincipals: [CONSUMER_ROLE] })
      .expect(200);
    expect(removed.body.serviceConfiguration.autoAcceptPrincipals).toEqual([]);
    await endpointIn({ ...service, token: tokenOf(removed) }, 'pendingAcceptance', {}, demoKeys.consumerRole);
  });

  it('pendingAcceptance → rejected → deleting → deleted: the service lets it go, and can then be deleted', async () => {
    const service = await providerService();
    const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
    const rejected = await provider()
      .post(`${connectionsPath(service.serviceId)}:reject`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    expect(rejected.body).toEqual({ unsuccessful: [] });
    await waitForEndpoint(vpcEndpointId, 'rejected');
    await eventually(async () => expect((await world.liveOn(service.serviceId)).size).toBe(0));
    const deleted = await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    expect(['deleting', 'deleted']).toContain(deleted.body.vpcEndpoint.vpcEndpointState);
    await waitForEndpoint(vpcEndpointId, 'deleted');
    await world.legalSequence(vpcEndpointId);
    await eventually(async () => {
      await provider().del(servicePath(service.serviceId)).expect(200);
    });
  });

  it('available → rejected: a provider can reject after acceptance; the DNS names go', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    await provider()
      .post(`${connectionsPath(service.serviceId)}:reject`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    const rejected = await waitForEndpoint(vpcEndpointId, 'rejected');
    expect(rejected.dnsEntries).toEqual([]);
    const events = await world.connectionEvents(vpcEndpointId);
    expect(events.find((e) => e.type === 'connectionRejected')!.payload).toMatchObject({
      stateBefore: 'available',
      stateAfter: 'rejected',
      connectionEvent: 'Reject',
      vpcEndpointOwner: CONSUMER_ACCOUNT,
      serviceId: service.serviceId,
    });
  });

  it('available → deleting → deleted: the consumer deletes, the service forgets it, the capacity is given back', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    const res = await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    expect(res.body.vpcEndpoint.vpcEndpointState).toBe('deleting');
    expect(res.headers['x-consistency-token']).toMatch(new RegExp(`^endpoint-connection-${vpcEndpointId}@\\d+$`));
    await waitForEndpoint(vpcEndpointId, 'deleted');
    const types = (await world.connectionEvents(vpcEndpointId)).map((e) => e.type);
    expect(types.slice(-5)).toEqual([
      'connectionDeleting',
      'connectionDetachRequested',
      'connectionQuotaReleased',
      'connectionDetached',
      'connectionDeleted',
    ]);
    expect((await world.liveOn(service.serviceId)).size).toBe(0);
    // Deleting again: it is gone.
    await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(404);
  });

  it('removing a principal leaves its existing connections up, as AWS does; new requests of it are refused', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    const removed = await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    expect(removed.body.removed).toEqual([CONSUMER_ROOT]);
    expect((await endpointOf(vpcEndpointId)).vpcEndpointState).toBe('available');
    expect(await world.liveOn(service.serviceId)).toEqual(new Set([vpcEndpointId]));
    const again = await consumer()
      .post('/v1/consumer/endpoints', interfaceRequest(service))
      .set('x-consistency-token', tokenOf(removed))
      .expect(400);
    expect(again.body).toMatchObject({ code: 'InvalidServiceName', field: 'serviceName' });
  });

  it('batch delete answers per id: unknown and already deleted ones are NotFound, the rest are deleted', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const [a, b] = [await endpointIn(service, 'available'), await endpointIn(service, 'available')];
    const unknown = 'vpce-0123456789abcdef0';
    const res = await consumer()
      .post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [a.vpcEndpointId, unknown, b.vpcEndpointId] })
      .expect(200);
    expect(res.body).toEqual({
      unsuccessful: [{ resourceId: unknown, error: { code: 'InvalidVpcEndpointId.NotFound', message: expect.any(String) } }],
    });
    await waitForEndpoint(a.vpcEndpointId, 'deleted');
    await waitForEndpoint(b.vpcEndpointId, 'deleted');
    const again = await consumer()
      .post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [a.vpcEndpointId] })
      .expect(200);
    expect(again.body.unsuccessful[0]).toMatchObject({ resourceId: a.vpcEndpointId, error: { code: 'InvalidVpcEndpointId.NotFound' } });
  });

  it('a Gateway Load Balancer endpoint: one subnet, no security groups, no policy, no DNS names; its subnet never changes', async () => {
    const service = await providerService({ kind: 'gwy', acceptanceRequired: false });
    const body = {
      serviceName: service.serviceName,
      vpcEndpointType: 'GatewayLoadBalancer',
      vpcId: vpcId(),
      subnets: [subnet('use1-az2')],
    };
    const { vpcEndpointId, res } = await requestEndpoint(body, demoKeys.consumer, service.token);
    expect(res.body.vpcEndpoint).toMatchObject({
      vpcEndpointType: 'GatewayLoadBalancer',
      groups: [],
      subnetIds: [subnet('use1-az2').subnetId],
    });
    expect(res.body.vpcEndpoint.policyDocument).toBeUndefined();
    const endpoint = await waitForEndpoint(vpcEndpointId, 'available');
    expect(endpoint.dnsEntries).toEqual([]);
    const moved = await consumer()
      .patch(`/v1/consumer/endpoints/${vpcEndpointId}`, {
        addSubnets: [subnet('use1-az1')],
        removeSubnetIds: [subnet('use1-az2').subnetId],
      })
      .expect(400);
    expect(moved.body).toMatchObject({ code: 'InvalidParameterValue', field: 'addSubnets' });
    expect(
      (
        await consumer()
          .patch(`/v1/consumer/endpoints/${vpcEndpointId}`, { addSecurityGroupIds: ['sg-1a2b3c4d'] })
          .expect(400)
      ).body.field,
    ).toBe('addSecurityGroupIds');
    expect((await consumer().patch(`/v1/consumer/endpoints/${vpcEndpointId}`, { resetPolicy: true }).expect(400)).body.field).toBe(
      'resetPolicy',
    );
    const tagged = await consumer()
      .patch(`/v1/consumer/endpoints/${vpcEndpointId}`, { addTags: [{ key: 'team', value: 'net' }] })
      .expect(200);
    expect(tagged.body.vpcEndpoint.tags).toEqual([{ key: 'team', value: 'net' }]);
  });

  it('an interface endpoint is modified within the rules: subnets, security groups, policy, tags; the DNS names follow the zones', async () => {
    const service = await providerService({ acceptanceRequired: false, zones: [ZONES.a, ZONES.b, ZONES.c] });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    const path = `/v1/consumer/endpoints/${vpcEndpointId}`;
    const moved = await consumer()
      .patch(path, { addSubnets: [subnet('use1-az3')], removeSubnetIds: [subnet('use1-az1').subnetId] })
      .expect(200);
    expect(moved.body.vpcEndpoint.subnetIds).toEqual([subnet('use1-az2').subnetId, subnet('use1-az3').subnetId]);
    expect(
      moved.body.vpcEndpoint.dnsEntries.map((d: { dnsName: string }) => d.dnsName.replace(/^vpce-[0-9a-f]{17}-[a-z0-9]{8}/, '')),
    ).toEqual([
      `.${service.serviceId}.us-east-1.vpce.amazonaws.com`,
      `-us-east-1b.${service.serviceId}.us-east-1.vpce.amazonaws.com`,
      `-us-east-1c.${service.serviceId}.us-east-1.vpce.amazonaws.com`,
    ]);
    // The consumer's read model has the change once it answers with its token.
    const read = await consumer().get(path).set('x-consistency-token', tokenOf(moved)).expect(200);
    expect(read.body.vpcEndpoint.subnetIds).toEqual(moved.body.vpcEndpoint.subnetIds);

    const twoInOneZone = await consumer()
      .patch(path, { addSubnets: [subnet('use1-az2', 2)] })
      .expect(400);
    expect(twoInOneZone.body).toMatchObject({ code: 'InvalidParameterValue', field: 'subnets[2].availabilityZoneId' });
    const groups = await consumer()
      .patch(path, { addSecurityGroupIds: ['sg-1a2b3c4d', 'sg-5e6f7a8b'] })
      .expect(200);
    expect(groups.body.vpcEndpoint.groups).toEqual([{ groupId: 'sg-1a2b3c4d' }, { groupId: 'sg-5e6f7a8b' }]);
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: CONSUMER_ROOT }, Action: '*', Resource: '*' }] });
    expect((await consumer().patch(path, { policyDocument: policy }).expect(200)).body.vpcEndpoint.policyDocument).toBe(policy);
    const noPrivateName = await consumer().patch(path, { privateDnsEnabled: true }).expect(400);
    expect(noPrivateName.body.field).toBe('privateDnsEnabled');
    const tags = await consumer()
      .patch(path, {
        addTags: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: 'a' },
        ],
        removeTagKeys: ['none'],
      })
      .expect(200);
    expect(tags.body.vpcEndpoint.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'a' },
    ]);
    await world.legalSequence(vpcEndpointId);
  });

  it('clientToken: the same token and body answer the first result; another body is IdempotentParameterMismatch', async () => {
    const service = await providerService();
    const body = interfaceRequest(service, { clientToken: 'create-once-1' });
    const first = await requestEndpoint(body, demoKeys.consumer, service.token);
    const again = await consumer().post('/v1/consumer/endpoints', body).expect(200);
    expect(again.body.vpcEndpoint.vpcEndpointId).toBe(first.vpcEndpointId);
    const other = await consumer()
      .post('/v1/consumer/endpoints', { ...body, vpcId: vpcId() })
      .expect(409);
    expect(other.body).toMatchObject({ code: 'IdempotentParameterMismatch', field: 'clientToken' });
    // Tokens belong to the account (as EC2's do): the account's role replays the same result.
    expect(
      (await world.api.as(demoKeys.consumerRole).post('/v1/consumer/endpoints', body).expect(200)).body.vpcEndpoint.vpcEndpointId,
    ).toBe(first.vpcEndpointId);
    const list = await consumer().get(`/v1/consumer/endpoints?filter.vpc-id=${body.vpcId}`).expect(200);
    expect(list.body.vpcEndpoints).toHaveLength(1);
  });

  it('lists: the consumer’s own endpoints with filters and pages; the provider’s connections with filters and pages', async () => {
    const service = await providerService({ principals: [CONSUMER_ROOT, 'arn:aws:iam::777788889999:root'] });
    const mine = [];
    for (let i = 0; i < 6; i++)
      mine.push(
        (await requestEndpoint(interfaceRequest(service, { tags: [{ key: 'batch', value: 'lists' }] }), demoKeys.consumer, service.token))
          .vpcEndpointId,
      );
    const theirs = (await requestEndpoint(interfaceRequest(service), demoKeys.otherConsumer, service.token)).vpcEndpointId;
    for (const id of mine) await waitForEndpoint(id, 'pendingAcceptance');
    await waitForEndpoint(theirs, 'pendingAcceptance', demoKeys.otherConsumer);

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page: { body: any } = await consumer()
        .get(`/v1/consumer/endpoints?filter.tag:batch=lists&maxResults=5${nextToken ? `&nextToken=${nextToken}` : ''}`)
        .expect(200);
      seen.push(...page.body.vpcEndpoints.map((e: { vpcEndpointId: string }) => e.vpcEndpointId));
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(seen.sort()).toEqual([...mine].sort());

    const byOwner = await provider()
      .get(`${connectionsPath(service.serviceId)}?filter.vpc-endpoint-owner=777788889999`)
      .expect(200);
    expect(byOwner.body.vpcEndpointConnections.map((c: { vpcEndpointId: string }) => c.vpcEndpointId)).toEqual([theirs]);
    const byId = await provider()
      .get(`${connectionsPath(service.serviceId)}?filter.vpc-endpoint-id=${mine[0]}&filter.ip-address-type=ipv4`)
      .expect(200);
    expect(byId.body.vpcEndpointConnections).toHaveLength(1);
    const all: string[] = [];
    nextToken = undefined;
    do {
      const page: { body: any } = await provider()
        .get(`${connectionsPath(service.serviceId)}?maxResults=5${nextToken ? `&nextToken=${nextToken}` : ''}`)
        .expect(200);
      all.push(...page.body.vpcEndpointConnections.map((c: { vpcEndpointId: string }) => c.vpcEndpointId));
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(all.sort()).toEqual([...mine, theirs].sort());
    // Ops sees any service's connections.
    await world.api.as(demoKeys.ops).get(connectionsPath(service.serviceId)).expect(200);
  });

  it('ops summary: counts by state per service and the age of the oldest pendingAcceptance request', async () => {
    const service = await providerService();
    const first = await endpointIn(service, 'pendingAcceptance');
    const second = await endpointIn(service, 'pendingAcceptance');
    await provider()
      .post(`${connectionsPath(service.serviceId)}:accept`, { vpcEndpointIds: [second.vpcEndpointId] })
      .expect(200);
    await waitForEndpoint(second.vpcEndpointId, 'available');
    let row: Record<string, any> | undefined;
    let nextToken: string | undefined;
    do {
      const page: { body: any } = await world.api
        .as(demoKeys.ops)
        .get(`/v1/ops/connections/summary?maxResults=5${nextToken ? `&nextToken=${nextToken}` : ''}`)
        .expect(200);
      row = row ?? page.body.services.find((s: { serviceId: string }) => s.serviceId === service.serviceId);
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(row).toMatchObject({
      serviceId: service.serviceId,
      serviceOwner: '111122223333',
      counts: { pendingAcceptance: 1, available: 1 },
    });
    const waitingSince = (await world.connectionEvents(first.vpcEndpointId)).find((e) => e.type === 'connectionPendingAcceptance')!.payload
      .at;
    expect(row!.oldestPendingAcceptanceSince).toBe(waitingSince);
    expect(row!.oldestPendingAcceptanceAgeSeconds).toBeGreaterThanOrEqual(0);
    await provider().get('/v1/ops/connections/summary').expect(403);
  });

  it('connection events reach Kafka keyed by endpoint, named for the notifier, with states before/after, owner and service', async () => {
    const service = await providerService();
    const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
    await provider()
      .post(`${connectionsPath(service.serviceId)}:accept`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    await waitForEndpoint(vpcEndpointId, 'available');
    await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    await waitForEndpoint(vpcEndpointId, 'deleted');

    const config = world.api.host.config.kafka;
    const kafka = new Kafka({ brokers: config.brokers, clientId: 'lifecycle-reader', logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `${config.namespace}.raw-connection-reader`, maxWaitTimeInMs: 20 });
    await reader.connect();
    await reader.subscribe({ topic: `${config.namespace}.privatelink.endpoint-connection.events`, fromBeginning: true });
    const seen: Array<{ key: string; value: Record<string, any> }> = [];
    await reader.run({
      eachMessage: async ({ message }) => void seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) }),
    });
    try {
      await eventually(
        async () => expect(seen.filter((m) => m.key === vpcEndpointId && m.value.type === 'connectionDeleted')).toHaveLength(1),
        30_000,
      );
    } finally {
      await reader.disconnect();
    }
    const notices = seen.filter((m) => m.key === vpcEndpointId && m.value.payload.connectionEvent).map((m) => m.value);
    expect(notices.map((m) => [m.type, m.payload.connectionEvent, m.payload.stateBefore, m.payload.stateAfter])).toEqual([
      ['connectionRequested', 'Connect', null, 'pending'],
      ['connectionAccepted', 'Accept', 'pendingAcceptance', 'available'],
      ['connectionDeleted', 'Delete', 'deleting', 'deleted'],
    ]);
    for (const m of notices) {
      expect(m.payload).toMatchObject({
        vpcEndpointId,
        serviceId: service.serviceId,
        vpcEndpointOwner: CONSUMER_ACCOUNT,
        serviceOwner: '111122223333',
      });
      expect(m.streamId).toBe(`endpoint-connection-${vpcEndpointId}`);
    }
  });
});
