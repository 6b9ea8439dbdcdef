import { quotaGuardCommands as Q, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { quotaIncreaseRequestId, quotaLedgerId } from '@privatelink/domain';
import { QuotaWorld, eventually, hex17, ledgerOf, startQuotaWorld, svcId, vpcId, vpceId } from './support';

const OPS = 'arn:aws:iam::123456789012:role/operator';

/**
 * quota-guard on its own: the usage of endpoint services per account and of allowed principals per service
 * (counted from endpoint-api's events; endpoint-api enforces those limits), and the quota increase
 * requests, with a configured default of 2 services per account.
 */
describe('quota-guard: services, principals and increase requests', () => {
  let world: QuotaWorld;
  let serial = 0;
  /** A provider account of each test's own. */
  const account = () => String(210000000000 + ++serial * 1_000 + Math.floor(Math.random() * 1_000));

  beforeAll(async () => {
    world = await startQuotaWorld('qg-services', { env: { PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '2' } });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const servicesLedger = (providerAccountId: string) => quotaLedgerId('endpoint-services-per-account', { providerAccountId });
  const serviceEvent = (serviceId: string, event: Record<string, unknown> & { type: string }) =>
    world.sender.append(streamIdFor(streamFamilies.endpointService, serviceId), [{ serviceId, ...event }]);
  /** Services of an account, as endpoint-api (which enforces the limit when it creates them) reports them. */
  const createServices = async (provider: string, n: number) => {
    const ids = Array.from({ length: n }, () => svcId());
    for (const id of ids) await serviceEvent(id, { type: 'endpointServiceCreated', owner: provider });
    await eventually(async () => expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.usage).toBe(n), 30_000);
    return ids;
  };

  it('services per account are counted from endpoint-api’s events: created counts, deleted gives the place back, a redelivery counts once', async () => {
    const provider = account();
    const [a, b] = await createServices(provider, 2);
    await serviceEvent(a, { type: 'endpointServiceDeleted', at: new Date().toISOString() });
    await eventually(
      async () =>
        expect(await ledgerOf(world.cores[0], servicesLedger(provider))).toMatchObject({
          usage: 1,
          holdings: { [b]: { status: 'confirmed' } },
        }),
      30_000,
    );
    const events = await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaLedger, servicesLedger(provider)));
    expect(events.map((e) => e.type)).toEqual(['quotaUsageRecorded', 'quotaUsageRecorded', 'quotaReleased']);
  });

  it('allowed principals are counted from endpoint-api’s events, and given back with the service', async () => {
    const provider = account();
    const serviceId = svcId();
    const ledgerId = quotaLedgerId('allowed-principals-per-service', { serviceId, providerAccountId: provider });
    const allowed = (principals: string[]) =>
      principals.map((principal) => ({ principal, principalType: 'Account', servicePermissionId: `vpce-svc-perm-${hex17()}` }));
    await serviceEvent(serviceId, { type: 'endpointServiceCreated', owner: provider });
    await serviceEvent(serviceId, {
      type: 'endpointServicePrincipalsAllowed',
      allowedPrincipals: allowed(['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root', '*']),
    });
    await serviceEvent(serviceId, { type: 'endpointServicePrincipalsRemoved', allowedPrincipals: allowed(['*']) });
    await eventually(
      async () =>
        expect(await ledgerOf(world.cores[0], ledgerId)).toMatchObject({ usage: 2, scope: { serviceId, providerAccountId: provider } }),
      30_000,
    );
    await serviceEvent(serviceId, { type: 'endpointServiceDeleted', at: new Date().toISOString() });
    await eventually(async () => expect(await ledgerOf(world.cores[0], ledgerId)).toMatchObject({ usage: 0 }), 30_000);
  });

  describe('increase requests', () => {
    const consumer = { principal: 'arn:aws:iam::444455556666:root', accountId: '444455556666', role: 'consumer' as const };
    const submit = (payload: Record<string, unknown>) => {
      const requestId = quotaIncreaseRequestId(hex17());
      return world.sender.send(
        Q.submitQuotaIncreaseRequest,
        requestId,
        { requestId, requester: consumer, reason: 'more room', ...payload },
        consumer.principal,
      );
    };
    const approve = (requestId: string, value?: number) =>
      world.sender.send(Q.approveQuotaIncreaseRequest, requestId, { requestId, value }, OPS);
    const deny = (requestId: string, reason: unknown) =>
      world.sender.send(Q.denyQuotaIncreaseRequest, requestId, { requestId, reason }, OPS);

    it('submit → approve with another value: the ledger’s limit changes in the same transaction; approving twice is IncorrectState', async () => {
      const provider = account();
      const providerRequester = { principal: `arn:aws:iam::${provider}:root`, accountId: provider, role: 'provider' as const };
      await createServices(provider, 2);
      const submitted = await submit({
        code: 'endpoint-services-per-account',
        scope: { providerAccountId: provider },
        requester: providerRequester,
        desiredValue: 10,
      });
      expect(submitted.result!.request).toMatchObject({ status: 'pending', desiredValue: 10, limitAtRequest: 2, usageAtRequest: 2 });
      const requestId = (submitted.result!.request as { requestId: string }).requestId;
      const approved = await approve(requestId, 3);
      expect(approved.result).toMatchObject({
        request: { status: 'approved', approvedValue: 3, decidedBy: OPS },
        ledger: { limit: 3, usage: 2 },
      });
      expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.limit).toBe(3);
      expect(await approve(requestId, 50)).toMatchObject({ ok: false, error: { code: 'IncorrectState', field: 'requestId' } });
      expect((await ledgerOf(world.cores[0], servicesLedger(provider)))!.limit).toBe(3);
      // A request below the usage is refused (2 services in use).
      expect(
        await submit({
          code: 'endpoint-services-per-account',
          scope: { providerAccountId: provider },
          requester: providerRequester,
          desiredValue: 1,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'InvalidParameterValue', field: 'desiredValue' },
      });
    });

    it('a VPC’s limit: below the usage is refused naming the field; deny is final; each step is an event', async () => {
      const vpc = vpcId();
      const scope = { consumerAccountId: consumer.accountId, vpcId: vpc };
      for (let i = 0; i < 3; i++) {
        const vpcEndpointId = vpceId();
        await world.sender.send(Q.reserveConnectionQuota, vpcEndpointId, {
          vpcEndpointId,
          consumerAccountId: consumer.accountId,
          vpcId: vpc,
          serviceId: svcId(),
          serviceOwner: '111122223333',
        });
      }
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 2 })).toMatchObject({
        ok: false,
        error: { code: 'InvalidParameterValue', field: 'desiredValue' },
      });
      const submitted = await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 60 });
      const requestId = (submitted.result!.request as { requestId: string }).requestId;
      expect(await approve(requestId, 2)).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', field: 'value' } });
      expect(await deny(requestId, '')).toMatchObject({ ok: false, error: { field: 'reason' } });
      expect((await deny(requestId, 'use a second VPC')).result).toMatchObject({
        request: { status: 'denied', decisionReason: 'use a second VPC' },
      });
      expect(await approve(requestId)).toMatchObject({ ok: false, error: { code: 'IncorrectState' } });
      const events = await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaIncreaseRequest, requestId));
      expect(events.map((e) => e.type)).toEqual(['quotaIncreaseRequested', 'quotaIncreaseDenied']);
      // Nothing changed on the ledger.
      expect((await ledgerOf(world.cores[0], quotaLedgerId('vpc-endpoints-per-vpc', scope)))!.limit).toBeNull();
    });

    it('bad input: unknown codes, fixed quotas, negative or fractional values, an unknown request', async () => {
      const scope = { consumerAccountId: consumer.accountId, vpcId: vpcId() };
      expect(await submit({ code: 'no-such-quota', scope, desiredValue: 5 })).toMatchObject({
        ok: false,
        error: { code: 'InvalidParameterValue', field: 'code' },
      });
      expect(await submit({ code: 'endpoint-policy-size', scope: {}, desiredValue: 30_000 })).toMatchObject({
        ok: false,
        error: { field: 'code' },
      });
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: -5 })).toMatchObject({
        ok: false,
        error: { field: 'desiredValue' },
      });
      expect(await submit({ code: 'vpc-endpoints-per-vpc', scope, desiredValue: 55.5 })).toMatchObject({
        ok: false,
        error: { field: 'desiredValue' },
      });
      const unknown = quotaIncreaseRequestId(hex17());
      expect(await approve(unknown)).toMatchObject({ ok: false, error: { code: 'InvalidQuotaIncreaseRequestId.NotFound' } });
      expect(await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaIncreaseRequest, unknown))).toEqual([]);
    });
  });
});
