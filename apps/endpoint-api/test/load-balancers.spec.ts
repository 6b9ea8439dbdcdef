import { ZONES, eventually, lbArn, lbPath, servicePath, useApi } from './support';

describe('load balancer registry over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('lbs');

  const { provider } = api;

  it('a Network and a Gateway Load Balancer are registered with zones and IP address type, then listed and described', async () => {
    const nlb = await api.registerLb({ zones: [ZONES.a, ZONES.c], ipAddressType: 'dualstack' });
    const gwlb = await api.registerLb({ kind: 'gwy' });
    const one = await provider().get(lbPath(nlb)).expect(200);
    expect(one.body.loadBalancer).toMatchObject({
      loadBalancerArn: nlb,
      loadBalancerType: 'network',
      ownerId: '111122223333',
      region: 'us-east-1',
      availabilityZones: [ZONES.a, ZONES.c],
      ipAddressType: 'dualstack',
      state: 'registered',
      usedByServiceIds: [],
    });
    await eventually(async () => {
      const gateways = await provider().get('/v1/provider/load-balancers?filter.load-balancer-type=gateway').expect(200);
      expect(gateways.body.loadBalancers.map((lb: { loadBalancerArn: string }) => lb.loadBalancerArn)).toEqual([gwlb]);
    });
  });

  it('registration refuses malformed ARNs, Application Load Balancers, unknown fields and another account’s load balancer', async () => {
    const bad = await provider()
      .post('/v1/provider/load-balancers', { loadBalancerArn: 'arn:aws:nope', availabilityZones: [ZONES.a] })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'InvalidParameterValue', field: 'loadBalancerArn' });
    const alb = await provider()
      .post('/v1/provider/load-balancers', { loadBalancerArn: lbArn('app'), availabilityZones: [ZONES.a] })
      .expect(400);
    expect(alb.body.message).toMatch(/Application Load Balancer/);
    const unknown = await provider()
      .post('/v1/provider/load-balancers', { loadBalancerArn: lbArn(), availabilityZones: [ZONES.a], colour: 'red' })
      .expect(400);
    expect(unknown.body.message).toMatch(/unknown field "colour"/);
    const foreign = await provider()
      .post('/v1/provider/load-balancers', { loadBalancerArn: lbArn('net', '999988887777'), availabilityZones: [ZONES.a] })
      .expect(403);
    expect(foreign.body.code).toBe('UnauthorizedOperation');
  });

  it('tags on a load balancer are created (overwriting a value) and deleted by key; an absent key is ignored', async () => {
    const arn = await api.registerLb();
    await provider()
      .post(`${lbPath(arn)}/tags`, {
        tags: [
          { key: 'team', value: 'edge' },
          { key: 'env', value: 'dev' },
        ],
      })
      .expect(200);
    const overwritten = await provider()
      .post(`${lbPath(arn)}/tags`, { tags: [{ key: 'env', value: 'prod' }] })
      .expect(200);
    expect(overwritten.body.tags).toEqual([
      { key: 'team', value: 'edge' },
      { key: 'env', value: 'prod' },
    ]);
    const deleted = await provider()
      .del(`${lbPath(arn)}/tags`, { tagKeys: ['team', 'never-set'] })
      .expect(200);
    expect(deleted.body.tags).toEqual([{ key: 'env', value: 'prod' }]);
    const read = await provider().get(lbPath(arn)).set('x-consistency-token', deleted.headers['x-consistency-token']).expect(200);
    expect(read.body.loadBalancer.tags).toEqual([{ key: 'env', value: 'prod' }]);
  });

  it('load balancer tags follow the rules: no aws: prefix, no duplicate keys, key ≤ 128, value ≤ 256, at most 50 per resource', async () => {
    const arn = await api.registerLb();
    const tags = (t: unknown) => provider().post(`${lbPath(arn)}/tags`, { tags: t });
    expect((await tags([{ key: 'aws:owner', value: 'x' }]).expect(400)).body).toMatchObject({
      field: 'tags[0].key',
      message: expect.stringMatching(/aws:/),
    });
    expect(
      (
        await tags([
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ]).expect(400)
      ).body,
    ).toMatchObject({ field: 'tags[1].key' });
    expect((await tags([{ key: 'k'.repeat(129), value: '' }]).expect(400)).body).toMatchObject({ field: 'tags[0].key' });
    expect((await tags([{ key: 'k', value: 'v'.repeat(257) }]).expect(400)).body).toMatchObject({ field: 'tags[0].value' });
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' }));
    await tags(fifty).expect(200);
    const over = await tags([{ key: 'one-more', value: '' }]).expect(400);
    expect(over.body).toMatchObject({ code: 'TagLimitExceeded', field: 'tags' });
    expect((await tags([...fifty, { key: 'k50', value: '' }]).expect(400)).body.code).toBe('TagLimitExceeded');
  });

  it('a load balancer used by a service cannot be deregistered (ResourceInUse); once the service is deleted it can', async () => {
    const arn = await api.registerLb();
    const service = await api.createAvailableService({ networkLoadBalancerArns: [arn] });
    const refused = await provider().del(lbPath(arn)).expect(409);
    expect(refused.body).toMatchObject({ code: 'ResourceInUse', details: { serviceIds: [service.serviceId] } });

    await provider().del(servicePath(service.serviceId)).expect(200);
    await eventually(async () => {
      await provider().get(servicePath(service.serviceId)).expect(404);
    });
    const done = await provider().del(lbPath(arn)).expect(200);
    expect(done.body.loadBalancer).toMatchObject({ state: 'deregistered', usedByServiceIds: [] });
  });

  it('a deregistered load balancer leaves the default list, shows under filter.state=deregistered, and cannot back a service', async () => {
    const arn = await api.registerLb();
    await provider().del(lbPath(arn)).expect(200);
    await eventually(async () => {
      const registered = await provider()
        .get(`/v1/provider/load-balancers?filter.load-balancer-arn=${encodeURIComponent(arn)}`)
        .expect(200);
      expect(registered.body.loadBalancers).toEqual([]);
      const gone = await provider()
        .get(`/v1/provider/load-balancers?filter.state=deregistered&filter.load-balancer-arn=${encodeURIComponent(arn)}`)
        .expect(200);
      expect(gone.body.loadBalancers).toHaveLength(1);
    });
    const create = await provider()
      .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [arn] })
      .expect(400);
    expect(create.body).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'networkLoadBalancerArns[0]',
      message: expect.stringMatching(/not registered/),
    });
  });

  it('tags of an unknown load balancer are NotFound', async () => {
    const res = await provider()
      .post(`${lbPath(lbArn())}/tags`, { tags: [{ key: 'a', value: 'b' }] })
      .expect(404);
    expect(res.body.code).toBe('InvalidLoadBalancerArn.NotFound');
  });

  it('a service’s deletion is visible on its load balancer: usedByServiceIds goes back to empty', async () => {
    const arn = await api.registerLb();
    const service = await api.createAvailableService({ networkLoadBalancerArns: [arn] });
    await eventually(async () => {
      expect((await provider().get(lbPath(arn)).expect(200)).body.loadBalancer.usedByServiceIds).toEqual([service.serviceId]);
    });
    await provider().del(servicePath(service.serviceId)).expect(200);
    await waitForServiceGone(service.serviceId);
    await eventually(async () => {
      expect((await provider().get(lbPath(arn)).expect(200)).body.loadBalancer.usedByServiceIds).toEqual([]);
    });
  });

  async function waitForServiceGone(serviceId: string) {
    await eventually(async () => {
      await provider().get(servicePath(serviceId)).expect(404);
    });
  }

  it('a new service starts Pending and the activation reaction makes it Available', async () => {
    const arn = await api.registerLb();
    const created = await provider()
      .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [arn] })
      .expect(201);
    expect(created.body.serviceConfiguration.serviceState).toBe('Pending');
    await api.waitForState(created.body.serviceConfiguration.serviceId, 'Available');
  });
});
