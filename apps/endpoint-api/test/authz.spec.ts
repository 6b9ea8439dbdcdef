import request from 'supertest';
import { demoKeys, lbArn, lbPath, servicePath, useApi } from './support';

type Method = 'get' | 'post' | 'patch' | 'put' | 'del';
interface Route {
  method: Method;
  path: string;
  body?: unknown;
}

/**
 * AuthZ, tried from every side: a provider sees and changes only its own account's services and load
 * balancers (another account's answer 404 NotFound, so ids do not leak); a consumer gets 403 on every
 * provider route; ops reads everything and writes nothing.
 */
describe('authorization across tenants and roles over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('authz');
  let lb: string;
  let serviceId: string;
  let providerRoutes: Route[];

  beforeAll(async () => {
    lb = await api.registerLb();
    serviceId = (await api.createAvailableService({ networkLoadBalancerArns: [lb], tags: [{ key: 'team', value: 'a' }] })).serviceId;
    await api
      .as(demoKeys.provider)
      .post(`${servicePath(serviceId)}/permissions`, { addAllowedPrincipals: ['arn:aws:iam::444455556666:root'] })
      .expect(200);
    const svc = servicePath(serviceId);
    providerRoutes = [
      { method: 'get', path: '/v1/provider/load-balancers' },
      { method: 'get', path: lbPath(lb) },
      {
        method: 'post',
        path: '/v1/provider/load-balancers',
        body: { loadBalancerArn: lbArn(), availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }] },
      },
      { method: 'del', path: lbPath(lb) },
      { method: 'post', path: `${lbPath(lb)}/tags`, body: { tags: [{ key: 'x', value: 'y' }] } },
      { method: 'del', path: `${lbPath(lb)}/tags`, body: { tagKeys: ['x'] } },
      { method: 'get', path: '/v1/provider/endpoint-services' },
      { method: 'post', path: '/v1/provider/endpoint-services', body: { networkLoadBalancerArns: [lb] } },
      { method: 'get', path: svc },
      { method: 'patch', path: svc, body: { acceptanceRequired: false } },
      { method: 'put', path: `${svc}/payer-responsibility`, body: { payerResponsibility: 'ServiceOwner' } },
      { method: 'del', path: svc },
      { method: 'post', path: '/v1/provider/endpoint-services:delete', body: { serviceIds: [serviceId] } },
      { method: 'get', path: `${svc}/permissions` },
      { method: 'post', path: `${svc}/permissions`, body: { addAllowedPrincipals: ['*'] } },
      { method: 'del', path: `${svc}/permissions`, body: { removeAllowedPrincipals: ['arn:aws:iam::444455556666:root'] } },
      { method: 'post', path: `${svc}/tags`, body: { tags: [{ key: 'x', value: 'y' }] } },
      { method: 'del', path: `${svc}/tags`, body: { tagKeys: ['team'] } },
    ];
  }, 120_000);

  const call = (key: string, route: Route) => api.as(key as never)[route.method](route.path, route.body);
  const stillIntact = async () => {
    const read = await api.as(demoKeys.provider).get(servicePath(serviceId)).expect(200);
    expect(read.body.serviceConfiguration).toMatchObject({
      serviceState: 'Available',
      acceptanceRequired: true,
      tags: [{ key: 'team', value: 'a' }],
    });
    expect((await api.as(demoKeys.provider).get(lbPath(lb)).expect(200)).body.loadBalancer.state).toBe('registered');
  };

  it('a consumer gets 403 UnauthorizedOperation on every provider route, and changes nothing', async () => {
    for (const key of [demoKeys.consumer, demoKeys.consumerRole]) {
      for (const route of providerRoutes) {
        const res = await call(key, route);
        expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.code }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 403,
          code: 'UnauthorizedOperation',
        });
      }
    }
    await stillIntact();
  });

  it('ops reads every provider route of any account, and gets 403 on every write', async () => {
    for (const route of providerRoutes) {
      const res = await call(demoKeys.ops, route);
      const expected = route.method === 'get' ? 200 : 403;
      expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: expected,
      });
    }
    const list = await api.as(demoKeys.ops).get('/v1/provider/endpoint-services').expect(200);
    expect(list.body.serviceConfigurations.map((s: { serviceId: string }) => s.serviceId)).toContain(serviceId);
    await stillIntact();
  });

  it('another provider account gets 404 NotFound for this account’s service and load balancer on every route that names them', async () => {
    for (const route of providerRoutes.filter((r) => r.path.includes(serviceId) || r.path.includes(encodeURIComponent(lb)))) {
      const res = await call(demoKeys.otherProvider, route);
      expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
        code: route.path.includes('load-balancers') ? 'InvalidLoadBalancerArn.NotFound' : 'InvalidVpcEndpointServiceId.NotFound',
      });
    }
    await stillIntact();
  });

  it('another provider account does not see this account’s services or load balancers in lists, nor can it build on them', async () => {
    const other = api.as(demoKeys.otherProvider);
    const services = await other.get(`/v1/provider/endpoint-services?filter.service-id=${serviceId}`).expect(200);
    expect(services.body.serviceConfigurations).toEqual([]);
    const lbs = await other.get(`/v1/provider/load-balancers?filter.load-balancer-arn=${encodeURIComponent(lb)}`).expect(200);
    expect(lbs.body.loadBalancers).toEqual([]);
    const create = await other.post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb] }).expect(400);
    expect(create.body).toMatchObject({
      field: 'networkLoadBalancerArns[0]',
      message: expect.stringMatching(/not registered in account 999988887777/),
    });
    const batch = await other.post('/v1/provider/endpoint-services:delete', { serviceIds: [serviceId] }).expect(200);
    expect(batch.body.unsuccessful).toEqual([
      { resourceId: serviceId, error: expect.objectContaining({ code: 'InvalidVpcEndpointServiceId.NotFound' }) },
    ]);
    // Its own load balancer cannot be added to this account's service either.
    const theirs = await api.registerLb({ key: demoKeys.otherProvider, account: '999988887777' });
    const add = await api
      .as(demoKeys.provider)
      .patch(servicePath(serviceId), { addNetworkLoadBalancerArns: [theirs] })
      .expect(400);
    expect(add.body.message).toMatch(/not registered in account 111122223333/);
    await stillIntact();
  });

  it('a second admin of the same account (an IAM user) sees and changes the account’s services', async () => {
    const admin = api.as(demoKeys.providerAdmin);
    await admin.get(servicePath(serviceId)).expect(200);
    const res = await admin.post(`${servicePath(serviceId)}/tags`, { tags: [{ key: 'by', value: 'admin' }] }).expect(200);
    expect(res.body.tags).toEqual([
      { key: 'team', value: 'a' },
      { key: 'by', value: 'admin' },
    ]);
    const removed = await admin.del(`${servicePath(serviceId)}/tags`, { tagKeys: ['by'] }).expect(200);
    await admin.get(servicePath(serviceId)).set('x-consistency-token', removed.headers['x-consistency-token']).expect(200);
  });

  it('the consumer route is for consumers, the ops route for ops: the other roles get 403', async () => {
    for (const key of [demoKeys.provider, demoKeys.ops]) await api.as(key).get('/v1/consumer/endpoint-services').expect(403);
    for (const key of [demoKeys.provider, demoKeys.consumer]) await api.as(key).get('/v1/ops/public-endpoint-services').expect(403);
    await api.as(demoKeys.consumer).get('/v1/consumer/endpoint-services').expect(200);
    await api.as(demoKeys.ops).get('/v1/ops/public-endpoint-services').expect(200);
  });

  it('a missing or unknown API key is 401 AuthFailure on every route', async () => {
    const server = api.host.app.getHttpServer();
    for (const path of [
      '/v1/provider/endpoint-services',
      servicePath(serviceId),
      '/v1/consumer/endpoint-services',
      '/v1/ops/public-endpoint-services',
    ]) {
      expect((await request(server).get(path).expect(401)).body.code).toBe('AuthFailure');
      expect((await request(server).get(path).set('Authorization', 'Bearer not-a-key-at-all-000').expect(401)).body.code).toBe(
        'AuthFailure',
      );
    }
    await request(server).patch(servicePath(serviceId)).send({ acceptanceRequired: false }).expect(401);
    await stillIntact();
  });
});
