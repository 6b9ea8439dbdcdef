import { streamFamilies, streamIdFor } from '@privatelink/contracts';
import {
  Stack,
  configurationBecomes,
  callersOf,
  demoKeys,
  eventually,
  recordShown,
  registerLb,
  serviceWithName,
  servicePath,
  startStack,
  verifyPath,
} from './support';

/**
 * Private DNS name verification end to end: endpoint-api (HTTP, its read models) and dns-verifier (the
 * verification streams, the resolver, the schedule) as two applications on real Postgres and Kafka, checking
 * records that each test puts on the real Knot DNS server.
 */
describe('private DNS name verification against a real DNS server', () => {
  let stack: Stack;
  const { provider } = callersOf(() => stack);
  const verify = (serviceId: string) => provider().post(verifyPath(serviceId));

  beforeAll(async () => {
    stack = await startStack('dnsv-verify');
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  describe('the verification record', () => {
    it('a name set at create gets `_<label>.<domain>` = `vpce:<token>`, pendingVerification', async () => {
      const { record } = await serviceWithName(stack, `api.${stack.zone}`);
      expect(record).toMatchObject({ state: 'pendingVerification', type: 'TXT' });
      expect(record.name).toMatch(new RegExp(`^_[a-z0-9]{12}\\.api\\.${stack.zone.replace(/\./g, '\\.')}$`));
      expect(record.value).toMatch(/^vpce:[A-Za-z0-9]{22}$/);
    });

    it('a changed name gets a fresh record; a removed name removes its verification', async () => {
      const { serviceId, record } = await serviceWithName(stack, `old.${stack.zone}`);
      await provider()
        .patch(servicePath(serviceId), { privateDnsName: `new.${stack.zone}` })
        .expect(200);
      const fresh = await recordShown(stack, serviceId, record.name);
      expect(fresh.name).toMatch(new RegExp(`\\.new\\.${stack.zone.replace(/\./g, '\\.')}$`));
      expect(fresh.value).not.toBe(record.value);
      await provider().patch(servicePath(serviceId), { removePrivateDnsName: true }).expect(200);
      await eventually(async () => {
        const res = await stack.as(demoKeys.ops).get(`/v1/ops/dns-verifications?filter.service-id=${serviceId}`).expect(200);
        expect(res.body.dnsVerifications).toEqual([]);
      });
      const view = await provider().get(servicePath(serviceId)).expect(200);
      expect(view.body.serviceConfiguration.privateDnsNameConfiguration).toBeUndefined();
      const events = await stack.core.runtime.store.readStream(streamIdFor(streamFamilies.privateDnsVerification, serviceId));
      expect(events.map((e) => e.type)).toEqual([
        'privateDnsVerificationStarted',
        'privateDnsVerificationStarted',
        'privateDnsVerificationRemoved',
      ]);
    });
  });

  describe('manual verification (StartVpcEndpointServicePrivateDnsVerification)', () => {
    it('record published → verified; the service, the consumer view and the ops list show it', async () => {
      const { serviceId, record } = await serviceWithName(stack, `shop.${stack.zone}`);
      await stack.dns.setTxt(record.name!, [record.value!]);
      const res = await verify(serviceId).expect(200);
      expect(res.body).toMatchObject({
        serviceId,
        privateDnsName: `shop.${stack.zone}`,
        checked: true,
        privateDnsNameConfiguration: { state: 'verified', type: 'TXT', name: record.name, value: record.value },
      });
      expect(res.body.privateDnsNameConfiguration.reasonCode).toBeUndefined();
      // read-your-writes: the service view has it right after the answer
      const view = await provider().get(servicePath(serviceId)).expect(200);
      expect(view.body.serviceConfiguration.privateDnsNameConfiguration).toMatchObject({
        state: 'verified',
        lastCheckedAt: expect.any(String),
        nextCheckAt: expect.any(String),
      });
      // the daily re-check is due within 24 hours of the check
      const { lastCheckedAt, nextCheckAt } = view.body.serviceConfiguration.privateDnsNameConfiguration;
      expect(Date.parse(nextCheckAt) - Date.parse(lastCheckedAt)).toBeLessThanOrEqual(24 * 3_600_000);
      // the consumer sees the state once the service is Available and allows it
      await provider()
        .post(`${servicePath(serviceId)}/permissions`, { addAllowedPrincipals: ['arn:aws:iam::444455556666:root'] })
        .expect(200);
      await eventually(async () => {
        const seen = await stack.as(demoKeys.consumer).get(`/v1/consumer/endpoint-services?filter.service-id=${serviceId}`).expect(200);
        expect(seen.body.serviceDetails).toEqual([
          expect.objectContaining({ serviceId, privateDnsName: `shop.${stack.zone}`, privateDnsNameVerificationState: 'verified' }),
        ]);
      });
      const ops = await stack.as(demoKeys.ops).get(`/v1/ops/dns-verifications?filter.service-id=${serviceId}`).expect(200);
      expect(ops.body.dnsVerifications).toEqual([
        expect.objectContaining({ serviceId, state: 'verified', recordName: record.name, lastCheckedAt, nextCheckAt, reasonCode: null }),
      ]);
    });

    it('no record → failed, with the reason', async () => {
      const { serviceId, record } = await serviceWithName(stack, `missing.${stack.zone}`);
      await stack.dns.setRecords(`missing.${stack.zone}`, 'A', ['192.0.2.10']); // the name exists, its TXT record does not
      const res = await verify(serviceId).expect(200);
      expect(res.body.privateDnsNameConfiguration).toMatchObject({ state: 'failed', reasonCode: 'RecordNotFound' });
      expect(res.body.privateDnsNameConfiguration.reason).toContain(record.name);
      expect(res.body.privateDnsNameConfiguration.nextCheckAt).toBeUndefined();
    });

    it('a wildcard name is verified on its domain', async () => {
      const { serviceId, record } = await serviceWithName(stack, `*.wild.${stack.zone}`);
      expect(record.name).toMatch(new RegExp(`^_[a-z0-9]+\\.wild\\.${stack.zone.replace(/\./g, '\\.')}$`));
      await stack.dns.setTxt(record.name!, [record.value!]);
      expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration).toMatchObject({ state: 'verified' });
    });

    it('a record at the domain itself (no underscore label) is accepted, and noted', async () => {
      const domain = `apex.${stack.zone}`;
      const { serviceId, record } = await serviceWithName(stack, domain);
      await stack.dns.setTxt(domain, ['v=spf1 -all', record.value!]);
      const res = await verify(serviceId).expect(200);
      expect(res.body.privateDnsNameConfiguration).toMatchObject({ state: 'verified', reasonCode: 'RecordAtDomain' });
      expect(res.body.privateDnsNameConfiguration.reason).toMatch(/underscores/);
    });

    it('a parent domain’s record covers a subdomain; a new sibling needs its own record', async () => {
      const parent = `corp.${stack.zone}`;
      const { serviceId, record } = await serviceWithName(stack, `a.${parent}`);
      const label = record.name!.split('.')[0];
      await stack.dns.setTxt(`${label}.${parent}`, [record.value!]);
      const res = await verify(serviceId).expect(200);
      expect(res.body.privateDnsNameConfiguration).toMatchObject({ state: 'verified', reasonCode: 'RecordAtParentDomain' });
      // b.<parent> on another service: another record, and the first one's does not verify it
      const sibling = await serviceWithName(stack, `b.${parent}`);
      await stack.dns.setRecords(`b.${parent}`, 'A', ['192.0.2.11']);
      expect((await verify(sibling.serviceId).expect(200)).body.privateDnsNameConfiguration).toMatchObject({
        state: 'failed',
        reasonCode: 'RecordNotFound',
      });
    });

    it('calls repeated while a check runs share it: one DNS check for three calls', async () => {
      const { serviceId, record } = await serviceWithName(stack, `busy.${stack.zone}`);
      await stack.dns.setTxt(record.name!, [record.value!]);
      const before = stack.core.checker.runs;
      const answers = await Promise.all([verify(serviceId), verify(serviceId), verify(serviceId)]);
      for (const a of answers) expect(a.status).toBe(200);
      expect(new Set(answers.map((a) => JSON.stringify(a.body)))).toEqual(new Set([JSON.stringify(answers[0].body)]));
      expect(answers[0].body.privateDnsNameConfiguration.state).toBe('verified');
      expect(stack.core.checker.runs - before).toBe(1);
    });
  });

  describe('diagnostics of the guide’s common problems', () => {
    it('a value the DNS provider lower-cased → failed, ValueCaseMismatch', async () => {
      const { serviceId, record } = await serviceWithName(stack, `lower.${stack.zone}`);
      await stack.dns.setTxt(record.name!, [record.value!.toLowerCase()]);
      expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration).toMatchObject({
        state: 'failed',
        reasonCode: 'ValueCaseMismatch',
      });
    });

    it('the domain appended twice (`_x.example.com.example.com`) → failed, DomainAppendedTwice', async () => {
      const domain = `twice.${stack.zone}`;
      const { serviceId, record } = await serviceWithName(stack, domain);
      await stack.dns.setTxt(`${record.name}.${domain}`, [record.value!]);
      const config = (await verify(serviceId).expect(200)).body.privateDnsNameConfiguration;
      expect(config).toMatchObject({ state: 'failed', reasonCode: 'DomainAppendedTwice' });
      expect(config.reason).toMatch(/trailing period/);
    });

    it('a domain that does not exist (NXDOMAIN) → failed, DomainNotFound', async () => {
      const { serviceId } = await serviceWithName(stack, `nowhere.${stack.zone}`);
      expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration).toMatchObject({
        state: 'failed',
        reasonCode: 'DomainNotFound',
      });
    });

    it('name servers that do not answer → pendingVerification, NameServersUnreachable (never failed)', async () => {
      // down.<zone> is delegated to ns-down.<zone> at 127.0.0.2, where nothing listens
      const sub = `down.${stack.zone}`;
      await stack.dns.setRecords(`ns-down.${stack.zone}`, 'A', ['127.0.0.2']);
      await stack.dns.setNs(sub, [`ns-down.${stack.zone}`]);
      const { serviceId } = await serviceWithName(stack, `api.${sub}`);
      const config = (await verify(serviceId).expect(200)).body.privateDnsNameConfiguration;
      expect(config).toMatchObject({ state: 'pendingVerification', reasonCode: 'NameServersUnreachable', nextCheckAt: expect.any(String) });
      expect(config.reason).toMatch(/127\.0\.0\.2/);
    });
  });

  describe('bad input, refused at the edge with the field named', () => {
    const cases: Array<[string, string]> = [
      ['upper case', `Api.${'example.com'}`],
      ['a label over 63 characters', `${'a'.repeat(64)}.example.com`],
      ['a name over 255 characters', [63, 63, 63, 61].map((n, i) => String.fromCharCode(97 + i).repeat(n)).join('.') + '.ee'],
      ['an empty label', 'api..example.com'],
      ['a wildcard not in the first label', 'api.*.example.com'],
    ];
    it.each(cases)('%s', async (_what, privateDnsName) => {
      const lb = await registerLb(stack);
      const res = await provider()
        .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb], privateDnsName })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterValue' });
      expect(res.body.message).toMatch(/privateDnsName/);
    });

    it('a Gateway Load Balancer service cannot have a private DNS name, and cannot be verified', async () => {
      const gwlb = await registerLb(stack, 'gwy');
      const refused = await provider()
        .post('/v1/provider/endpoint-services', { gatewayLoadBalancerArns: [gwlb], privateDnsName: `gw.${stack.zone}` })
        .expect(400);
      expect(refused.body.message).toMatch(/privateDnsName/);
      const created = await provider()
        .post('/v1/provider/endpoint-services', { gatewayLoadBalancerArns: [gwlb] })
        .expect(201);
      const res = await verify(created.body.serviceConfiguration.serviceId).expect(409);
      expect(res.body).toMatchObject({ code: 'IncorrectState' });
    });

    it('verify on a service without a private DNS name → IncorrectState', async () => {
      const lb = await registerLb(stack);
      const created = await provider()
        .post('/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb] })
        .expect(201);
      const res = await verify(created.body.serviceConfiguration.serviceId).expect(409);
      expect(res.body).toMatchObject({ code: 'IncorrectState' });
      expect(res.body.message).toMatch(/no private DNS name/);
    });

    it('verify on another account’s service → NotFound; as a consumer → UnauthorizedOperation', async () => {
      const { serviceId } = await serviceWithName(stack, `mine.${stack.zone}`);
      await stack.as(demoKeys.otherProvider).post(verifyPath(serviceId)).expect(404);
      await stack.as(demoKeys.consumer).post(verifyPath(serviceId)).expect(403);
    });
  });

  it('the ops list pages through every verification and filters by state', async () => {
    const ops = stack.as(demoKeys.ops);
    const all = (await ops.get('/v1/ops/dns-verifications?maxResults=1000').expect(200)).body.dnsVerifications as Array<{
      serviceId: string;
      state: string;
    }>;
    expect(all.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const res = await ops
        .get(`/v1/ops/dns-verifications?maxResults=5${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`)
        .expect(200);
      expect(res.body.dnsVerifications.length).toBeLessThanOrEqual(5);
      paged.push(...res.body.dnsVerifications.map((v: { serviceId: string }) => v.serviceId));
      token = res.body.nextToken;
    } while (token);
    expect(paged).toEqual(all.map((v) => v.serviceId));
    const failed = (await ops.get('/v1/ops/dns-verifications?filter.state=failed').expect(200)).body.dnsVerifications as Array<{
      state: string;
    }>;
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((v) => v.state === 'failed')).toBe(true);
    await ops.get('/v1/ops/dns-verifications?filter.colour=blue').expect(400);
    await provider().get('/v1/ops/dns-verifications').expect(403);
  });

  it('every event of the family carries the contract’s facts', async () => {
    const { serviceId, record } = await serviceWithName(stack, `facts.${stack.zone}`);
    await stack.dns.setRecords(`facts.${stack.zone}`, 'A', ['192.0.2.12']);
    await verify(serviceId).expect(200);
    await stack.dns.setTxt(record.name!, [record.value!]);
    await verify(serviceId).expect(200);
    await configurationBecomes(stack, serviceId, { state: 'verified' });
    const events = await stack.core.runtime.store.readStream(streamIdFor(streamFamilies.privateDnsVerification, serviceId));
    expect(events.map((e) => e.type)).toEqual([
      'privateDnsVerificationStarted',
      'privateDnsNameVerificationFailed',
      'privateDnsNameVerified',
    ]);
    for (const e of events) {
      expect(e.payload).toMatchObject({
        serviceId,
        privateDnsName: `facts.${stack.zone}`,
        state: expect.stringMatching(/^(pendingVerification|verified|failed|removed)$/),
        recordName: record.name,
        recordValue: record.value,
      });
    }
    expect(events[1].payload).toMatchObject({ reasonCode: 'RecordNotFound', checkedAt: expect.any(String) });
  });
});
