import {
  QUOTA_CATALOG,
  QuotaIncreaseRequestEvent,
  QuotaIncreaseRequestState,
  QuotaLedgerCommand,
  QuotaLedgerState,
  consumerOfPrincipal,
  defaultQuotaLimit,
  effectiveQuotaLimit,
  isNearLimit,
  quotaIncreaseRequestDecider as requests,
  quotaIncreaseRequestId,
  quotaLedgerDecider as ledger,
  quotaLedgerId,
  quotaScopeKey,
  resolveRequestScope,
} from './quota';
import { caught, deciderSpec } from './spec-support';

const t0 = '2026-11-27T10:00:00.000Z';
const t1 = '2026-11-27T10:05:00.000Z';
const t2 = '2026-11-27T10:20:00.000Z';
const vpcScope = { consumerAccountId: '444455556666', vpcId: 'vpc-1a2b3c4d' };
const identity = { code: 'vpc-endpoints-per-vpc' as const, scope: vpcScope };

/** Decides each command on the state the previous ones left; returns the state and every event. */
const run = (commands: QuotaLedgerCommand[], from: QuotaLedgerState | null = null) => deciderSpec(ledger).runFrom(from, ...commands);

const reserve = (holderId: string, limit: number | null = 2, now = t0): QuotaLedgerCommand => ({
  type: 'reserve',
  ...identity,
  holderId,
  units: 1,
  limit,
  now,
  expiresAt: '2026-11-27T10:15:00.000Z',
});

describe('the quota catalog', () => {
  it('has the guide’s quotas and the provider’s own, each with its scope, default and adjustability', () => {
    expect(QUOTA_CATALOG['vpc-endpoints-per-vpc']).toMatchObject({ defaultLimit: 50, adjustable: true, scopeKind: 'vpc' });
    expect(QUOTA_CATALOG['gwlb-endpoints-per-zone-per-service-per-vpc']).toMatchObject({ defaultLimit: 1, adjustable: false });
    expect(QUOTA_CATALOG['endpoint-policy-size']).toMatchObject({ defaultLimit: 20_480, adjustable: false, ledger: false });
    expect(QUOTA_CATALOG['endpoint-services-per-account']).toMatchObject({ defaultLimit: 20, adjustable: true, configurable: true });
    expect(QUOTA_CATALOG['allowed-principals-per-service']).toMatchObject({ defaultLimit: 1000, adjustable: true, configurable: true });
    expect(QUOTA_CATALOG['connections-per-consumer-per-service']).toMatchObject({ defaultLimit: null, adjustable: true });
  });

  it('configured defaults replace the catalog’s only where the quota is configurable', () => {
    expect(defaultQuotaLimit('endpoint-services-per-account', { 'endpoint-services-per-account': 3 })).toBe(3);
    expect(defaultQuotaLimit('vpc-endpoints-per-vpc', { 'vpc-endpoints-per-vpc': 3 })).toBe(50);
    expect(defaultQuotaLimit('connections-per-consumer-per-service')).toBeNull();
  });

  it('a scope key names the scope’s parts; a missing part is refused with the field named', () => {
    expect(quotaScopeKey('vpc-endpoints-per-vpc', vpcScope)).toBe('444455556666/vpc-1a2b3c4d');
    expect(
      quotaLedgerId('connections-per-consumer-per-service', {
        serviceId: 'vpce-svc-0123456789abcdef0',
        providerAccountId: '111122223333',
        consumerAccountId: '*',
      }),
    ).toBe('connections-per-consumer-per-service/vpce-svc-0123456789abcdef0/*');
    expect(caught(() => quotaScopeKey('vpc-endpoints-per-vpc', { consumerAccountId: '444455556666' }))).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'scope.vpcId',
    });
  });

  it('a provider’s per-principal limit applies to the principal’s account, `*` to every account', () => {
    expect(consumerOfPrincipal('arn:aws:iam::444455556666:role/portal')).toBe('444455556666');
    expect(consumerOfPrincipal('*')).toBe('*');
    expect(caught(() => consumerOfPrincipal('nobody'))).toMatchObject({ field: 'principal' });
  });

  it('near the limit means at least 80 % of it', () => {
    expect(isNearLimit(40, 50)).toBe(true);
    expect(isNearLimit(39, 50)).toBe(false);
    expect(isNearLimit(0, 0)).toBe(true);
    expect(isNearLimit(1_000, null)).toBe(false);
  });
});

