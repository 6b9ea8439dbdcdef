import request from 'supertest';
import { ZONES, lbArn, useApi } from './support';

/** What every request meets at the edge before any rule of the domain: auth, body parsing, the error shape. */
describe('the HTTP edge', () => {
  const api = useApi('edge');

  const server = () => api.host.app.getHttpServer();

  it('a request without an API key is a 401 AuthFailure in the error shape', async () => {
    const res = await request(server()).get('/v1/provider/load-balancers').expect(401);
    expect(res.body).toEqual({ code: 'AuthFailure', message: expect.stringMatching(/bearer API key/), requestId: expect.any(String) });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it('an unknown API key is a 401 too', async () => {
    const res = await request(server()).get('/v1/provider/load-balancers').set('Authorization', 'Bearer not-a-key').expect(401);
    expect(res.body.code).toBe('AuthFailure');
  });

  it('a request id sent by the caller is echoed and named in errors', async () => {
    const res = await request(server()).get('/v1/provider/load-balancers').set('x-request-id', 'trace-me-123').expect(401);
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    expect(res.body.requestId).toBe('trace-me-123');
  });

  it('a body over the size limit is a 413 in the error shape, not a stack trace', async () => {
    const res = await api
      .as('demo-provider-key-0001')
      .post('/v1/provider/load-balancers')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ loadBalancerArn: lbArn(), availabilityZones: [ZONES.a], padding: 'x'.repeat(300 * 1024) }))
      .expect(413);
    expect(res.body).toMatchObject({ code: 'InvalidParameterValue', requestId: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.js/);
  });

  it('malformed JSON is a 400 that says so and carries the request id', async () => {
    const res = await api
      .as('demo-provider-key-0001')
      .post('/v1/provider/load-balancers')
      .set('content-type', 'application/json')
      .send('{"loadBalancerArn": ')
      .expect(400);
    expect(res.body.code).toBe('InvalidParameterValue');
    expect(res.body.message).toMatch(/not valid JSON/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('an unknown field, a wrong type and a missing field are 400s naming the field', async () => {
    const client = api.as('demo-provider-key-0001');
    const unknown = await client
      .post('/v1/provider/load-balancers', { loadBalancerArn: lbArn(), availabilityZones: [ZONES.a], colour: 'red' })
      .expect(400);
    expect(unknown.body.message).toMatch(/unknown field "colour"/);
    const wrongType = await client.post('/v1/provider/load-balancers', { loadBalancerArn: 42, availabilityZones: [ZONES.a] }).expect(400);
    expect(wrongType.body).toMatchObject({ code: 'InvalidParameterValue', field: 'loadBalancerArn' });
    const missing = await client.post('/v1/provider/load-balancers', { availabilityZones: [ZONES.a] }).expect(400);
    expect(missing.body).toMatchObject({ code: 'MissingParameter', field: 'loadBalancerArn' });
  });

  it('an Availability Zone of another region, or a malformed zone id, is refused naming the zone', async () => {
    const client = api.as('demo-provider-key-0001');
    const otherRegion = await client
      .post('/v1/provider/load-balancers', {
        loadBalancerArn: lbArn(),
        availabilityZones: [{ zoneName: 'eu-west-1a', zoneId: 'euw1-az1' }],
      })
      .expect(400);
    expect(otherRegion.body.field).toMatch(/^availabilityZones\[0\]/);
    const badId = await client
      .post('/v1/provider/load-balancers', { loadBalancerArn: lbArn(), availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'az-one' }] })
      .expect(400);
    expect(badId.body.field).toMatch(/^availabilityZones\[0\]/);
  });

  it('a Gateway Load Balancer ARN registered as the wrong kind of service backing is refused naming the field', async () => {
    const res = await api
      .as('demo-provider-key-0001')
      .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lbArn('gwy')] })
      .expect((r) => expect([400, 404]).toContain(r.status));
    expect(res.body.field).toMatch(/^networkLoadBalancerArns/);
  });

  it('an unknown route is a 404 in the error shape', async () => {
    const res = await api.as('demo-provider-key-0001').get('/v1/provider/nothing-here').expect(404);
    expect(res.body).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  });
});
