import { quotaGuardCommands as Q, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { quotaIncreaseRequestId, quotaLedgerId } from '@privatelink/domain';
import { QuotaWorld, eventually, hex17, ledgerOf, startQuotaWorld, svcId, vpcId, vpceId } from './support';

const OPS = 'arn:aws:iam::123456789012:role/operator';

/**
 * quota-guard on its own: the endpoint-services quota (reserved before a service is created, confirmed by
 * endpoint-api's event, released when the service is deleted or its creation never happened), the usage of
 * allowed principals, and the quota increase requests, with a configured default of 2 services.
 */
describe('quota-guard: services, principals and increase requests', () => {
  let world: QuotaWorld;
  let serial = 0;
  /** A provider account of each test's own. */
  const account = () => String(210000000000 + ++serial * 1_000 + Math.floor(Math.random() * 1_000));

  beforeAll(async () => {
    world = await startQuotaWorld('qg-services', { env: { PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '2', PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: '60000' } });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const reserveService = (serviceId: string, providerAccountId: string) => world.sender.send(Q.reserveServiceQuota, serviceId, { serviceId, providerAccountId }, `arn:aws:iam::${providerAccountId}:root`);
  const servicesLedger = (providerAccountId: string) => quotaLedgerId('endpoint-services-per-account', { providerAccountId });
  const serviceEvent = (serviceId: string, event: Record<string, unknown> & { type: string }) =>
    world.sender.append(streamIdFor(streamFamilies.endpointService, serviceId), [{ serviceId, ...event }]);

  it('services per account: the configured default holds; a refused reservation is LimitExceeded; deleting gives the place back', async () => {
    const provider = account();
    const [a, b, c] = [svcId(), svcId(), svcId()];
    expect((await reserveService(a, provider)).result).toMatchObject({ serviceId: a, granted: true, limit: 2, usage: 1 });
    expect((await reserveService(b, provider)).result).toMatchObject({ granted: true, usage: 2 });
    const refused = await reserveService(c, provider);
    expect(refused).toMatchObject({ ok: false, error: { code: 'LimitExceeded', details: { quotaCode: 'endpoint-services-per-account', limit: 2, usage: 2 } } });
    // Created (endpoint-api's event) → confirmed; deleted → released.
    await serviceEvent(a, { type: 'endpointServiceCreated', owner: provider });
    await eventually(async () => expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.holdings[a]).toMatchObject({ status: 'confirmed' }), 30_000);
    await serviceEvent(a, { type: 'endpointServiceDeleted', at: new Date().toISOString() });
    await eventually(async () => expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.usage).toBe(1), 30_000);
    expect((await reserveService(c, provider)).result).toMatchObject({ granted: true, usage: 2 });
  });

  it('a service whose creation never happened gives its place back: released by the edge, or expired', async () => {
    const provider = account();
    const [a, b] = [svcId(), svcId()];
    await reserveService(a, provider);
    await reserveService(b, provider);
    expect((await world.sender.send(Q.releaseServiceQuota, a, { serviceId: a, providerAccountId: provider })).result).toMatchObject({ serviceId: a, released: 1 });
    world.clock.advance(61_000);
    world.cores[0].scheduler.poke();
    await eventually(async () => expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!).toMatchObject({ usage: 0, holdings: {} }), 30_000);
  });

  it('allowed principals are counted from endpoint-api’s events, and given back with the service', async () => {
    const provider = account();
    const serviceId = svcId();
    const ledgerId = quotaLedgerId('allowed-principals-per-service', { serviceId, providerAccountId: provider });
    const allowed = (principals: string[]) => principals.map((principal) => ({ principal, principalType: 'Account', servicePermissionId: `vpce-svc-perm-${hex17()}` }));
    await serviceEvent(serviceId, { type: 'endpointServiceCreated', owner: provider });
    await serviceEvent(serviceId, { type: 'endpointServicePrincipalsAllowed', allowedPrincipals: allowed(['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root', '*']) });
    await serviceEvent(serviceId, { type: 'endpointServicePrincipalsRemoved', allowedPrincipals: allowed(['*']) });
    await eventually(async () => expect(await ledgerOf(world.cores[0], ledgerId)).toMatchObject({ usage: 2, scope: { serviceId, providerAccountId: provider } }), 30_000);
    await serviceEvent(serviceId, { type: 'endpointServiceDeleted', at: new Date().toISOString() });
    await eventually(async () => expect(await ledgerOf(world.cores[0], ledgerId)).toMatchObject({ usage: 0 }), 30_000);
  });

  describe('increase requests', () => {
    const consumer = { principal: 'arn:aws:iam::444455556666:root', accountId: '444455556666', role: 'consumer' as const };
    const submit = (payload: Record<string, unknown>) => {
      const requestId = quotaIncreaseRequestId(hex17());
      return world.sender.send(Q.submitQuotaIncreaseRequest, requestId, { requestId, requester: consumer, reason: 'more room', ...payload }, consumer.principal);
    };
    const approve = (requestId: string, value?: number) => world.sender.send(Q.approveQuotaIncreaseRequest, requestId, { requestId, value }, OPS);
    const deny = (requestId: string, reason: unknown) => world.sender.send(Q.denyQuotaIncreaseRequest, requestId, { requestId, reason }, OPS);

    it('submit → approve with another value: the limit applies at once (a reservation beyond the old limit is granted)', async () => {
      const provider = account();
      const providerRequester = { principal: `arn:aws:iam::${provider}:root`, accountId: provider, role: 'provider' as const };
      await reserveService(svcId(), provider);
      await reserveService(svcId(), provider);
      expect(await reserveService(svcId(), provider)).toMatchObject({ ok: false, error: { code: 'LimitExceeded' } });
      const submitted = await submit({ code: 'endpoint-services-per-account', scope: { providerAccountId: provider }, requester: providerRequester, desiredValue: 10 });
      expect(submitted.result!.request).toMatchObject({ status: 'pending', desiredValue: 10, limitAtRequest: 2, usageAtRequest: 2 });
      const requestId = (submitted.result!.request as { requestId: string }).requestId;
      const approved = await approve(requestId, 3);
      expect(approved.result).toMatchObject({ request: { status: 'approved', approvedValue: 3, decidedBy: OPS }, ledger: { limit: 3 } });
      expect((await reserveService(svcId(), provider)).result).toMatchObject({ granted: true, limit: 3, usage: 3 });
      expect(await reserveService(svcId(), provider)).toMatchObject({ ok: false, error: { code: 'LimitExceeded' } });
      // Approving twice: IncorrectState, and the limit stays.
      expect(await approve(requestId, 50)).toMatchObject({ ok: false, error: { code: 'IncorrectState', field: 'requestId' } });
      expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.limit).toBe(3);
    });

    it('a VPC’s limit: below the usage is refused naming the field; deny is final; each step is an event', async () => {
      const vpc = vpcId();
      const scope = { consumerAccountId: consumer.accountId, vpcId: vpc };
      for (let i = 0; i < 3; i++) {
        const vpcEndpointId = vpceId();
        await world.sender.send(Q.reserveConnectionQuota, vpcEndpointId, { vpcEndpointId, consumerAccountId: consumer.accountId, vpcId: vpc, serviceId: svcId(), serviceOwner: '111122223333' });
      }
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 2 })).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', field: 'desiredValue' } });
      const submitted = await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 60 });
      const requestId = (submitted.result!.request as { requestId: string }).requestId;
      expect(await approve(requestId, 2)).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', field: 'value' } });
      expect(await deny(requestId, '')).toMatchObject({ ok: false, error: { field: 'reason' } });
      expect((await deny(requestId, 'use a second VPC')).result).toMatchObject({ request: { status: 'denied', decisionReason: 'use a second VPC' } });
      expect(await approve(requestId)).toMatchObject({ ok: false, error: { code: 'IncorrectState' } });
      const events = await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaIncreaseRequest, requestId));
      expect(events.map((e) => e.type)).toEqual(['quotaIncreaseRequested', 'quotaIncreaseDenied']);
      // Nothing changed on the ledger.
      expect((await ledgerOf(world.cores[0], quotaLedgerId('vpc-endpoints-per-vpc', scope)))!.limit).toBeNull();
    });

    it('bad input: unknown codes, fixed quotas, negative or fractional values, an unknown request', async () => {
      const scope = { consumerAccountId: consumer.accountId, vpcId: vpcId() };
      expect(await submit({ code: 'no-such-quota', scope, desiredValue: 5 })).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', field: 'code' } });
      expect(await submit({ code: 'endpoint-policy-size', scope: {}, desiredValue: 30_000 })).toMatchObject({ ok: false, error: { field: 'code' } });
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: -5 })).toMatchObject({ ok: false, error: { field: 'desiredValue' } });
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 55.5 })).toMatchObject({ ok: false, error: { field: 'desiredValue' } });
      const unknown = quotaIncreaseRequestId(hex17());
      expect(await approve(unknown)).toMatchObject({ ok: false, error: { code: 'InvalidQuotaIncreaseRequestId.NotFound' } });
      expect(await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaIncreaseRequest, unknown))).toEqual([]);
    });
  });
});
