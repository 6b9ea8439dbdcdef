import request from 'supertest';
import { deflateSync, gzipSync } from 'node:zlib';
import { CONSUMER_ROOT, PROVIDER_ACCOUNT, ZONES, demoKeys, lbArn, lbPath, useApi } from './support';

const NUL = '\u0000';
const LONE = '\ud800';
const VPCE = 'vpce-0c1308d7312217abc';

/**
 * The edge refuses, with a 400 naming the field, every string that breaks the string rule (no NUL, no
 * unpaired surrogate anywhere; no control or bidirectional formatting character in names, keys and ids),
 * in bodies, query strings and path parameters, before anything is written or queued. It refuses bodies
 * that are not JSON, bodies that are not compressed as they say, and methods a path does not serve.
 */
describe('validation at the edge', () => {
  const api = useApi('edge-validation');

  const server = () => api.host.app.getHttpServer();
  const { provider, consumer, ops } = api;

  /** The commands endpoint-api has ever queued (the outbox's sequence: an insert moves it, even one rolled back). */
  const queued = async (): Promise<number> => {
    const [row] = await api.core.runtime.db.query(`SELECT last_value::int AS n, is_called FROM endpoint_api.es_outbox_position_seq`);
    return row.is_called ? row.n : 0;
  };
  const events = async (): Promise<number> =>
    Number((await api.core.runtime.db.query(`SELECT count(*)::int AS n FROM endpoint_api.es_events`))[0].n);

  const refusedNaming = (res: request.Response, field: string | RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'InvalidParameterValue', requestId: expect.any(String) });
    if (typeof field === 'string') expect(res.body.field).toBe(field);
    else expect(res.body.field).toMatch(field);
  };

  describe('strings in bodies', () => {
    it('a NUL or an unpaired surrogate in a tag key or value is a 400 naming the tag, and nothing is written', async () => {
      const before = await events();
      for (const [tags, field] of [
        [[{ key: `team${NUL}`, value: 'a' }], 'tags[0].key'],
        [
          [
            { key: 'team', value: 'ok' },
            { key: 'env', value: `prod${LONE}` },
          ],
          'tags[1].value',
        ],
      ] as const) {
        refusedNaming(
          await provider().post('/v1/provider/load-balancers', { loadBalancerArn: lbArn(), availabilityZones: [ZONES.a], tags }),
          field,
        );
        refusedNaming(await provider().post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lbArn()], tags }), field);
      }
      expect(await events()).toBe(before);
    });

    it('a control or bidirectional override character in a name, key or id is a 400 naming it', async () => {
      refusedNaming(
        await provider().post('/v1/provider/load-balancers', {
          loadBalancerArn: lbArn(),
          availabilityZones: [ZONES.a],
          tags: [{ key: 'a\tb', value: '' }],
        }),
        'tags[0].key',
      );
      refusedNaming(
        await provider().post('/v1/provider/endpoint-services', {
          networkLoadBalancerArns: [lbArn()],
          privateDnsName: 'api.\u202eexample.com',
        }),
        'privateDnsName',
      );
      refusedNaming(
        await provider().post('/v1/provider/load-balancers', { loadBalancerArn: `${lbArn()}\u0085`, availabilityZones: [ZONES.a] }),
        'loadBalancerArn',
      );
    });

    it('a NUL or unpaired surrogate in a clientToken, a principal or an ARN list is a 400 naming it', async () => {
      refusedNaming(
        await provider().post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lbArn()], clientToken: `tok${NUL}` }),
        'clientToken',
      );
      refusedNaming(
        await provider().post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lbArn(), `arn${LONE}`] }),
        'networkLoadBalancerArns[1]',
      );
      refusedNaming(
        await provider().post('/v1/provider/endpoint-services/vpce-svc-0123456789abcdef0/permissions', {
          addAllowedPrincipals: [`${CONSUMER_ROOT}${NUL}`],
        }),
        'addAllowedPrincipals[0]',
      );
    });

    it('a NUL or unpaired surrogate in a request message or a policy is a 400; free text may still hold line breaks', async () => {
      const request = {
        serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
        vpcEndpointType: 'Interface',
        vpcId: 'vpc-ec43eb89',
        subnets: [{ subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' }],
      };
      const before = await queued();
      refusedNaming(await consumer().post('/v1/consumer/endpoints', { ...request, requestMessage: `hello${NUL}` }), 'requestMessage');
      refusedNaming(
        await consumer().post('/v1/consumer/endpoints', {
          ...request,
          policyDocument: `{"Statement":[{"Principal":"*","Sid":"${LONE}"}]}`,
        }),
        'policyDocument',
      );
      refusedNaming(await consumer().post('/v1/consumer/endpoints', { ...request, clientToken: `c${LONE}` }), 'clientToken');
      // Line breaks pass the string rule: the request goes on to the next rule (here: no such service).
      const multiline = await consumer().post('/v1/consumer/endpoints', { ...request, requestMessage: 'line one\nline two' });
      expect(multiline.body.field).not.toBe('requestMessage');
      expect(await queued()).toBe(before);
    });

    it('a NUL in a reason (quota denial, delivery re-drive) is a 400 naming it, before anything is sent to the owning service', async () => {
      const before = await queued();
      refusedNaming(await ops().post('/v1/ops/quota-increase-requests/qir-0123456789abcdef0:deny', { reason: `no${NUL}` }), 'reason');
      refusedNaming(
        await ops().post('/v1/ops/notification-deliveries/dlv-0123456789abcdef0:redrive', { reason: `again${LONE}` }),
        'reason',
      );
      refusedNaming(
        await consumer().post('/v1/quotas/vpc-endpoints-per-vpc/increase-requests', {
          desiredValue: 80,
          reason: `more${NUL}`,
          scope: { vpcId: 'vpc-ec43eb89' },
        }),
        'reason',
      );
      expect(await queued()).toBe(before);
    });

    it('a body nested 100,000 levels deep (200 KB, under the size limit) is a 400 naming where, not a crash', async () => {
      const deep = `{"tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const res = await request(server())
        .post('/v1/provider/load-balancers')
        .set('Authorization', `Bearer ${demoKeys.provider}`)
        .set('content-type', 'application/json')
        .send(deep);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'InvalidParameterValue',
        field: expect.stringMatching(/^tags\[0\]/),
        message: expect.stringMatching(/nested more than 32 levels/),
      });
    });

    it('a NUL in a field name is refused as well, naming the object that holds it', async () => {
      const res = await provider().post('/v1/provider/load-balancers', {
        loadBalancerArn: lbArn(),
        availabilityZones: [ZONES.a],
        [`x${NUL}`]: 1,
      });
      refusedNaming(res, 'body');
      expect(res.body.message).toMatch(/field name contains a NUL/);
    });
  });

  describe('PATCH /v1/consumer/endpoints/{id}', () => {
    it('a refused change queues nothing for connection-broker: NUL, unpaired surrogate, malformed ids, bad policy, bad tags', async () => {
      const before = await queued();
      const path = `/v1/consumer/endpoints/${VPCE}`;
      refusedNaming(await consumer().patch(path, { addTags: [{ key: 'k', value: `v${NUL}` }] }), 'addTags[0].value');
      refusedNaming(await consumer().patch(path, { removeTagKeys: [`k${LONE}`] }), 'removeTagKeys[0]');
      refusedNaming(await consumer().patch(path, { policyDocument: `{"Statement":"${NUL}"}` }), 'policyDocument');
      refusedNaming(await consumer().patch(path, { addSecurityGroupIds: ['not-a-group'] }), 'addSecurityGroupIds[0]');
      refusedNaming(
        await consumer().patch(path, { addSubnets: [{ subnetId: 'subnet-zz', availabilityZoneId: 'use1-az1' }] }),
        'addSubnets[0].subnetId',
      );
      refusedNaming(await consumer().patch(path, { policyDocument: '{"Statement":[{"Effect":"Allow"}]}' }), 'policyDocument');
      refusedNaming(await consumer().patch(path, { addTags: [{ key: 'aws:reserved', value: '' }] }), 'addTags[0].key');
      const combination = await consumer().patch(path, { resetPolicy: true, policyDocument: '{"Statement":[{"Principal":"*"}]}' });
      expect(combination.status).toBe(400);
      expect(combination.body).toMatchObject({ code: 'InvalidParameterCombination', field: 'resetPolicy' });
      expect(await queued()).toBe(before);
    });

    it('without a body it is a 400 MissingParameter naming the body; a text/plain body is a 415; neither queues anything', async () => {
      const before = await queued();
      const path = `/v1/consumer/endpoints/${VPCE}`;
      const missing = await request(server()).patch(path).set('Authorization', `Bearer ${demoKeys.consumer}`);
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'MissingParameter', field: 'body' });
      const text = await request(server())
        .patch(path)
        .set('Authorization', `Bearer ${demoKeys.consumer}`)
        .set('content-type', 'text/plain')
        .send('{"addTags":[{"key":"a","value":"b"}]}');
      expect(text.status).toBe(415);
      expect(text.body).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'Content-Type',
        message: expect.stringMatching(/application\/json/),
      });
      expect(await queued()).toBe(before);
    });
  });

  describe('query strings and path parameters', () => {
    // (A query string cannot carry an unpaired surrogate: %ED%A0%80 decodes to U+FFFD.)
    it('a NUL, a control or a bidirectional override in a filter value is a 400 naming the filter, not a database error', async () => {
      refusedNaming(await consumer().get('/v1/consumer/endpoints?filter.vpc-id=vpc-%00'), 'filter.vpc-id');
      refusedNaming(await provider().get('/v1/provider/endpoint-services?filter.service-id=a,b%00'), 'filter.service-id');
      refusedNaming(await provider().get('/v1/provider/load-balancers?filter.state=%E2%80%AEderetsiger'), 'filter.state');
      refusedNaming(await consumer().get('/v1/consumer/endpoints?filter.tag:Team=%01'), 'filter.tag:Team');
    });

    it('a NUL in a path id is a 400 naming the parameter', async () => {
      refusedNaming(await consumer().get('/v1/consumer/endpoints/vpce-%00'), 'vpcEndpointId');
      refusedNaming(await provider().get('/v1/provider/endpoint-services/vpce-svc-%00'), 'serviceId');
      refusedNaming(
        await provider().get('/v1/provider/endpoint-services/vpce-svc-0123456789abcdef0/connections?filter.vpc-endpoint-id=%00'),
        'filter.vpc-endpoint-id',
      );
      refusedNaming(await ops().post('/v1/ops/quota-increase-requests/qir-%00:approve', {}), 'requestId');
    });

    it('a NUL or bidirectional override in an ARN path is a 400 naming the ARN', async () => {
      const arn = `arn:aws:elasticloadbalancing:us-east-1:${PROVIDER_ACCOUNT}:loadbalancer/net/x/0123456789abcdef`;
      refusedNaming(await provider().get(lbPath(`${arn}${NUL}`)), 'loadBalancerArn');
      refusedNaming(await provider().del(lbPath(`${arn}\u202e`)), 'loadBalancerArn');
      refusedNaming(await provider().post(`${lbPath(`${arn}${NUL}`)}/tags`, { tags: [{ key: 'a', value: 'b' }] }), 'loadBalancerArn');
    });

    it('a %-encoding that is not UTF-8 in the path is a 400 naming the path', async () => {
      const res = await consumer().get('/v1/consumer/endpoints/%E0%A4%A');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterValue', field: 'path' });
    });

    it('a nextToken whose signature holds non-ASCII characters is a 400 InvalidPaginationToken, not a crash', async () => {
      const first = await provider().get('/v1/provider/load-balancers?maxResults=5').expect(200);
      const token = (first.body.nextToken as string | undefined) ?? 'eyJhIjoieCIsInEiOiJ5In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const [body, sig] = token.split('.');
      for (const forged of [`${body}.${'é'.repeat(sig.length)}`, `${body}.${sig.slice(0, -2)}名前`]) {
        const res = await provider().get(`/v1/provider/load-balancers?maxResults=5&nextToken=${encodeURIComponent(forged)}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'InvalidPaginationToken', field: 'nextToken' });
      }
    });

    it('the ops lists answer without their optional filter (state, status), and refuse a bad one naming it', async () => {
      await ops().get('/v1/ops/notification-deliveries').expect(200);
      await ops().get('/v1/ops/quota-increase-requests').expect(200);
      const badState = await ops().get('/v1/ops/notification-deliveries?state=lost').expect(400);
      expect(badState.body.field).toBe('state');
      const badStatus = await ops().get('/v1/ops/quota-increase-requests?status=maybe').expect(400);
      expect(badStatus.body.field).toBe('status');
    });
  });

  describe('bodies and methods', () => {
    const post = (path: string) => request(server()).post(path).set('Authorization', `Bearer ${demoKeys.provider}`);
    const register = () => JSON.stringify({ loadBalancerArn: lbArn(), availabilityZones: [ZONES.a] });

    it('Content-Encoding gzip, deflate or br on a body that is not compressed is a 400 naming Content-Encoding', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const res = await post('/v1/provider/load-balancers')
          .set('content-type', 'application/json')
          .set('content-encoding', encoding)
          .send(register());
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'InvalidParameterValue', field: 'Content-Encoding' });
      }
    });

    it('a body compressed as its Content-Encoding says is read; an unknown encoding is a 415', async () => {
      // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON).
      const send = (encoding: string, body: Buffer) =>
        fetch(`${api.host.url}/v1/provider/load-balancers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${demoKeys.provider}`, 'content-type': 'application/json', 'content-encoding': encoding },
          body,
        });
      expect((await send('gzip', gzipSync(register()))).status).toBe(201);
      expect((await send('deflate', deflateSync(register()))).status).toBe(201);
      const unknown = await post('/v1/provider/load-balancers')
        .set('content-type', 'application/json')
        .set('content-encoding', 'compress')
        .send(register());
      expect(unknown.status).toBe(415);
      expect(unknown.body.field).toBe('Content-Encoding');
    });

    it('a JSON body sent as text/plain, a form or without a Content-Type is a 415, not an empty request', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await post('/v1/provider/load-balancers').set('content-type', type).send(register());
        expect(res.status).toBe(415);
        expect(res.body).toMatchObject({ code: 'InvalidParameterValue', field: 'Content-Type' });
      }
      const untyped = await post('/v1/provider/load-balancers').set('content-type', '').send(Buffer.from(register()));
      expect(untyped.status).toBe(415);
      await post('/v1/provider/load-balancers').set('content-type', 'application/json; charset=utf-8').send(register()).expect(201);
    });

    it('a route that needs a body answers 400 MissingParameter naming the body when there is none', async () => {
      const res = await post('/v1/provider/load-balancers');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'MissingParameter', field: 'body' });
    });

    it('a method a path does not serve is a 405 with Allow listing the methods it does', async () => {
      const put = await request(server()).put('/v1/consumer/endpoints').set('Authorization', `Bearer ${demoKeys.consumer}`).send({});
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, HEAD, POST');
      expect(put.body).toMatchObject({ code: 'MethodNotAllowed', requestId: expect.any(String) });
      const item = await request(server())
        .post(`/v1/consumer/endpoints/${VPCE}`)
        .set('Authorization', `Bearer ${demoKeys.consumer}`)
        .send({});
      expect(item.status).toBe(405);
      expect(item.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
      const missing = await request(server()).put('/v1/nothing-here').send({});
      expect(missing.status).toBe(404);
    });

    it('an unknown field is a 400 whose field names it, nested ones with their path', async () => {
      const top = await provider().post('/v1/provider/load-balancers', {
        loadBalancerArn: lbArn(),
        availabilityZones: [ZONES.a],
        colour: 'red',
      });
      refusedNaming(top, 'colour');
      const nested = await provider().post('/v1/provider/load-balancers', {
        loadBalancerArn: lbArn(),
        availabilityZones: [{ ...ZONES.a, colour: 'red' }],
      });
      refusedNaming(nested, 'availabilityZones[0].colour');
    });

    it('requests refused before routing are counted by reason in /metrics', async () => {
      await request(server()).put('/v1/consumer/endpoints').send({}).expect(405);
      await post('/v1/provider/load-balancers').set('content-type', 'text/plain').send('x').expect(415);
      await post('/v1/provider/load-balancers').set('content-type', 'application/json').send('{"a":').expect(400);
      await post('/v1/provider/load-balancers')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send('{}')
        .expect(400);
      await request(server()).get('/v1/nothing-here').expect(404);
      const metrics = await request(server()).get('/metrics').expect(200);
      for (const reason of ['method-not-allowed', 'unsupported-media-type', 'malformed-body', 'bad-content-encoding', 'no-such-route']) {
        expect(metrics.text).toMatch(new RegExp(`privatelink_http_requests_refused_total\\{reason="${reason}"\\} [1-9]`));
      }
    });
  });
});
