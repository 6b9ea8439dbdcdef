import { ZONES, demoKeys, eventually, lbArn, servicePath, tokenOf, useApi } from './support';

const CREATE = '/v1/provider/endpoint-services';

describe('create and describe endpoint services over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('create');
  let nlbAB: string;
  let nlbBC: string;
  let dualstack: string;
  let gwlb: string;

  beforeAll(async () => {
    nlbAB = await api.registerLb({ zones: [ZONES.a, ZONES.b] });
    nlbBC = await api.registerLb({ zones: [ZONES.b, ZONES.c] });
    dualstack = await api.registerLb({ ipAddressType: 'dualstack' });
    gwlb = await api.registerLb({ kind: 'gwy', zones: [ZONES.c] });
  }, 120_000);

  const { provider } = api;
  const create = (body: Record<string, unknown>) => provider().post(CREATE, body);

  describe('create', () => {
    it('an Interface service gets generated id, name and DNS name, the union of its load balancers’ zones, and acceptance required by default', async () => {
      const res = await create({ networkLoadBalancerArns: [nlbAB, nlbBC] }).expect(201);
      const s = res.body.serviceConfiguration;
      expect(s.serviceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
      expect(s).toMatchObject({
        serviceName: `com.amazonaws.vpce.us-east-1.${s.serviceId}`,
        serviceType: 'Interface',
        serviceState: 'Pending',
        owner: '111122223333',
        acceptanceRequired: true,
        networkLoadBalancerArns: [nlbAB, nlbBC],
        gatewayLoadBalancerArns: [],
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az3'],
        baseEndpointDnsNames: [`${s.serviceId}.us-east-1.vpce.amazonaws.com`],
        supportedIpAddressTypes: ['ipv4'],
        tags: [],
      });
      expect(res.body.warning).toBeUndefined();
    });

    it('a GatewayLoadBalancer service is created from a Gateway Load Balancer, without acceptance when asked', async () => {
      const s = await api.createAvailableService({ gatewayLoadBalancerArns: [gwlb], acceptanceRequired: false });
      expect(s).toMatchObject({
        serviceType: 'GatewayLoadBalancer',
        serviceState: 'Available',
        acceptanceRequired: false,
        availabilityZones: ['us-east-1c'],
      });
    });

    it('the same clientToken and body answers the first result; another body with it is IdempotentParameterMismatch', async () => {
      const body = { networkLoadBalancerArns: [nlbAB], clientToken: 'token-create-1', tags: [{ key: 'env', value: 'test' }] };
      const first = await create(body).expect(201);
      const again = await create(body).expect(200);
      expect(again.body.serviceConfiguration.serviceId).toBe(first.body.serviceConfiguration.serviceId);
      const mismatch = await create({ ...body, acceptanceRequired: false }).expect(409);
      expect(mismatch.body).toMatchObject({ code: 'IdempotentParameterMismatch', field: 'clientToken' });
    });

    it('concurrent creates with one clientToken make one service', async () => {
      const body = { networkLoadBalancerArns: [nlbBC], clientToken: 'token-race' };
      const answers = await Promise.all(Array.from({ length: 5 }, () => create(body)));
      const ids = new Set(answers.map((r) => r.body.serviceConfiguration?.serviceId));
      expect(answers.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(ids.size).toBe(1);
    });

    it('a private DNS name is accepted lower case, with an optional leading wildcard', async () => {
      const res = await create({ networkLoadBalancerArns: [nlbAB], privateDnsName: '*.api.example.com' }).expect(201);
      expect(res.body.serviceConfiguration.privateDnsName).toBe('*.api.example.com');
    });

    it('ipv6 is accepted when every load balancer is dualstack', async () => {
      const res = await create({ networkLoadBalancerArns: [dualstack], supportedIpAddressTypes: ['ipv6', 'ipv4'] }).expect(201);
      expect(res.body.serviceConfiguration.supportedIpAddressTypes).toEqual(['ipv4', 'ipv6']);
    });
  });

  describe('bad input to create answers 400 naming the field', () => {
    it('both Network and Gateway Load Balancers: InvalidParameterCombination', async () => {
      const res = await create({ networkLoadBalancerArns: [nlbAB], gatewayLoadBalancerArns: [gwlb] }).expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterCombination', field: 'gatewayLoadBalancerArns' });
    });

    it('no load balancer at all: MissingParameter', async () => {
      expect((await create({}).expect(400)).body).toMatchObject({ code: 'MissingParameter', field: 'networkLoadBalancerArns' });
      expect((await create({ networkLoadBalancerArns: [] }).expect(400)).body).toMatchObject({ code: 'MissingParameter' });
    });

    it('a malformed load balancer ARN, naming its entry', async () => {
      const res = await create({
        networkLoadBalancerArns: [nlbAB, 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x'],
      }).expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterValue', field: 'networkLoadBalancerArns[1]' });
    });

    it('an Application Load Balancer', async () => {
      const res = await create({ networkLoadBalancerArns: [lbArn('app')] }).expect(400);
      expect(res.body).toMatchObject({ field: 'networkLoadBalancerArns[0]', message: expect.stringMatching(/Application Load Balancer/) });
    });

    it('the wrong load balancer type for the field (a Gateway Load Balancer as a Network one, and back)', async () => {
      expect((await create({ networkLoadBalancerArns: [gwlb] }).expect(400)).body).toMatchObject({
        field: 'networkLoadBalancerArns[0]',
        message: expect.stringMatching(/Gateway Load Balancer/),
      });
      expect((await create({ gatewayLoadBalancerArns: [nlbAB] }).expect(400)).body).toMatchObject({ field: 'gatewayLoadBalancerArns[0]' });
    });

    it('an unknown load balancer, and another account’s, answer alike', async () => {
      const unknown = await create({ networkLoadBalancerArns: [nlbAB, lbArn()] }).expect(400);
      expect(unknown.body).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'networkLoadBalancerArns[1]',
        message: expect.stringMatching(/not registered/),
      });
      const theirs = await api.registerLb({ key: demoKeys.otherProvider, account: '999988887777' });
      const foreign = await create({ networkLoadBalancerArns: [theirs] }).expect(400);
      expect(foreign.body).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'networkLoadBalancerArns[0]',
        message: expect.stringMatching(/not registered/),
      });
    });

    it('an upper-case, over-long-label or over-long private DNS name, and one on a Gateway Load Balancer service', async () => {
      const name = (privateDnsName: string, lbs = { networkLoadBalancerArns: [nlbAB] }) => create({ ...lbs, privateDnsName }).expect(400);
      expect((await name('API.example.com')).body).toMatchObject({ field: 'privateDnsName', message: expect.stringMatching(/lower case/) });
      expect((await name(`${'a'.repeat(64)}.example.com`)).body).toMatchObject({
        field: 'privateDnsName',
        message: expect.stringMatching(/63/),
      });
      const long = Array.from({ length: 4 }, () => 'b'.repeat(62)).join('.') + '.example.com'; // 263 characters
      expect((await name(long)).body).toMatchObject({ field: 'privateDnsName', message: expect.stringMatching(/255/) });
      expect((await name('a.*.example.com')).body).toMatchObject({ field: 'privateDnsName' });
      expect((await name('api.example.com', { gatewayLoadBalancerArns: [gwlb] } as never)).body).toMatchObject({ field: 'privateDnsName' });
    });

    it('ipv6 with a load balancer that is ipv4 only', async () => {
      const res = await create({ networkLoadBalancerArns: [nlbAB], supportedIpAddressTypes: ['ipv6'] }).expect(400);
      expect(res.body).toMatchObject({ field: 'supportedIpAddressTypes', message: expect.stringMatching(/dualstack/) });
      expect((await create({ networkLoadBalancerArns: [nlbAB], supportedIpAddressTypes: ['ipv5'] }).expect(400)).body.field).toBe(
        'supportedIpAddressTypes[0]',
      );
    });

    it('duplicate tags, more than 50 tags, an aws: prefix', async () => {
      const tags = (t: unknown) => create({ networkLoadBalancerArns: [nlbAB], tags: t }).expect(400);
      expect(
        (
          await tags([
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
          ])
        ).body,
      ).toMatchObject({ field: 'tags[1].key' });
      expect((await tags(Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })))).body).toMatchObject({
        code: 'TagLimitExceeded',
        field: 'tags',
      });
      expect((await tags([{ key: 'AWS:x', value: '' }])).body).toMatchObject({ field: 'tags[0].key' });
    });

    it('unknown fields, wrong types and a too-long clientToken', async () => {
      expect((await create({ networkLoadBalancerArns: [nlbAB], loadBalancerArns: [] }).expect(400)).body.message).toMatch(
        /unknown field "loadBalancerArns"/,
      );
      expect((await create({ networkLoadBalancerArns: [nlbAB], acceptanceRequired: 'yes' }).expect(400)).body.field).toBe(
        'acceptanceRequired',
      );
      expect((await create({ networkLoadBalancerArns: nlbAB }).expect(400)).body.field).toBe('networkLoadBalancerArns');
      expect((await create({ networkLoadBalancerArns: [nlbAB], clientToken: 'x'.repeat(65) }).expect(400)).body.field).toBe('clientToken');
    });

    it('malformed JSON', async () => {
      const res = await provider().post(CREATE).set('content-type', 'application/json').send('{"networkLoadBalancerArns": [').expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterValue', requestId: expect.any(String) });
    });
  });

  describe('describe', () => {
    it('an unknown service id is InvalidVpcEndpointServiceId.NotFound (404); a malformed one is a 400', async () => {
      const missing = await provider().get(servicePath('vpce-svc-0123456789abcdef0')).expect(404);
      expect(missing.body).toMatchObject({ code: 'InvalidVpcEndpointServiceId.NotFound' });
      expect((await provider().get(servicePath('svc-123')).expect(400)).body).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'serviceId',
      });
    });

    it('a service is readable right after its creation with the consistency token', async () => {
      const res = await create({ networkLoadBalancerArns: [nlbAB] }).expect(201);
      const read = await provider()
        .get(servicePath(res.body.serviceConfiguration.serviceId))
        .set('x-consistency-token', tokenOf(res))
        .expect(200);
      expect(read.headers['x-consistency']).toBe('consistent');
    });

    it('filters: service-id, service-name, service-state, service-type, tag:<key> and tag-key', async () => {
      const a = await api.createAvailableService({
        networkLoadBalancerArns: [nlbAB],
        tags: [
          { key: 'team', value: 'red' },
          { key: 'cost', value: '1' },
        ],
      });
      const b = await api.createAvailableService({ networkLoadBalancerArns: [nlbBC], tags: [{ key: 'team', value: 'blue' }] });
      const g = await api.createAvailableService({ gatewayLoadBalancerArns: [gwlb], tags: [{ key: 'team', value: 'red' }] });
      const ids = async (query: string) =>
        ((await provider().get(`${CREATE}?${query}`).expect(200)).body.serviceConfigurations as Array<{ serviceId: string }>)
          .map((s) => s.serviceId)
          .sort();
      const mine = [a.serviceId, b.serviceId, g.serviceId];
      const only = async (query: string) => (await ids(query)).filter((id) => mine.includes(id));
      expect(await ids(`filter.service-id=${a.serviceId},${b.serviceId}`)).toEqual([a.serviceId, b.serviceId].sort());
      expect(await ids(`filter.service-name=${a.serviceName}`)).toEqual([a.serviceId]);
      expect(await only('filter.service-type=GatewayLoadBalancer')).toEqual([g.serviceId]);
      expect(await only('filter.service-state=Available')).toEqual(mine.sort());
      expect(await only('filter.service-state=Pending')).toEqual([]);
      expect(await ids('filter.tag:team=red')).toEqual([a.serviceId, g.serviceId].sort());
      expect(await ids('filter.tag:team=red,blue&filter.service-type=Interface')).toEqual([a.serviceId, b.serviceId].sort());
      expect(await ids('filter.tag-key=cost')).toEqual([a.serviceId]);
      expect(await ids('filter.tag:cost=2')).toEqual([]);
      const unknown = await provider().get(`${CREATE}?filter.colour=red`).expect(400);
      expect(unknown.body).toMatchObject({ code: 'InvalidParameterValue', field: 'filter.colour' });
    });

    it('pages are stable under concurrent writes: every service that existed throughout is listed exactly once', async () => {
      const lb = await api.registerLb();
      const tag = { key: 'paging', value: 'yes' };
      const existing: string[] = [];
      for (let i = 0; i < 12; i++)
        existing.push((await create({ networkLoadBalancerArns: [lb], tags: [tag] }).expect(201)).body.serviceConfiguration.serviceId);
      await eventually(async () => {
        const all = await provider().get(`${CREATE}?filter.tag:paging=yes&maxResults=100`).expect(200);
        expect(all.body.serviceConfigurations).toHaveLength(12);
      });
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await provider()
          .get(`${CREATE}?filter.tag:paging=yes&maxResults=5${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`)
          .expect(200);
        seen.push(...page.body.serviceConfigurations.map((s: { serviceId: string }) => s.serviceId));
        nextToken = page.body.nextToken;
        pages += 1;
        // Writes between pages: new services and changes to listed ones.
        await create({ networkLoadBalancerArns: [lb], tags: [tag] }).expect(201);
        await provider()
          .post(`${servicePath(existing[pages])}/tags`, { tags: [{ key: 'touched', value: String(pages) }] })
          .expect(200);
      } while (nextToken && pages < 20);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(existing));
    });

    it('a tampered, foreign or malformed nextToken is InvalidPaginationToken; maxResults outside 5–1000 is refused', async () => {
      const lb = await api.registerLb();
      for (let i = 0; i < 6; i++) await create({ networkLoadBalancerArns: [lb], tags: [{ key: 'tok', value: 'x' }] }).expect(201);
      let token: string | undefined;
      await eventually(async () => {
        token = (await provider().get(`${CREATE}?filter.tag-key=tok&maxResults=5`).expect(200)).body.nextToken;
        expect(token).toBeDefined();
      });
      const [body, signature] = token!.split('.');
      const forged = Buffer.from(
        JSON.stringify({ a: 'vpce-svc-00000000000000000', q: JSON.parse(Buffer.from(body, 'base64url').toString()).q }),
      ).toString('base64url');
      for (const bad of [`${forged}.${signature}`, 'garbage', `${body}.${signature}x`]) {
        const res = await provider()
          .get(`${CREATE}?filter.tag-key=tok&maxResults=5&nextToken=${encodeURIComponent(bad)}`)
          .expect(400);
        expect(res.body).toMatchObject({ code: 'InvalidPaginationToken', field: 'nextToken' });
      }
      const otherQuery = await provider()
        .get(`${CREATE}?maxResults=5&nextToken=${encodeURIComponent(token!)}`)
        .expect(400);
      expect(otherQuery.body.code).toBe('InvalidPaginationToken');
      const otherCaller = await api
        .as(demoKeys.otherProvider)
        .get(`${CREATE}?filter.tag-key=tok&maxResults=5&nextToken=${encodeURIComponent(token!)}`)
        .expect(400);
      expect(otherCaller.body.code).toBe('InvalidPaginationToken');
      expect((await provider().get(`${CREATE}?maxResults=4`).expect(400)).body.field).toBe('maxResults');
      expect((await provider().get(`${CREATE}?maxResults=abc`).expect(400)).body.field).toBe('maxResults');
    });
  });
});
