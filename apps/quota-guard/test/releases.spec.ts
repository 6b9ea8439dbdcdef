import { quotaLedgerId } from '@privatelink/domain';
import { CONSUMER_ACCOUNT, CONSUMER_ROOT, demoKeys, servicePath, stepsOf, subnet, vpcId } from '../../connection-broker/test/support';
import { eventually, ledgerOf, until } from './support';
import { Stack, connectionEventTypes, holdStatuses, quotaRequested, requestWithGuardStopped, startStack } from './stack';

const PROVIDER_ACCOUNT = '111122223333';
const TIMEOUT_MS = 60_000;

/**
 * Capacity is given back on every path (issue item 2), through the whole system: endpoint-api,
 * connection-broker and quota-guard as separate applications on the real Postgres and Kafka. After each
 * path the ledger is compared with a recount of the live endpoints in the read model.
 */
describe('quota releases on every path, and the limits of one consumer per service', () => {
  let stack: Stack;
  const { provider, consumer, providerService, requestEndpoint, waitForEndpoint, endpointIn } = stepsOf(() => stack);
  const perConsumer = (serviceId: string) =>
    quotaLedgerId('connections-per-consumer-per-service', {
      serviceId,
      providerAccountId: PROVIDER_ACCOUNT,
      consumerAccountId: CONSUMER_ACCOUNT,
    });
  const perVpc = (vpc: string) => quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: CONSUMER_ACCOUNT, vpcId: vpc });
  const ledger = (id: string) => ledgerOf(stack.guardCores[0], id);
  /** The live endpoints of a service in endpoint-api's read model. */
  const liveOf = async (where: string, value: string): Promise<string[]> =>
    (
      await stack.api.core.runtime.db.query(
        `SELECT id FROM rm_endpoint_connections WHERE ${where} = $1 AND state IN ('pending', 'pendingAcceptance', 'available') ORDER BY id`,
        [value],
      )
    ).map((r: { id: string }) => r.id);
  /** The ledger holds exactly the live endpoints (once both have caught up). */
  const ledgerMatchesRecount = async (ledgerId: string, where: string, value: string) => {
    await eventually(async () => {
      const l = await ledger(ledgerId);
      const live = await liveOf(where, value);
      expect(Object.keys(l?.holdings ?? {}).sort()).toEqual(live);
      expect(l?.usage ?? 0).toBe(live.length);
    }, 30_000);
  };

  beforeAll(async () => {
    stack = await startStack('qg-releases', {
      broker: true,
      env: { PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: String(TIMEOUT_MS), PRIVATELINK_QUOTA_SCHEDULER_POLL_MS: '100' },
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('a provider’s limit of 1 connection for the consumer: refused beyond it; reject and delete give the place back', async () => {
    const service = await providerService({ acceptanceRequired: true });
    await provider()
      .put(`${servicePath(service.serviceId)}/connection-limits`, { principal: CONSUMER_ROOT, limit: 1 })
      .expect(200);
    const connections = `${servicePath(service.serviceId)}/connections`;
    const first = await endpointIn(service, 'pendingAcceptance');
    const refused = await endpointIn(service, 'failed');
    expect(refused.endpoint).toMatchObject({ stateReason: 'QuotaExceeded' });
    expect(refused.endpoint.stateMessage ?? refused.endpoint.lastError?.message).toMatch(/connections-per-consumer-per-service/);

    // Rejected by the provider → released.
    await provider()
      .post(`${connections}:reject`, { vpcEndpointIds: [first.vpcEndpointId] })
      .expect(200);
    await waitForEndpoint(first.vpcEndpointId, 'rejected');
    await eventually(async () => expect((await ledger(perConsumer(service.serviceId)))!.usage).toBe(0), 30_000);
    // Deleted by the consumer while pendingAcceptance → released.
    const second = await endpointIn(service, 'pendingAcceptance');
    await consumer().del(`/v1/consumer/endpoints/${second.vpcEndpointId}`).expect(200);
    await waitForEndpoint(second.vpcEndpointId, 'deleted');
    await eventually(async () => expect((await ledger(perConsumer(service.serviceId)))!.usage).toBe(0), 30_000);
    // Accepted, then deleted → released; the next request gets the place.
    const third = await endpointIn(service, 'pendingAcceptance');
    await provider()
      .post(`${connections}:accept`, { vpcEndpointIds: [third.vpcEndpointId] })
      .expect(200);
    await waitForEndpoint(third.vpcEndpointId, 'available');
    await consumer().del(`/v1/consumer/endpoints/${third.vpcEndpointId}`).expect(200);
    await waitForEndpoint(third.vpcEndpointId, 'deleted');
    const fourth = await endpointIn(service, 'pendingAcceptance');
    await ledgerMatchesRecount(perConsumer(service.serviceId), 'service_id', service.serviceId);
    expect(Object.keys((await ledger(perConsumer(service.serviceId)))!.holdings)).toEqual([fourth.vpcEndpointId]);
    // The provider sees it on its service's connection limits.
    const limits = await provider()
      .get(`${servicePath(service.serviceId)}/connection-limits`)
      .expect(200);
    expect(limits.body.connectionLimits).toEqual([
      expect.objectContaining({ consumerAccountId: CONSUMER_ACCOUNT, limit: 1, effectiveLimit: 1 }),
    ]);
    await eventually(async () => {
      const rows = (
        await provider()
          .get(`${servicePath(service.serviceId)}/connection-limits`)
          .expect(200)
      ).body.connectionLimits;
      expect(rows[0].usage).toBe(1);
    }, 30_000);
  });

  it('a connection that fails after its grant (the permission was removed while quota-guard was down) gives the capacity back', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { body, vpcEndpointId } = await requestWithGuardStopped(stack, service);
    await quotaRequested(stack, vpcEndpointId);
    await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    await stack.startGuard();
    const failed = await waitForEndpoint(vpcEndpointId, 'failed', demoKeys.consumer, 60_000);
    expect(failed).toMatchObject({ stateReason: 'PrincipalNotAllowed' });
    expect(await connectionEventTypes(stack, vpcEndpointId)).toEqual(
      expect.arrayContaining(['connectionQuotaGranted', 'connectionFailed', 'connectionQuotaReleased']),
    );
    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['released', 'released']), 30_000);
    await ledgerMatchesRecount(perVpc(body.vpcId as string), 'vpc_id', body.vpcId as string);
  });

  it('a reservation whose request died expires after the timeout; when the connection goes live after all, it holds its place again', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { body, vpcEndpointId } = await requestWithGuardStopped(stack, service);
    await quotaRequested(stack, vpcEndpointId);
    // The reservation left the broker's outbox for Kafka (published rows are deleted) ...
    await until(
      async () =>
        (
          await stack.brokerCore!.runtime.db.query(`SELECT 1 FROM es_outbox WHERE message->>'commandId' = $1`, [
            `quota-reserve:${vpcEndpointId}`,
          ])
        ).length === 0,
      30_000,
      'the reservation published',
    );
    // ... and the broker goes away before it hears the answer; quota-guard grants meanwhile.
    await stack.stopBroker();
    await stack.startGuard();
    await until(async () => (await holdStatuses(stack, vpcEndpointId)).join() === 'reserved,reserved', 30_000, 'the reservation');
    stack.clock.advance(TIMEOUT_MS + 1_000);
    stack.guardCores[0].scheduler.poke();
    await until(async () => (await holdStatuses(stack, vpcEndpointId)).join() === 'expired,expired', 30_000, 'the reservation expired');
    expect((await ledger(perVpc(body.vpcId as string)))!.usage).toBe(0);
    // The broker comes back, reads the grant and attaches the connection: quota-guard reinstates its place.
    await stack.startBroker();
    await waitForEndpoint(vpcEndpointId, 'available', demoKeys.consumer, 60_000);
    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['confirmed', 'confirmed']), 30_000);
    await ledgerMatchesRecount(perVpc(body.vpcId as string), 'vpc_id', body.vpcId as string);
    const events = (await stack.guardCores[0].runtime.store.readStream(`quota-ledger-${perVpc(body.vpcId as string)}`)).map((e) => e.type);
    expect(events).toEqual(['quotaReserved', 'quotaReservationsExpired', 'quotaReservationReinstated']);
  });

  it('Gateway Load Balancer endpoints: one per zone per service per VPC; the place is free again after a delete', async () => {
    const service = await providerService({
      kind: 'gwy',
      acceptanceRequired: false,
      zones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }],
    });
    const vpc = vpcId();
    const gwlb = (v: string) => ({
      serviceName: service.serviceName,
      vpcEndpointType: 'GatewayLoadBalancer',
      vpcId: v,
      subnets: [subnet('use1-az1')],
    });
    const first = await requestEndpoint(gwlb(vpc), demoKeys.consumer, service.token);
    await waitForEndpoint(first.vpcEndpointId, 'available');
    const second = await requestEndpoint(gwlb(vpc), demoKeys.consumer, service.token);
    const failed = await waitForEndpoint(second.vpcEndpointId, 'failed');
    expect(failed).toMatchObject({ stateReason: 'QuotaExceeded' });
    const other = await requestEndpoint(gwlb(vpcId()), demoKeys.consumer, service.token);
    await waitForEndpoint(other.vpcEndpointId, 'available');
    await consumer().del(`/v1/consumer/endpoints/${first.vpcEndpointId}`).expect(200);
    await waitForEndpoint(first.vpcEndpointId, 'deleted');
    const zoneLedger = quotaLedgerId('gwlb-endpoints-per-zone-per-service-per-vpc', {
      consumerAccountId: CONSUMER_ACCOUNT,
      vpcId: vpc,
      serviceId: service.serviceId,
      availabilityZoneId: 'use1-az1',
    });
    await eventually(async () => expect((await ledger(zoneLedger))!.usage).toBe(0), 30_000);
    const again = await requestEndpoint(gwlb(vpc), demoKeys.consumer, service.token);
    await waitForEndpoint(again.vpcEndpointId, 'available');
    await ledgerMatchesRecount(perVpc(vpc), 'vpc_id', vpc);
  });
});