describe('the quota ledger', () => {
  it('reserves up to the limit and refuses beyond it, naming the quota, its limit and usage', () => {
    const { state, events } = run([reserve('vpce-a'), reserve('vpce-b')]);
    expect(events.map((e) => [e.type, e.usage])).toEqual([
      ['quotaReserved', 1],
      ['quotaReserved', 2],
    ]);
    const error = caught(() => ledger.decide(reserve('vpce-c'), state));
    expect(error).toMatchObject({ code: 'LimitExceeded', details: { quotaCode: 'vpc-endpoints-per-vpc', limit: 2, usage: 2 } });
  });

  it('reserving again for the same holder is a no-op, even when the scope is full', () => {
    const { state } = run([reserve('vpce-a', 1)]);
    expect(ledger.decide(reserve('vpce-a', 1), state)).toEqual([]);
  });

  it('an unlimited scope still counts what it holds', () => {
    const { state } = run([reserve('vpce-a', null), reserve('vpce-b', null), reserve('vpce-c', null)]);
    expect(state).toMatchObject({ usage: 3 });
  });

  it('release gives capacity back; releasing what is not held is a no-op', () => {
    const { state, events } = run([reserve('vpce-a'), reserve('vpce-b'), { type: 'release', holderIds: ['vpce-a', 'vpce-x'], now: t1 }]);
    expect(events[2]).toMatchObject({ type: 'quotaReleased', holderIds: ['vpce-a'], units: 1, usage: 1 });
    expect(ledger.decide({ type: 'release', holderIds: ['vpce-a'], now: t1 }, state)).toEqual([]);
    expect(ledger.decide(reserve('vpce-c'), state)).toMatchObject([{ type: 'quotaReserved', usage: 2 }]);
    expect(ledger.decide({ type: 'release', holderIds: ['vpce-a'], now: t1 }, null)).toEqual([]);
  });

  it('a confirmed reservation is permanent: it never expires', () => {
    const { state, events } = run([
      reserve('vpce-a'),
      reserve('vpce-b'),
      { type: 'confirm', holderId: 'vpce-a', now: t1 },
      { type: 'expire', now: t2 },
    ]);
    expect(events.map((e) => e.type)).toEqual(['quotaReserved', 'quotaReserved', 'quotaReservationConfirmed', 'quotaReservationsExpired']);
    expect(events[3]).toMatchObject({ holderIds: ['vpce-b'], units: 1, usage: 1 });
    expect(state!.holdings).toEqual({ 'vpce-a': { units: 1, status: 'confirmed', expiresAt: null, since: t0 } });
    expect(ledger.decide({ type: 'confirm', holderId: 'vpce-a', now: t2 }, state)).toEqual([]);
  });

  it('nothing expires before its time', () => {
    const { state } = run([reserve('vpce-a')]);
    expect(ledger.decide({ type: 'expire', now: t1 }, state)).toEqual([]);
    expect(ledger.decide({ type: 'expire', now: t2, holderIds: ['vpce-other'] }, state)).toEqual([]);
  });

  it('a confirm that comes after the reservation expired reinstates it (the resource is live); after a release it does nothing', () => {
    const expired = run([reserve('vpce-a'), { type: 'expire', now: t2 }]).state;
    expect(expired).toMatchObject({ usage: 0 });
    const reinstated = run([{ type: 'confirm', holderId: 'vpce-a', now: t2 }], expired);
    expect(reinstated.events).toMatchObject([{ type: 'quotaReservationReinstated', holderId: 'vpce-a', usage: 1 }]);
    const released = run([reserve('vpce-b'), { type: 'release', holderIds: ['vpce-b'], now: t1 }]).state;
    expect(ledger.decide({ type: 'confirm', holderId: 'vpce-b', now: t1 }, released)).toEqual([]);
    expect(ledger.decide({ type: 'confirm', holderId: 'vpce-b', now: t1 }, null)).toEqual([]);
  });

  it('recorded usage (a fact its owner already checked) counts without a limit check and once per holder', () => {
    const principals = {
      code: 'allowed-principals-per-service' as const,
      scope: { serviceId: 'vpce-svc-0123456789abcdef0', providerAccountId: '111122223333' },
    };
    const { state, events } = run([
      { type: 'recordUsage', ...principals, holderId: 'arn:aws:iam::444455556666:root', units: 1, now: t0 },
      { type: 'recordUsage', ...principals, holderId: 'arn:aws:iam::444455556666:root', units: 1, now: t0 },
      { type: 'recordUsage', ...principals, holderId: '*', units: 1, now: t0 },
    ]);
    expect(events).toHaveLength(2);
    expect(state).toMatchObject({ usage: 2, scopeKey: 'vpce-svc-0123456789abcdef0' });
  });

  it('a limit is set on adjustable quotas only, as a non-negative whole number; setting it again is a no-op', () => {
    const source = { kind: 'ops' as const, setBy: 'arn:aws:iam::123456789012:role/operator' };
    const { state, events } = run([reserve('vpce-a'), { type: 'setLimit', ...identity, limit: 5, source, now: t1 }]);
    expect(events[1]).toMatchObject({ type: 'quotaLimitSet', limit: 5, previousLimit: null, usage: 1 });
    expect(effectiveQuotaLimit(state, 50)).toBe(5);
    expect(effectiveQuotaLimit(null, 50)).toBe(50);
    expect(ledger.decide({ type: 'setLimit', ...identity, limit: 5, source, now: t1 }, state)).toEqual([]);
    expect(caught(() => ledger.decide({ type: 'setLimit', ...identity, limit: -1, source, now: t1 }, state))).toMatchObject({
      field: 'limit',
    });
    expect(caught(() => ledger.decide({ type: 'setLimit', ...identity, limit: 1.5, source, now: t1 }, state))).toMatchObject({
      field: 'limit',
    });
    const gwlb = {
      code: 'gwlb-endpoints-per-zone-per-service-per-vpc' as const,
      scope: { ...vpcScope, serviceId: 'vpce-svc-0123456789abcdef0', availabilityZoneId: 'use1-az1' },
    };
    expect(caught(() => ledger.decide({ type: 'setLimit', ...gwlb, limit: 2, source, now: t1 }, null))).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'code',
    });
  });

  it('the policy size has no ledger', () => {
    const error = caught(() =>
      ledger.decide(
        { type: 'reserve', code: 'endpoint-policy-size', scope: {}, holderId: 'x', units: 1, limit: 1, now: t0, expiresAt: t1 },
        null,
      ),
    );
    expect(error).toMatchObject({ field: 'code' });
  });

  it('every event carries the ledger’s identity, own limit and usage (what a read model needs)', () => {
    const { events } = run([reserve('vpce-a')]);
    expect(events[0]).toMatchObject({
      code: 'vpc-endpoints-per-vpc',
      scopeKey: '444455556666/vpc-1a2b3c4d',
      scope: vpcScope,
      limit: null,
      usage: 1,
      at: t0,
    });
  });
});

