import { quotaLedgerId } from '@privatelink/domain';
import { CONSUMER_ACCOUNT, demoKeys, interfaceRequest, stepsOf, vpcId } from '../../connection-broker/test/support';
import { eventually, ledgerOf, until } from './support';
import { Stack, startStack } from './stack';

/**
 * THE concurrency case (issue item 3), through the whole system: endpoint-api, connection-broker and two
 * quota-guard instances in one consumer group, each its own Nest application, on the real Postgres and Kafka.
 * 200 connection requests into one VPC at once, against the guide's 50 endpoints per VPC: afterwards the
 * read models are counted and compared with the ledger.
 */
describe('200 concurrent connection requests against a VPC limit of 50', () => {
  let stack: Stack;
  const { providerService, requestEndpoint } = stepsOf(() => stack);

  beforeAll(async () => {
    stack = await startStack('qg-system', { guards: 2, broker: true });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('end with exactly 50 live endpoints and 150 failed with QuotaExceeded, and the ledger equals a recount from the read model', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const vpc = vpcId();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => requestEndpoint(interfaceRequest(service, { vpcId: vpc }), demoKeys.consumer, service.token)),
    );
    expect(answers.map((a) => a.res.body.vpcEndpoint.vpcEndpointState)).toEqual(Array(200).fill('pending'));

    // Counted from endpoint-api's connection read model (fed from connection-broker's events over Kafka).
    const db = stack.api.core.runtime.db;
    const count = async (): Promise<Record<string, number>> => {
      const rows: Array<{ state: string; n: number }> = await db.query(
        `SELECT state, count(*)::int AS n FROM rm_endpoint_connections WHERE vpc_id = $1 GROUP BY state`,
        [vpc],
      );
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    };
    await until(
      async () => {
        const c = await count();
        return (c.available ?? 0) + (c.failed ?? 0) === 200;
      },
      180_000,
      'every request settled in available or failed',
    );
    expect(await count()).toEqual({ available: 50, failed: 150 });
    const reasons: Array<{ reason: string; n: number }> = await db.query(
      `SELECT doc->>'stateReason' AS reason, count(*)::int AS n FROM rm_endpoint_connections WHERE vpc_id = $1 AND state = 'failed' GROUP BY 1`,
      [vpc],
    );
    expect(reasons).toEqual([{ reason: 'QuotaExceeded', n: 150 }]);

    // The ledger (quota-guard's event store) holds exactly the live endpoints, each confirmed.
    const live: string[] = (
      await db.query(
        `SELECT id FROM rm_endpoint_connections WHERE vpc_id = $1 AND state IN ('pending', 'pendingAcceptance', 'available') ORDER BY id`,
        [vpc],
      )
    ).map((r: { id: string }) => r.id);
    const ledgerId = quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: CONSUMER_ACCOUNT, vpcId: vpc });
    await eventually(async () => {
      const ledger = await ledgerOf(stack.guardCores[0], ledgerId);
      expect(ledger!.usage).toBe(50);
      expect(Object.keys(ledger!.holdings).sort()).toEqual(live);
      expect(Object.values(ledger!.holdings).every((h) => h.status === 'confirmed')).toBe(true);
    }, 120_000);
    // ... and so does the service's own count of live connections (the linearization point of attachments).
    const service$ = await stack.api.core.runtime.store.aggregate(
      `endpoint-service-${service.serviceId}`,
      (s: Set<string>, e: { type: string; vpcEndpointId?: string }) => {
        if (e.type === 'endpointServiceConnectionOpened') s.add(e.vpcEndpointId!);
        if (e.type === 'endpointServiceConnectionClosed') s.delete(e.vpcEndpointId!);
        return s;
      },
      new Set<string>(),
    );
    expect([...service$.state].sort()).toEqual(live);

    // Both quota-guard instances decided reservations.
    const reservedBy = await Promise.all(
      stack.guards.map(async (g) =>
        (await g.metrics.eventsAppended.get()).values.filter((v) => v.labels.type === 'quotaReserved').reduce((n, v) => n + v.value, 0),
      ),
    );
    expect(reservedBy.every((n) => n > 0)).toBe(true);

    // The consumer sees the VPC full; ops sees it on the near-limit list.
    await eventually(async () => {
      const quotas = (await stack.api.as(demoKeys.consumer).get('/v1/quotas').expect(200)).body.quotas as Array<Record<string, any>>;
      expect(quotas).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            quotaCode: 'vpc-endpoints-per-vpc',
            scope: { consumerAccountId: CONSUMER_ACCOUNT, vpcId: vpc },
            limit: 50,
            usage: 50,
          }),
        ]),
      );
      const near = (await stack.api.as(demoKeys.ops).get('/v1/ops/quotas').expect(200)).body.quotas as Array<Record<string, any>>;
      expect(near.map((q) => q.scope.vpcId)).toContain(vpc);
    }, 60_000);
    // Its own bound: the waits above (up to 180 + 60 + 60 s on a loaded machine) and 200 requests' answers.
  }, 600_000);
});
