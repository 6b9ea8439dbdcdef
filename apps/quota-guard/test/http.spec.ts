import { CONSUMER_ROOT, OTHER_CONSUMER_ROOT, ZONES, callersOf, demoKeys, eventually, servicePath } from '../../endpoint-api/test/support';
import { Stack, startStack } from './stack';

const PROVIDER_ACCOUNT = '111122223333';
const CONSUMER_ACCOUNT = '444455556666';

/**
 * Quotas through the HTTP API: endpoint-api and quota-guard as separate applications on the real Postgres
 * and Kafka. Defaults for this file: 3 endpoint services per provider account, 2 allowed principals per
 * service, so the limits are reached quickly.
 */
describe('quotas over HTTP (endpoint-api + quota-guard)', () => {
  let stack: Stack;
  const { provider, consumer, ops } = callersOf(() => stack.api);
  const quotasOf = async (as: ReturnType<typeof provider>) =>
    (await as.get('/v1/quotas').expect(200)).body.quotas as Array<Record<string, any>>;
  const createBody = async () => ({ networkLoadBalancerArns: [await stack.api.registerLb({ zones: [ZONES.a, ZONES.b] })] });
  /** Services created in the first test and still alive, for the later ones. */
  const services: string[] = [];

  beforeAll(async () => {
    stack = await startStack('qg-http', {
      env: { PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '3', PRIVATELINK_QUOTA_ALLOWED_PRINCIPALS_PER_SERVICE: '2' },
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('endpoint services per account: 6 concurrent creates against 3 → exactly 3; an approved increase applies at once; a deletion frees a place', async () => {
    const bodies = await Promise.all(Array.from({ length: 6 }, () => createBody()));
    const answers = await Promise.all(bodies.map((body) => provider().post('/v1/provider/endpoint-services', body)));
    const created = answers.filter((r) => r.status === 201).map((r) => r.body.serviceConfiguration.serviceId as string);
    const refused = answers.filter((r) => r.status !== 201);
    expect(created).toHaveLength(3);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([400, 'LimitExceeded']));
    expect(refused[0].body.details).toMatchObject({ quotaCode: 'endpoint-services-per-account', limit: 3, usage: 3 });
    services.push(...created);
    // quota-guard counts them from endpoint-api's events; the provider sees its quota.
    await eventually(async () => {
      expect((await quotasOf(provider())).find((q) => q.quotaCode === 'endpoint-services-per-account')).toMatchObject({
        scope: { providerAccountId: PROVIDER_ACCOUNT },
        limit: 3,
        usage: 3,
        adjustable: true,
      });
    }, 30_000);
    // At 100 % of its limit, the account is on ops' near-limit list.
    await eventually(async () => {
      const near = (await ops().get('/v1/ops/quotas').expect(200)).body.quotas as Array<Record<string, any>>;
      expect(near).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            quotaCode: 'endpoint-services-per-account',
            scope: { providerAccountId: PROVIDER_ACCOUNT },
            usage: 3,
            limit: 3,
          }),
        ]),
      );
    }, 30_000);

    // The increase request: submitted by the provider, listed for ops, approved with another value.
    const submitted = await provider()
      .post('/v1/quotas/endpoint-services-per-account/increase-requests', { desiredValue: 10, reason: 'a service per region' })
      .expect(201);
    const request = submitted.body.quotaIncreaseRequest;
    expect(request).toMatchObject({
      quotaCode: 'endpoint-services-per-account',
      status: 'pending',
      desiredValue: 10,
      limitAtRequest: 3,
      usageAtRequest: 3,
      requester: `arn:aws:iam::${PROVIDER_ACCOUNT}:root`,
    });
    const pending = await ops()
      .get('/v1/ops/quota-increase-requests?status=pending')
      .set('x-consistency-token', submitted.headers['x-consistency-token'])
      .expect(200);
    expect(pending.body.quotaIncreaseRequests.map((r: { requestId: string }) => r.requestId)).toContain(request.requestId);
    await consumer().post(`/v1/ops/quota-increase-requests/${request.requestId}:approve`, {}).expect(403);
    const approved = await ops().post(`/v1/ops/quota-increase-requests/${request.requestId}:approve`, { value: 4 }).expect(200);
    expect(approved.body.quotaIncreaseRequest).toMatchObject({
      status: 'approved',
      approvedValue: 4,
      decidedBy: 'arn:aws:iam::123456789012:role/operator',
    });
    // Applies at once: the next create is allowed, the one after refused.
    const fourth = await provider()
      .post('/v1/provider/endpoint-services', await createBody())
      .expect(201);
    services.push(fourth.body.serviceConfiguration.serviceId);
    await provider()
      .post('/v1/provider/endpoint-services', await createBody())
      .expect(400);
    // Approving twice is a 409 and changes nothing.
    const twice = await ops().post(`/v1/ops/quota-increase-requests/${request.requestId}:approve`, { value: 40 }).expect(409);
    expect(twice.body).toMatchObject({ code: 'IncorrectState', field: 'requestId' });
    // The provider sees what became of its request.
    const mine = await provider()
      .get('/v1/quotas/increase-requests')
      .set('x-consistency-token', approved.headers['x-consistency-token'])
      .expect(200);
    expect(mine.body.quotaIncreaseRequests).toEqual([
      expect.objectContaining({ requestId: request.requestId, status: 'approved', approvedValue: 4 }),
    ]);

    // Deleting services gives their places back (the deletion completes through Kafka).
    for (const serviceId of services.splice(2)) {
      await stack.api.waitForState(serviceId, 'Available');
      await provider().del(servicePath(serviceId)).expect(200);
    }
    await eventually(async () => {
      expect((await provider().post('/v1/provider/endpoint-services', await createBody())).status).toBe(201);
    }, 30_000);
    await eventually(async () => {
      expect((await quotasOf(provider())).find((q) => q.quotaCode === 'endpoint-services-per-account')).toMatchObject({
        limit: 4,
        usage: 3,
      });
    }, 30_000);
  });

  it('allowed principals per service: enforced on the service’s stream with the limit quota-guard’s ledger sets; an increase applies at once', async () => {
    const serviceId = services[0];
    await stack.api.waitForState(serviceId, 'Available');
    const permissions = `${servicePath(serviceId)}/permissions`;
    await provider()
      .post(permissions, { addAllowedPrincipals: [CONSUMER_ROOT, OTHER_CONSUMER_ROOT] })
      .expect(200);
    const third = await provider()
      .post(permissions, { addAllowedPrincipals: ['arn:aws:iam::555566667777:root'] })
      .expect(400);
    expect(third.body).toMatchObject({ code: 'LimitExceeded', field: 'addAllowedPrincipals', details: { limit: 2, usage: 2 } });
    // Principals already allowed do not count twice.
    await provider()
      .post(permissions, { addAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    await eventually(async () => {
      expect(
        (await quotasOf(provider())).find((q) => q.quotaCode === 'allowed-principals-per-service' && q.scope.serviceId === serviceId),
      ).toMatchObject({ limit: 2, usage: 2 });
    }, 30_000);

    // Not below the usage: a request for 1 is refused naming the field; ops cannot approve below it either.
    const low = await provider()
      .post('/v1/quotas/allowed-principals-per-service/increase-requests', { scope: { serviceId }, desiredValue: 1, reason: 'fewer' })
      .expect(400);
    expect(low.body).toMatchObject({ code: 'InvalidParameterValue', field: 'desiredValue' });
    const submitted = await provider()
      .post('/v1/quotas/allowed-principals-per-service/increase-requests', { scope: { serviceId }, desiredValue: 5, reason: 'partners' })
      .expect(201);
    const requestId = submitted.body.quotaIncreaseRequest.requestId;
    const below = await ops().post(`/v1/ops/quota-increase-requests/${requestId}:approve`, { value: 1 }).expect(400);
    expect(below.body).toMatchObject({ code: 'InvalidParameterValue', field: 'value' });
    await ops().post(`/v1/ops/quota-increase-requests/${requestId}:approve`).expect(200);
    await provider()
      .post(permissions, { addAllowedPrincipals: ['arn:aws:iam::555566667777:root'] })
      .expect(200);
    // Another provider’s service is not the caller’s to ask about.
    await stack.api
      .as(demoKeys.otherProvider)
      .post('/v1/quotas/allowed-principals-per-service/increase-requests', { scope: { serviceId }, desiredValue: 5, reason: 'x' })
      .expect(404);
  });

  it('the provider’s per-consumer connection limits: only for allowed principals, a non-negative whole number or null', async () => {
    const serviceId = services[0];
    const limits = `${servicePath(serviceId)}/connection-limits`;
    const set = await provider().put(limits, { principal: CONSUMER_ROOT, limit: 3 }).expect(200);
    expect(set.body.connectionLimit).toEqual({
      serviceId,
      consumerAccountId: CONSUMER_ACCOUNT,
      principal: CONSUMER_ROOT,
      limit: 3,
      effectiveLimit: 3,
      usage: 0,
    });
    const listed = await provider().get(limits).expect(200);
    expect(listed.body.connectionLimits).toEqual([
      { serviceId, consumerAccountId: CONSUMER_ACCOUNT, limit: 3, effectiveLimit: 3, usage: 0 },
    ]);
    expect((await provider().put(limits, { principal: 'arn:aws:iam::123412341234:root', limit: 3 }).expect(400)).body).toMatchObject({
      field: 'principal',
    });
    expect((await provider().put(limits, { principal: CONSUMER_ROOT, limit: -1 }).expect(400)).body).toMatchObject({ field: 'limit' });
    expect((await provider().put(limits, { principal: CONSUMER_ROOT, limit: 2.5 }).expect(400)).body).toMatchObject({ field: 'limit' });
    await stack.api.as(demoKeys.otherProvider).put(limits, { principal: CONSUMER_ROOT, limit: 3 }).expect(404);
    await consumer().put(limits, { principal: CONSUMER_ROOT, limit: 3 }).expect(403);
    const removed = await provider().put(limits, { principal: CONSUMER_ROOT, limit: null }).expect(200);
    expect(removed.body.connectionLimit).toMatchObject({ limit: null, effectiveLimit: null });
  });

  it('a consumer’s quotas and increase requests: the defaults, a VPC’s request denied, and bad input with the field named', async () => {
    const quotas = await quotasOf(consumer());
    expect(quotas.slice(0, 3)).toEqual([
      expect.objectContaining({ quotaCode: 'vpc-endpoints-per-vpc', scope: {}, limit: 50, usage: null, adjustable: true }),
      expect.objectContaining({ quotaCode: 'gwlb-endpoints-per-zone-per-service-per-vpc', scope: {}, limit: 1, adjustable: false }),
      expect.objectContaining({ quotaCode: 'endpoint-policy-size', scope: {}, limit: 20_480, adjustable: false }),
    ]);
    const ask = (code: string, body: Record<string, unknown>) => consumer().post(`/v1/quotas/${code}/increase-requests`, body);
    const submitted = await ask('vpc-endpoints-per-vpc', {
      scope: { vpcId: 'vpc-1a2b3c4d' },
      desiredValue: 80,
      reason: 'shared services VPC',
    }).expect(201);
    const { requestId } = submitted.body.quotaIncreaseRequest;
    expect(submitted.body.quotaIncreaseRequest).toMatchObject({
      scope: { consumerAccountId: CONSUMER_ACCOUNT, vpcId: 'vpc-1a2b3c4d' },
      limitAtRequest: 50,
      usageAtRequest: 0,
    });
    const badDeny = await ops().post(`/v1/ops/quota-increase-requests/${requestId}:deny`, {}).expect(400);
    expect(badDeny.body).toMatchObject({ field: 'reason' });
    await ops().post(`/v1/ops/quota-increase-requests/${requestId}:deny`, { reason: 'use two VPCs' }).expect(200);
    await ops().post(`/v1/ops/quota-increase-requests/${requestId}:approve`).expect(409);
    await ops().post('/v1/ops/quota-increase-requests/qir-00000000000000000:approve').expect(404);
    await ops().post('/v1/ops/quota-increase-requests/nonsense:approve').expect(400);

    const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
      ['no-such-quota', { desiredValue: 5, reason: 'r' }, 400, 'code'],
      ['gwlb-endpoints-per-zone-per-service-per-vpc', { desiredValue: 5, reason: 'r' }, 400, 'code'],
      ['endpoint-policy-size', { desiredValue: 40_000, reason: 'r' }, 400, 'code'],
      ['vpc-endpoints-per-vpc', { scope: { vpcId: 'vpc-1a2b3c4d' }, desiredValue: -1, reason: 'r' }, 400, 'desiredValue'],
      ['vpc-endpoints-per-vpc', { scope: { vpcId: 'vpc-1a2b3c4d' }, desiredValue: 60.5, reason: 'r' }, 400, 'desiredValue'],
      ['vpc-endpoints-per-vpc', { scope: { vpcId: 'vpc-1a2b3c4d' }, desiredValue: 'sixty', reason: 'r' }, 400, 'desiredValue'],
      ['vpc-endpoints-per-vpc', { desiredValue: 60, reason: 'r' }, 400, 'scope.vpcId', 'MissingParameter'],
      ['vpc-endpoints-per-vpc', { scope: { vpcId: 'vpc-1a2b3c4d' }, desiredValue: 60, reason: '' }, 400, 'reason', 'MissingParameter'],
      ['endpoint-services-per-account', { desiredValue: 60, reason: 'r' }, 403, 'code', 'UnauthorizedOperation'],
      [
        'connections-per-consumer-per-service',
        { scope: { serviceId: 'vpce-svc-00000000000000000' }, desiredValue: 6, reason: 'r' },
        404,
        'serviceId',
      ],
    ];
    for (const [code, body, status, field, errorCode] of cases) {
      const res = await ask(code, body);
      expect([code, res.status, res.body.field]).toEqual([code, status, field]);
      if (errorCode) expect(res.body.code).toBe(errorCode);
    }
    // Nothing of the refused ones was recorded: the consumer's list has only the denied request.
    const mine = await consumer().get('/v1/quotas/increase-requests').expect(200);
    expect(mine.body.quotaIncreaseRequests).toEqual([
      expect.objectContaining({ requestId, status: 'denied', decisionReason: 'use two VPCs' }),
    ]);
    await ops().post('/v1/quotas/vpc-endpoints-per-vpc/increase-requests', { desiredValue: 5, reason: 'r' }).expect(403);
  });

  it('every quota route is in the API document', async () => {
    const doc = (await stack.api.as(demoKeys.consumer).get('/openapi.json').expect(200)).body;
    for (const path of [
      '/v1/quotas',
      '/v1/quotas/{code}/increase-requests',
      '/v1/quotas/increase-requests',
      '/v1/ops/quotas',
      '/v1/ops/quota-increase-requests',
      '/v1/ops/quota-increase-requests/{requestId}:approve',
      '/v1/ops/quota-increase-requests/{requestId}:deny',
      '/v1/provider/endpoint-services/{serviceId}/connection-limits',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
  });
});