describe('quota increase requests', () => {
  const requestId = quotaIncreaseRequestId('0123456789abcdef0');
  const consumer = { principal: 'arn:aws:iam::444455556666:root', accountId: '444455556666', role: 'consumer' as const };
  const submit = (over: Record<string, unknown> = {}) => ({
    type: 'submitQuotaIncreaseRequest' as const,
    requestId,
    code: 'vpc-endpoints-per-vpc',
    scope: vpcScope,
    requester: consumer,
    desiredValue: 80,
    reason: 'a bigger VPC',
    currentLimit: 50,
    usage: 42,
    now: t0,
    ...over,
  });
  const fold = (events: QuotaIncreaseRequestEvent[], from: QuotaIncreaseRequestState | null = null) => events.reduce(requests.evolve, from);
  const ops = 'arn:aws:iam::123456789012:role/operator';

  it('a submitted request is pending, with the limit and usage it was made against', () => {
    const events = requests.decide(submit(), null);
    expect(events).toMatchObject([
      { type: 'quotaIncreaseRequested', scopeKey: '444455556666/vpc-1a2b3c4d', desiredValue: 80, limitAtRequest: 50, usageAtRequest: 42 },
    ]);
    expect(fold(events)).toMatchObject({ status: 'pending', requesterRole: 'consumer' });
  });

  it.each([
    [{ code: 'no-such-quota' }, 'code'],
    [{ code: 'endpoint-policy-size' }, 'code'],
    [{ code: 'gwlb-endpoints-per-zone-per-service-per-vpc' }, 'code'],
    [{ desiredValue: -1 }, 'desiredValue'],
    [{ desiredValue: 60.5 }, 'desiredValue'],
    [{ desiredValue: '60' }, 'desiredValue'],
    [{ desiredValue: 41 }, 'desiredValue'],
    [{ desiredValue: 50 }, 'desiredValue'],
    [{ reason: '' }, 'reason'],
    [{ reason: 'x'.repeat(1_001) }, 'reason'],
    [{ currentLimit: null }, 'code'],
  ])('bad input %j is refused naming %s', (over, field) => {
    expect(caught(() => requests.decide(submit(over), null))).toMatchObject({ field });
  });

  it('approval takes the desired value, or the one ops chose; never below the usage then', () => {
    const pending = fold(requests.decide(submit(), null));
    expect(requests.decide({ type: 'approveQuotaIncreaseRequest', usage: 42, decidedBy: ops, now: t1 }, pending)).toMatchObject([
      { type: 'quotaIncreaseApproved', value: 80 },
    ]);
    const other = requests.decide({ type: 'approveQuotaIncreaseRequest', value: 70, usage: 42, decidedBy: ops, now: t1 }, pending);
    expect(fold(other, pending)).toMatchObject({ status: 'approved', approvedValue: 70, decidedBy: ops, decidedAt: t1 });
    expect(
      caught(() => requests.decide({ type: 'approveQuotaIncreaseRequest', value: 45, usage: 46, decidedBy: ops, now: t1 }, pending)),
    ).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'value',
    });
    expect(
      caught(() => requests.decide({ type: 'approveQuotaIncreaseRequest', value: -3, usage: 0, decidedBy: ops, now: t1 }, pending)),
    ).toMatchObject({ field: 'value' });
  });

  it('approving twice, or deciding a denied request, is IncorrectState; an unknown request is NotFound', () => {
    const pending = fold(requests.decide(submit(), null));
    const approved = fold(requests.decide({ type: 'approveQuotaIncreaseRequest', usage: 42, decidedBy: ops, now: t1 }, pending), pending);
    expect(
      caught(() => requests.decide({ type: 'approveQuotaIncreaseRequest', usage: 42, decidedBy: ops, now: t1 }, approved)),
    ).toMatchObject({ code: 'IncorrectState' });
    const denied = fold(
      requests.decide({ type: 'denyQuotaIncreaseRequest', reason: 'not now', decidedBy: ops, now: t1 }, pending),
      pending,
    );
    expect(denied).toMatchObject({ status: 'denied', decisionReason: 'not now' });
    expect(caught(() => requests.decide({ type: 'approveQuotaIncreaseRequest', usage: 0, decidedBy: ops, now: t1 }, denied))).toMatchObject(
      { code: 'IncorrectState' },
    );
    expect(caught(() => requests.decide({ type: 'denyQuotaIncreaseRequest', reason: 'x', decidedBy: ops, now: t1 }, denied))).toMatchObject(
      { code: 'IncorrectState' },
    );
    expect(caught(() => requests.decide({ type: 'denyQuotaIncreaseRequest', reason: 'x', decidedBy: ops, now: t1 }, null))).toMatchObject({
      code: 'InvalidQuotaIncreaseRequestId.NotFound',
    });
    expect(caught(() => requests.decide({ type: 'denyQuotaIncreaseRequest', reason: '', decidedBy: ops, now: t1 }, pending))).toMatchObject(
      { field: 'reason' },
    );
  });

  it('a request is submitted once', () => {
    const pending = fold(requests.decide(submit(), null));
    expect(caught(() => requests.decide(submit(), pending))).toMatchObject({ code: 'IncorrectState' });
    expect(caught(() => requests.decide(submit({ requestId: 'qir-1' }), null))).toMatchObject({ field: 'requestId' });
  });

  describe('whose quota a request is about', () => {
    const provider = { role: 'provider' as const, accountId: '111122223333' };
    const consumerRef = { role: 'consumer' as const, accountId: '444455556666' };

    it('a consumer asks for its VPCs and its connections to a service; a provider for its account and its services', () => {
      expect(resolveRequestScope('vpc-endpoints-per-vpc', consumerRef, { vpcId: 'vpc-1a2b3c4d' }).scope).toEqual(vpcScope);
      expect(
        resolveRequestScope('connections-per-consumer-per-service', consumerRef, { serviceId: 'vpce-svc-0123456789abcdef0' }).scope,
      ).toEqual({
        serviceId: 'vpce-svc-0123456789abcdef0',
        consumerAccountId: '444455556666',
      });
      expect(resolveRequestScope('endpoint-services-per-account', provider, undefined).scope).toEqual({
        providerAccountId: '111122223333',
      });
      expect(resolveRequestScope('allowed-principals-per-service', provider, { serviceId: 'vpce-svc-0123456789abcdef0' }).scope).toEqual({
        serviceId: 'vpce-svc-0123456789abcdef0',
      });
    });

    it('the code is checked first, then the role, then the scope', () => {
      expect(caught(() => resolveRequestScope('nope', consumerRef, {}))).toMatchObject({ code: 'InvalidParameterValue', field: 'code' });
      expect(caught(() => resolveRequestScope('endpoint-policy-size', consumerRef, {}))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'code',
      });
      expect(caught(() => resolveRequestScope('endpoint-services-per-account', consumerRef, {}))).toMatchObject({
        code: 'UnauthorizedOperation',
      });
      expect(caught(() => resolveRequestScope('vpc-endpoints-per-vpc', consumerRef, {}))).toMatchObject({
        code: 'MissingParameter',
        field: 'scope.vpcId',
      });
      expect(caught(() => resolveRequestScope('vpc-endpoints-per-vpc', consumerRef, { vpcId: 'vpc-x' }))).toMatchObject({
        field: 'scope.vpcId',
      });
      expect(caught(() => resolveRequestScope('endpoint-services-per-account', provider, { vpcId: 'vpc-1a2b3c4d' }))).toMatchObject({
        field: 'scope.vpcId',
      });
    });
  });
});
