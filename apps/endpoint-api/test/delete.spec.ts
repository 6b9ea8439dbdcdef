import { CONSUMER_ROOT, demoKeys, eventually, lbPath, servicePath, useApi } from './support';

const BATCH = '/v1/provider/endpoint-services:delete';

describe('deleting endpoint services over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('delete');

  const { provider } = api;
  const gone = async (serviceId: string) =>
    eventually(async () => {
      const res = await provider().get(servicePath(serviceId)).expect(404);
      expect(res.body.code).toBe('InvalidVpcEndpointServiceId.NotFound');
    });

  it('a service is Deleting at once, then Deleted by the reaction: gone from GET, lists and consumer discovery; its load balancers are released', async () => {
    const lb = await api.registerLb();
    const s = await api.createAvailableService({ networkLoadBalancerArns: [lb] });
    await provider()
      .post(`${servicePath(s.serviceId)}/permissions`, { addAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    await eventually(async () => {
      const seen = await api.as(demoKeys.consumer).get('/v1/consumer/endpoint-services').expect(200);
      expect(seen.body.serviceDetails.map((x: { serviceId: string }) => x.serviceId)).toContain(s.serviceId);
    });

    const res = await provider().del(servicePath(s.serviceId)).expect(200);
    expect(res.body.serviceConfiguration).toMatchObject({ serviceId: s.serviceId, serviceState: 'Deleting' });

    await gone(s.serviceId);
    const list = await provider().get(`/v1/provider/endpoint-services?filter.service-id=${s.serviceId}`).expect(200);
    expect(list.body.serviceConfigurations).toEqual([]);
    const discovery = await api.as(demoKeys.consumer).get('/v1/consumer/endpoint-services').expect(200);
    expect(discovery.body.serviceDetails.map((x: { serviceId: string }) => x.serviceId)).not.toContain(s.serviceId);
    await eventually(async () => {
      expect((await provider().get(lbPath(lb)).expect(200)).body.loadBalancer.usedByServiceIds).toEqual([]);
    });
    // Every change to a deleted service is NotFound; deleting it again too.
    await provider().del(servicePath(s.serviceId)).expect(404);
    await provider().patch(servicePath(s.serviceId), { acceptanceRequired: false }).expect(404);
    await provider()
      .post(`${servicePath(s.serviceId)}/permissions`, { addAllowedPrincipals: ['*'] })
      .expect(404);
    await provider()
      .post(`${servicePath(s.serviceId)}/tags`, { tags: [{ key: 'a', value: 'b' }] })
      .expect(404);
    // The load balancer can back a new service.
    await api.createAvailableService({ networkLoadBalancerArns: [lb] });
  });

  it('deletion is refused with IncorrectState while connections are pendingAcceptance or available, listing them; after they close it proceeds', async () => {
    const s = await api.newService();
    await api.recordConnection(s.serviceId, 'vpce-0ddddddddddddddd1');
    await api.recordConnection(s.serviceId, 'vpce-0ddddddddddddddd2');
    const refused = await provider().del(servicePath(s.serviceId)).expect(409);
    expect(refused.body).toMatchObject({
      code: 'IncorrectState',
      details: { vpcEndpointIds: ['vpce-0ddddddddddddddd1', 'vpce-0ddddddddddddddd2'] },
    });
    expect(refused.body.message).toMatch(/reject them/);
    expect((await provider().get(servicePath(s.serviceId)).expect(200)).body.serviceConfiguration.serviceState).toBe('Available');

    await api.recordConnection(s.serviceId, 'vpce-0ddddddddddddddd1', false);
    await api.recordConnection(s.serviceId, 'vpce-0ddddddddddddddd2', false);
    await provider().del(servicePath(s.serviceId)).expect(200);
    await gone(s.serviceId);
  });

  it('a Pending service can be deleted; a late activation does not bring it back', async () => {
    const created = await provider()
      .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [await api.registerLb()] })
      .expect(201);
    const id = created.body.serviceConfiguration.serviceId;
    await provider().del(servicePath(id)).expect(200);
    await gone(id);
    // Give the activation reaction time to run and retry (it would dead-letter within ~1 s): the service
    // stays gone and no reaction message ended in a dead-letter topic.
    await new Promise((r) => setTimeout(r, 1_500));
    await provider().get(servicePath(id)).expect(404);
    const metrics = await api.as(demoKeys.ops).get('/metrics').expect(200);
    expect(metrics.text).not.toMatch(/^privatelink_dead_letters_total\{[^}]*\} [1-9]/m);
  });

  it('batch delete answers per-id failures like DeleteVpcEndpointServiceConfigurations and deletes the rest', async () => {
    const ok1 = await api.newService();
    const ok2 = await api.newService();
    const busy = await api.newService();
    await api.recordConnection(busy.serviceId, 'vpce-0eeeeeeeeeeeeeee1');
    const theirs = await api.createAvailableService(
      { networkLoadBalancerArns: [await api.registerLb({ key: demoKeys.otherProvider, account: '999988887777' })] },
      demoKeys.otherProvider,
    );
    const unknown = 'vpce-svc-0fffffffffffffff0';

    const res = await provider()
      .post(BATCH, {
        serviceIds: [ok1.serviceId, busy.serviceId, unknown, theirs.serviceId, 'not-a-service-id', ok2.serviceId, ok1.serviceId],
      })
      .expect(200);
    const errors = Object.fromEntries(
      res.body.unsuccessful.map((u: { resourceId: string; error: { code: string } }) => [u.resourceId, u.error.code]),
    );
    expect(errors).toEqual({
      [busy.serviceId]: 'IncorrectState',
      [unknown]: 'InvalidVpcEndpointServiceId.NotFound',
      [theirs.serviceId]: 'InvalidVpcEndpointServiceId.NotFound',
      'not-a-service-id': 'InvalidParameterValue',
    });
    for (const u of res.body.unsuccessful) expect(u.error.message).toEqual(expect.any(String));
    await gone(ok1.serviceId);
    await gone(ok2.serviceId);
    await api.waitForState(busy.serviceId, 'Available');
    // The other provider's service was not touched.
    expect(
      (await api.as(demoKeys.otherProvider).get(servicePath(theirs.serviceId)).expect(200)).body.serviceConfiguration.serviceState,
    ).toBe('Available');
  });

  it('batch delete validates its body: a list of 1 to 100 ids', async () => {
    expect((await provider().post(BATCH, { serviceIds: [] }).expect(400)).body.field).toBe('serviceIds');
    expect((await provider().post(BATCH, {}).expect(400)).body).toMatchObject({ code: 'MissingParameter', field: 'serviceIds' });
    expect((await provider().post(BATCH, { serviceIds: 'vpce-svc-0fffffffffffffff0' }).expect(400)).body.field).toBe('serviceIds');
    const empty = await provider()
      .post(BATCH, { serviceIds: ['vpce-svc-0fffffffffffffff1'] })
      .expect(200);
    expect(empty.body.unsuccessful).toHaveLength(1);
  });
});
