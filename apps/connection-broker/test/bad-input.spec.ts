import { ProviderService, demoKeys, interfaceRequest, servicePath, subnet, useWorld, vpcId } from './support';

/**
 * Bad input answers 400 with the field named and writes nothing; one tenant never reaches another's
 * endpoints or connections (404, so ids do not leak), and each role stays on its side (403).
 */
describe('connections: bad input and tenants', () => {
  let service: ProviderService;
  let gwlb: ProviderService;
  const world = useWorld('cb-bad-input');
  const { consumer, provider, providerService, requestEndpoint, waitForEndpoint, endpointIn } = world;

  beforeAll(async () => {
    service = await providerService();
    gwlb = await providerService({ kind: 'gwy' });
  }, 180_000);

  /** How many connections connection-broker has recorded (from its own event store). */
  const recordedConnections = async () =>
    Number(
      (
        await world.brokerCore.runtime.db.query(
          `SELECT count(DISTINCT stream_id)::int AS n FROM es_events WHERE stream_id LIKE 'endpoint-connection-%'`,
        )
      )[0].n,
    );

  describe('create', () => {
    const gwlbRequest = (extra: Record<string, unknown> = {}) => ({
      serviceName: gwlb.serviceName,
      vpcEndpointType: 'GatewayLoadBalancer',
      vpcId: vpcId(),
      subnets: [subnet('use1-az1')],
      ...extra,
    });
    const longPolicy = () => {
      const body = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
      return body.slice(0, -1) + ' '.repeat(20_481 - body.length) + '}';
    };

    const cases: Array<[string, () => Record<string, unknown>, string, string]> = [
      [
        'an unknown service name',
        () => interfaceRequest(service, { serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' }),
        'InvalidServiceName',
        'serviceName',
      ],
      ['a malformed service name', () => interfaceRequest(service, { serviceName: 'my-service' }), 'InvalidServiceName', 'serviceName'],
      [
        'a service of another Region',
        () => interfaceRequest(service, { serviceName: service.serviceName.replace('us-east-1', 'eu-west-1') }),
        'InvalidServiceName',
        'serviceName',
      ],
      [
        'a type that does not match the service',
        () => interfaceRequest(service, { vpcEndpointType: 'GatewayLoadBalancer', subnets: [subnet('use1-az1')] }),
        'InvalidParameterValue',
        'vpcEndpointType',
      ],
      [
        'two subnets in one zone',
        () => interfaceRequest(service, { subnets: [subnet('use1-az1', 1), subnet('use1-az1', 2)] }),
        'InvalidParameterValue',
        'subnets[1].availabilityZoneId',
      ],
      [
        'a zone the service lacks',
        () => interfaceRequest(service, { subnets: [subnet('use1-az3')] }),
        'InvalidParameterValue',
        'subnets[0].availabilityZoneId',
      ],
      ['no subnets', () => interfaceRequest(service, { subnets: [] }), 'MissingParameter', 'subnets'],
      [
        'a Gateway Load Balancer endpoint with two subnets',
        () => gwlbRequest({ subnets: [subnet('use1-az1'), subnet('use1-az2')] }),
        'InvalidParameterValue',
        'subnets',
      ],
      [
        'a Gateway Load Balancer endpoint with security groups',
        () => gwlbRequest({ securityGroupIds: ['sg-1a2b3c4d'] }),
        'InvalidParameterValue',
        'securityGroupIds',
      ],
      [
        'a Gateway Load Balancer endpoint with a policy',
        () => gwlbRequest({ policyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}' }),
        'InvalidParameterValue',
        'policyDocument',
      ],
      [
        'a policy over 20,480 characters',
        () => interfaceRequest(service, { policyDocument: longPolicy() }),
        'InvalidParameterValue',
        'policyDocument',
      ],
      [
        'a policy without a Principal',
        () => interfaceRequest(service, { policyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }),
        'InvalidParameterValue',
        'policyDocument',
      ],
      [
        'a policy that is not JSON',
        () => interfaceRequest(service, { policyDocument: '{"Statement": [ {"Effect": "Allow",' }),
        'InvalidParameterValue',
        'policyDocument',
      ],
      [
        'a policy that is not a string',
        () => interfaceRequest(service, { policyDocument: { Statement: [] } }),
        'InvalidParameterValue',
        'policyDocument',
      ],
      ['a malformed VPC id', () => interfaceRequest(service, { vpcId: 'vpc-123' }), 'InvalidParameterValue', 'vpcId'],
      ['a missing VPC id', () => interfaceRequest(service, { vpcId: undefined }), 'MissingParameter', 'vpcId'],
      [
        'a malformed security group',
        () => interfaceRequest(service, { securityGroupIds: ['default'] }),
        'InvalidParameterValue',
        'securityGroupIds[0]',
      ],
      [
        'private DNS on a service without a private DNS name',
        () => interfaceRequest(service, { privateDnsEnabled: true }),
        'InvalidParameterValue',
        'privateDnsEnabled',
      ],
      [
        'an IP address type the service does not support',
        () => interfaceRequest(service, { ipAddressType: 'ipv6' }),
        'InvalidParameterValue',
        'ipAddressType',
      ],
      [
        'a request message over 1,024 characters',
        () => interfaceRequest(service, { requestMessage: 'm'.repeat(1025) }),
        'InvalidParameterValue',
        'requestMessage',
      ],
      [
        'a reserved tag key',
        () => interfaceRequest(service, { tags: [{ key: 'aws:owner', value: 'x' }] }),
        'InvalidParameterValue',
        'tags[0].key',
      ],
      [
        'an unknown field',
        () => interfaceRequest(service, { routeTableIds: ['rtb-1'] }),
        'InvalidParameterValue',
        undefined as unknown as string,
      ],
    ];

    it.each(cases)('%s is a 400 naming the field, and nothing is written', async (_name, body, code, field) => {
      const before = await recordedConnections();
      const res = await consumer().post('/v1/consumer/endpoints', body()).expect(400);
      expect(res.body).toMatchObject({ code, requestId: expect.any(String) });
      if (field) expect(res.body.field).toBe(field);
      expect(res.body.stack).toBeUndefined();
      expect(res.headers['x-consistency-token']).toBeUndefined();
      expect(await recordedConnections()).toBe(before);
    });

    it('nothing bad was forwarded: after them all, a good request is the only new connection the broker records', async () => {
      const before = await recordedConnections();
      const { vpcEndpointId } = await requestEndpoint(interfaceRequest(service), demoKeys.consumer, service.token);
      await waitForEndpoint(vpcEndpointId, 'pendingAcceptance');
      expect(await recordedConnections()).toBe(before + 1);
      expect(
        (await consumer().get('/v1/consumer/endpoints').expect(200)).body.vpcEndpoints.map(
          (e: { vpcEndpointId: string }) => e.vpcEndpointId,
        ),
      ).toContain(vpcEndpointId);
    });

    it('a deleted service, and one the consumer is not allowed to see, are InvalidServiceName', async () => {
      const hidden = await providerService({ principals: ['arn:aws:iam::777788889999:root'] });
      const res = await consumer()
        .post('/v1/consumer/endpoints', interfaceRequest(hidden))
        .set('x-consistency-token', hidden.token)
        .expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidServiceName', field: 'serviceName' });
      const gone = await providerService();
      await provider().del(servicePath(gone.serviceId)).expect(200);
      let status = 0;
      for (let i = 0; i < 200 && status !== 400; i++) {
        status = (await consumer().post('/v1/consumer/endpoints', interfaceRequest(gone))).status;
        if (status !== 400) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(400);
    });
  });

  describe('lists and batches', () => {
    it('tampered or foreign pagination tokens are InvalidPaginationToken', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++)
        ids.push((await requestEndpoint(interfaceRequest(service), demoKeys.consumer, service.token)).vpcEndpointId);
      for (const id of ids) await waitForEndpoint(id, 'pendingAcceptance');
      const page = await consumer().get('/v1/consumer/endpoints?maxResults=5').expect(200);
      expect(page.body.nextToken).toEqual(expect.any(String));
      const tampered = page.body.nextToken.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
      expect((await consumer().get(`/v1/consumer/endpoints?maxResults=5&nextToken=${tampered}`).expect(400)).body).toMatchObject({
        code: 'InvalidPaginationToken',
        field: 'nextToken',
      });
      expect(
        (
          await consumer()
            .get(`/v1/consumer/endpoints?maxResults=5&filter.vpc-endpoint-state=available&nextToken=${page.body.nextToken}`)
            .expect(400)
        ).body.code,
      ).toBe('InvalidPaginationToken');
      const connections = `${servicePath(service.serviceId)}/connections`;
      expect((await provider().get(`${connections}?nextToken=${page.body.nextToken}`).expect(400)).body.code).toBe(
        'InvalidPaginationToken',
      );
      expect((await provider().get(`${connections}?nextToken=garbage.token`).expect(400)).body.code).toBe('InvalidPaginationToken');
      expect(
        (await world.api.as(demoKeys.ops).get(`/v1/ops/connections/summary?nextToken=${page.body.nextToken}`).expect(400)).body.code,
      ).toBe('InvalidPaginationToken');
    });

    it('unknown filters and bad maxResults are 400s', async () => {
      expect((await consumer().get('/v1/consumer/endpoints?filter.color=red').expect(400)).body.field).toBe('filter.color');
      expect(
        (
          await provider()
            .get(`${servicePath(service.serviceId)}/connections?filter.vpc-id=vpc-1`)
            .expect(400)
        ).body.field,
      ).toBe('filter.vpc-id');
      expect((await consumer().get('/v1/consumer/endpoints?maxResults=2').expect(400)).body.field).toBe('maxResults');
    });

    it('malformed endpoint ids are a 400 naming the entry; unknown ones are per-id NotFound', async () => {
      const bad = await consumer()
        .post('/v1/consumer/endpoints:delete', { vpcEndpointIds: ['vpce-0123456789abcdef0', 'vpce-xyz'] })
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'InvalidParameterValue', field: 'vpcEndpointIds[1]' });
      expect(
        (
          await provider()
            .post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: [] })
            .expect(400)
        ).body.field,
      ).toBe('vpcEndpointIds');
      expect((await consumer().get('/v1/consumer/endpoints/not-an-id').expect(400)).body.field).toBe('vpcEndpointId');
      const unknown = await provider()
        .post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: ['vpce-0123456789abcdef0'] })
        .expect(200);
      expect(unknown.body.unsuccessful).toEqual([
        { resourceId: 'vpce-0123456789abcdef0', error: { code: 'InvalidVpcEndpointId.NotFound', message: expect.any(String) } },
      ]);
    });

    it('accept answers IncorrectState for endpoints not pendingAcceptance, and reject for ones neither pendingAcceptance nor available', async () => {
      const auto = await providerService({ acceptanceRequired: false });
      const { vpcEndpointId } = await endpointIn(auto, 'available');
      const connections = `${servicePath(auto.serviceId)}/connections`;
      const accept = await provider()
        .post(`${connections}:accept`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(200);
      expect(accept.body.unsuccessful).toEqual([
        { resourceId: vpcEndpointId, error: { code: 'IncorrectState', message: expect.stringContaining('available') } },
      ]);
      await provider()
        .post(`${connections}:reject`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(200);
      await waitForEndpoint(vpcEndpointId, 'rejected');
      const again = await provider()
        .post(`${connections}:reject`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(200);
      expect(again.body.unsuccessful[0].error.code).toBe('IncorrectState');
    });
  });

  describe('tenants and roles', () => {
    it('another consumer account never reaches an endpoint: get, modify and delete are 404, lists leave it out', async () => {
      const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
      const other = world.api.as(demoKeys.otherConsumer);
      expect((await other.get(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(404)).body.code).toBe('InvalidVpcEndpointId.NotFound');
      expect(
        (await other.patch(`/v1/consumer/endpoints/${vpcEndpointId}`, { addTags: [{ key: 'k', value: 'v' }] }).expect(404)).body.code,
      ).toBe('InvalidVpcEndpointId.NotFound');
      expect((await other.del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(404)).body.code).toBe('InvalidVpcEndpointId.NotFound');
      const batch = await other.post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [vpcEndpointId] }).expect(200);
      expect(batch.body.unsuccessful[0].error.code).toBe('InvalidVpcEndpointId.NotFound');
      expect(
        (await other.get('/v1/consumer/endpoints').expect(200)).body.vpcEndpoints.map((e: { vpcEndpointId: string }) => e.vpcEndpointId),
      ).not.toContain(vpcEndpointId);
      // The account's own role sees the account's endpoint.
      await world.api.as(demoKeys.consumerRole).get(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
      expect((await waitForEndpoint(vpcEndpointId, 'pendingAcceptance')).tags).toEqual([]);
    });

    it('a provider can never delete (or even see) a consumer endpoint through the consumer API; a consumer cannot accept', async () => {
      const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
      expect((await provider().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(403)).body.code).toBe('UnauthorizedOperation');
      await provider()
        .post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [vpcEndpointId] })
        .expect(403);
      await provider().get('/v1/consumer/endpoints').expect(403);
      await provider().post('/v1/consumer/endpoints', interfaceRequest(service)).expect(403);
      await consumer()
        .post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(403);
      await consumer()
        .get(`${servicePath(service.serviceId)}/connections`)
        .expect(403);
      await world.api
        .as(demoKeys.ops)
        .post(`${servicePath(service.serviceId)}/connections:reject`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(403);
      expect((await waitForEndpoint(vpcEndpointId, 'pendingAcceptance')).vpcEndpointState).toBe('pendingAcceptance');
    });

    it("another provider never reaches a service's connections: list, accept and reject are 404", async () => {
      const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
      const other = world.api.as(demoKeys.otherProvider);
      const connections = `${servicePath(service.serviceId)}/connections`;
      expect((await other.get(connections).expect(404)).body.code).toBe('InvalidVpcEndpointServiceId.NotFound');
      await other.post(`${connections}:accept`, { vpcEndpointIds: [vpcEndpointId] }).expect(404);
      await other.post(`${connections}:reject`, { vpcEndpointIds: [vpcEndpointId] }).expect(404);
      expect((await waitForEndpoint(vpcEndpointId, 'pendingAcceptance')).vpcEndpointState).toBe('pendingAcceptance');
    });

    it("a connection is reached only through its own service: accepting it through another of the provider's services is NotFound", async () => {
      const { vpcEndpointId } = await endpointIn(service, 'pendingAcceptance');
      const elsewhere = await providerService();
      const res = await provider()
        .post(`${servicePath(elsewhere.serviceId)}/connections:accept`, { vpcEndpointIds: [vpcEndpointId] })
        .expect(200);
      expect(res.body.unsuccessful[0]).toMatchObject({ resourceId: vpcEndpointId, error: { code: 'InvalidVpcEndpointId.NotFound' } });
      expect(
        (
          await provider()
            .get(`${servicePath(elsewhere.serviceId)}/connections`)
            .expect(200)
        ).body.vpcEndpointConnections,
      ).toEqual([]);
    });
  });
});
