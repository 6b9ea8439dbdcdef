import { quotaGuardCommands as Q, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { quotaLedgerId } from '@privatelink/domain';
import { QuotaWorld, eventually, ledgerOf, startQuotaWorld, svcId, vpcId, vpceId } from './support';

const CONSUMER = '444455556666';
const OTHER_CONSUMER = '777788889999';
const PROVIDER = '111122223333';
const TIMEOUT_MS = 60_000;

/**
 * quota-guard on its own, through its command topic on the real Kafka broker: two instances in one
 * consumer group, one database. Commands come from a stand-in sender's outbox, as connection-broker's do.
 */
describe('quota-guard: connection reservations', () => {
  let world: QuotaWorld;

  beforeAll(async () => {
    world = await startQuotaWorld('qg-reserve', {
      instances: 2,
      env: { PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: String(TIMEOUT_MS), PRIVATELINK_QUOTA_SCHEDULER_POLL_MS: '100' },
    });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  const request = (over: Record<string, unknown> = {}) => ({
    vpcEndpointId: vpceId(),
    consumerAccountId: CONSUMER,
    vpcId: vpcId(),
    serviceId: svcId(),
    serviceOwner: PROVIDER,
    ...over,
  });
  const reserve = (payload: ReturnType<typeof request>) => world.sender.send(Q.reserveConnectionQuota, payload.vpcEndpointId, payload);
  const release = (payload: ReturnType<typeof request>) => world.sender.send(Q.releaseConnectionQuota, payload.vpcEndpointId, payload);
  const vpcLedger = (vpc: string, account = CONSUMER) => quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: account, vpcId: vpc });
  const consumerLedger = (serviceId: string, account = CONSUMER) =>
    quotaLedgerId('connections-per-consumer-per-service', { serviceId, providerAccountId: PROVIDER, consumerAccountId: account });

  it('200 concurrent reservations in one VPC (limit 50) across two instances: exactly 50 granted, and the ledger holds exactly those', async () => {
    const vpc = vpcId();
    const serviceId = svcId();
    const requests = Array.from({ length: 200 }, () => request({ vpcId: vpc, serviceId }));
    const ids = await Promise.all(requests.map((r) => world.sender.enqueue(Q.reserveConnectionQuota, r.vpcEndpointId, r)));
    const outcomes = await Promise.all(ids.map((id) => world.sender.outcome(id, 120_000)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const granted = outcomes.filter((o) => o.result?.granted === true).map((o) => o.result!.vpcEndpointId as string);
    const refused = outcomes.filter((o) => o.result?.granted === false);
    expect(granted).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(String(refused[0].result!.message)).toMatch(/vpc-endpoints-per-vpc.*50/);
    const ledger = await ledgerOf(world.cores[0], vpcLedger(vpc));
    expect(ledger!.usage).toBe(50);
    expect(Object.keys(ledger!.holdings).sort()).toEqual([...granted].sort());
    // The per-consumer scope counted the same 50 (unlimited, but counted), and nothing of the refused ones.
    const perConsumer = await ledgerOf(world.cores[0], consumerLedger(serviceId));
    expect(Object.keys(perConsumer!.holdings).sort()).toEqual([...granted].sort());
    // Both instances decided some of them (the command topic's partitions are shared in the group).
    const reservedBy = await Promise.all(
      world.guards.map(async (g) =>
        (await g.metrics.eventsAppended.get()).values.filter((v) => v.labels.type === 'quotaReserved').reduce((n, v) => n + v.value, 0),
      ),
    );
    expect(reservedBy.every((n) => n > 0)).toBe(true);
  });

  it('a release gives the capacity back; releasing twice or what was never held changes nothing', async () => {
    const vpc = vpcId();
    const first = request({ vpcId: vpc });
    expect((await reserve(first)).result).toEqual({ vpcEndpointId: first.vpcEndpointId, granted: true });
    expect((await release(first)).result).toMatchObject({ vpcEndpointId: first.vpcEndpointId, released: 2 });
    expect((await release(first)).result).toMatchObject({ released: 0 });
    expect((await release(request({ vpcId: vpc }))).result).toMatchObject({ released: 0 });
    const ledger = await ledgerOf(world.cores[0], vpcLedger(vpc));
    expect(ledger).toMatchObject({ usage: 0, holdings: {} });
  });

  it('the same command delivered twice reserves once', async () => {
    const payload = request();
    const commandId = `quota-reserve:${payload.vpcEndpointId}`;
    await world.sender.enqueue(Q.reserveConnectionQuota, payload.vpcEndpointId, payload, commandId);
    await world.sender.enqueue(Q.reserveConnectionQuota, payload.vpcEndpointId, payload, commandId);
    expect((await world.sender.outcome(commandId)).result).toMatchObject({ granted: true });
    // A later, different command for the same endpoint: the first reservation stands (idempotent per holder).
    expect((await reserve(payload)).result).toMatchObject({ granted: true });
    const events = await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaLedger, vpcLedger(payload.vpcId)));
    expect(events.map((e) => e.type)).toEqual(['quotaReserved']);
  });

  it('a provider’s per-consumer limit: the second connection is refused, and it reserved nothing anywhere (all or nothing)', async () => {
    const serviceId = svcId();
    const limit = await world.sender.send(Q.setConnectionLimit, serviceId, {
      serviceId,
      providerAccountId: PROVIDER,
      principal: `arn:aws:iam::${CONSUMER}:root`,
      consumerAccountId: CONSUMER,
      limit: 1,
    });
    expect(limit.result).toMatchObject({ limit: 1, effectiveLimit: 1, usage: 0 });
    const vpc = vpcId();
    expect((await reserve(request({ serviceId, vpcId: vpc }))).result).toMatchObject({ granted: true });
    const second = request({ serviceId, vpcId: vpc });
    const refused = await reserve(second);
    expect(refused.result).toMatchObject({ granted: false });
    expect(String(refused.result!.message)).toMatch(/connections-per-consumer-per-service/);
    const ledger = await ledgerOf(world.cores[0], vpcLedger(vpc));
    expect(ledger!.usage).toBe(1);
    expect(ledger!.holdings[second.vpcEndpointId]).toBeUndefined();
    // Another account is not limited by it.
    expect((await reserve(request({ serviceId, consumerAccountId: OTHER_CONSUMER }))).result).toMatchObject({ granted: true });
  });

  it('a limit for `*` applies to every account without one of its own; an account’s own limit wins; null removes it', async () => {
    const serviceId = svcId();
    const setLimit = (consumerAccountId: string, value: number | null) =>
      world.sender.send(Q.setConnectionLimit, serviceId, {
        serviceId,
        providerAccountId: PROVIDER,
        principal: consumerAccountId === '*' ? '*' : `arn:aws:iam::${consumerAccountId}:root`,
        consumerAccountId,
        limit: value,
      });
    await setLimit('*', 1);
    await setLimit(OTHER_CONSUMER, 2);
    expect((await reserve(request({ serviceId }))).result).toMatchObject({ granted: true });
    expect((await reserve(request({ serviceId }))).result).toMatchObject({ granted: false });
    expect((await reserve(request({ serviceId, consumerAccountId: OTHER_CONSUMER }))).result).toMatchObject({ granted: true });
    expect((await reserve(request({ serviceId, consumerAccountId: OTHER_CONSUMER }))).result).toMatchObject({ granted: true });
    expect((await reserve(request({ serviceId, consumerAccountId: OTHER_CONSUMER }))).result).toMatchObject({ granted: false });
    await setLimit('*', null);
    expect((await reserve(request({ serviceId }))).result).toMatchObject({ granted: true });
  });

  it('Gateway Load Balancer endpoints: one per zone per service per VPC', async () => {
    const serviceId = svcId();
    const vpc = vpcId();
    const gwlb = (zone: string) => request({ serviceId, vpcId: vpc, vpcEndpointType: 'GatewayLoadBalancer', availabilityZoneIds: [zone] });
    const first = gwlb('use1-az1');
    expect((await reserve(first)).result).toMatchObject({ granted: true });
    const second = await reserve(gwlb('use1-az1'));
    expect(second.result).toMatchObject({ granted: false });
    expect(String(second.result!.message)).toMatch(/gwlb-endpoints-per-zone-per-service-per-vpc/);
    expect((await reserve(gwlb('use1-az2'))).result).toMatchObject({ granted: true });
    // Interface endpoints are not counted per zone; the released zone is free again.
    expect((await reserve(request({ serviceId, vpcId: vpc, availabilityZoneIds: ['use1-az1'] }))).result).toMatchObject({ granted: true });
    await release(first);
    expect((await reserve(gwlb('use1-az1'))).result).toMatchObject({ granted: true });
  });

  it('a reservation whose connection never went live expires after the timeout; a live one stays; a late confirm reinstates', async () => {
    const vpc = vpcId();
    const live = request({ vpcId: vpc });
    const dead = request({ vpcId: vpc });
    const late = request({ vpcId: vpc });
    for (const r of [live, dead, late]) expect((await reserve(r)).result).toMatchObject({ granted: true });
    await world.sender.append(streamIdFor(streamFamilies.endpointConnection, live.vpcEndpointId), [
      { type: 'connectionAttached', vpcEndpointId: live.vpcEndpointId, serviceId: live.serviceId },
    ]);
    await eventually(async () => {
      expect((await ledgerOf(world.cores[0], vpcLedger(vpc)))!.holdings[live.vpcEndpointId]).toMatchObject({ status: 'confirmed' });
    }, 30_000);
    world.clock.advance(TIMEOUT_MS + 1_000);
    for (const core of world.cores) core.scheduler.poke();
    await eventually(async () => {
      const ledger = await ledgerOf(world.cores[0], vpcLedger(vpc));
      expect(Object.keys(ledger!.holdings)).toEqual([live.vpcEndpointId]);
      expect(ledger!.usage).toBe(1);
    }, 30_000);
    const holds = await world.cores[0].runtime.db.query(`SELECT holder_id, status FROM qg_holds WHERE ledger_id = $1 ORDER BY holder_id`, [
      vpcLedger(vpc),
    ]);
    expect(Object.fromEntries(holds.map((h: { holder_id: string; status: string }) => [h.holder_id, h.status]))).toEqual({
      [live.vpcEndpointId]: 'confirmed',
      [dead.vpcEndpointId]: 'expired',
      [late.vpcEndpointId]: 'expired',
    });
    // The late one does go live after all: it holds its place again (the ledger matches what is live).
    await world.sender.append(streamIdFor(streamFamilies.endpointConnection, late.vpcEndpointId), [
      { type: 'connectionAutoAccepted', vpcEndpointId: late.vpcEndpointId, serviceId: late.serviceId },
    ]);
    await eventually(async () => {
      const ledger = await ledgerOf(world.cores[0], vpcLedger(vpc));
      expect(ledger!.holdings[late.vpcEndpointId]).toMatchObject({ status: 'confirmed' });
      expect(ledger!.usage).toBe(2);
    }, 30_000);
    // The dead one's release (its request failed after all) is a no-op that keeps it from coming back.
    expect((await release(dead)).result).toMatchObject({ released: 2 });
    const events = await world.cores[0].runtime.store.readStream(streamIdFor(streamFamilies.quotaLedger, vpcLedger(vpc)));
    expect(events.map((e) => e.type)).toEqual([
      'quotaReserved',
      'quotaReserved',
      'quotaReserved',
      'quotaReservationConfirmed',
      'quotaReservationsExpired',
      'quotaReservationReinstated',
    ]);
  });
});
