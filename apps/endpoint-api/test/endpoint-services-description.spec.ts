import { CONSUMER_ROOT, demoKeys, eventually, servicePath, useApi, tokenOf } from './support';

const DISCOVER = '/v1/consumer/endpoint-services';

/**
 * A provider's description of an endpoint service (beyond the guide): set at create, changed or removed with
 * modify, at most 255 characters, shown to the provider and to the consumers allowed to connect.
 */
describe('the description of an endpoint service over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('description');

  const { provider } = api;
  const discovered = async (key: (typeof demoKeys)[keyof typeof demoKeys], serviceId: string) =>
    ((await api.as(key).get(DISCOVER).expect(200)).body.serviceDetails as Array<{ serviceId: string; description?: string }>).find(
      (s) => s.serviceId === serviceId,
    );

  it('set at create, changed and removed with modify; an allowed consumer sees it in discovery, another does not see the service', async () => {
    const lb = await api.registerLb();
    const service = await api.createAvailableService({ networkLoadBalancerArns: [lb], description: 'Payments API, v2' });
    expect(service.description).toBe('Payments API, v2');
    await provider()
      .post(`${servicePath(service.serviceId)}/permissions`, { addAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    await eventually(async () => expect((await discovered(demoKeys.consumer, service.serviceId))?.description).toBe('Payments API, v2'));
    expect(await discovered(demoKeys.otherConsumer, service.serviceId)).toBeUndefined();

    const changed = await provider().patch(servicePath(service.serviceId), { description: 'Payments API, v3\nEU only' }).expect(200);
    expect(changed.body.serviceConfiguration.description).toBe('Payments API, v3\nEU only');
    const read = await provider().get(servicePath(service.serviceId)).set('x-consistency-token', tokenOf(changed)).expect(200);
    expect(read.headers['x-consistency']).toBe('consistent');
    expect(read.body.serviceConfiguration.description).toBe('Payments API, v3\nEU only');
    await eventually(async () =>
      expect((await discovered(demoKeys.consumer, service.serviceId))?.description).toBe('Payments API, v3\nEU only'),
    );

    const removed = await provider().patch(servicePath(service.serviceId), { description: '' }).expect(200);
    expect(removed.body.serviceConfiguration).not.toHaveProperty('description');
    await eventually(async () => {
      const seen = await discovered(demoKeys.consumer, service.serviceId);
      expect(seen).toBeDefined();
      expect(seen).not.toHaveProperty('description');
    });
  });

  it('more than 255 characters, or a NUL, is a 400 naming description, at create and at modify; nothing is written', async () => {
    const lb = await api.registerLb();
    for (const description of ['x'.repeat(256), 'a\u0000b']) {
      const refused = await provider()
        .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb], description })
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'InvalidParameterValue', field: 'description', requestId: expect.any(String) });
    }
    const service = await api.createAvailableService({ networkLoadBalancerArns: [lb], description: 'x'.repeat(255) });
    expect(service.description).toHaveLength(255);
    const refused = await provider()
      .patch(servicePath(service.serviceId), { description: 'y'.repeat(256) })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'InvalidParameterValue', field: 'description' });
    expect((await provider().get(servicePath(service.serviceId)).expect(200)).body.serviceConfiguration.description).toBe('x'.repeat(255));
    const wrongType = await provider().patch(servicePath(service.serviceId), { description: 42 }).expect(400);
    expect(wrongType.body).toMatchObject({ code: 'InvalidParameterValue', field: 'description' });
  });
});
