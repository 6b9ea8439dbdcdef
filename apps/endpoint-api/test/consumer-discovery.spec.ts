import { CONSUMER_ROLE, CONSUMER_ROOT, OTHER_CONSUMER_ROOT, ZONES, demoKeys, eventually, servicePath, useApi } from './support';
import { rebuildProjection } from '@privatelink/projections';
import { discoverableBy } from '../src/projections/queries';

const DISCOVER = '/v1/consumer/endpoint-services';

/**
 * The consumer side: exactly the services the caller may connect to, by its account root, its own user or
 * role ARN, or `*`. This file has its own database, so the expected sets below are the whole truth.
 */
describe('consumer discovery of endpoint services over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('discovery');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const lbAB = await api.registerLb({ zones: [ZONES.a, ZONES.b] });
    const lbC = await api.registerLb({ zones: [ZONES.c] });
    const lbOther = await api.registerLb({ key: demoKeys.otherProvider, account: '999988887777', zones: [ZONES.b] });
    const make = async (
      name: string,
      body: Record<string, unknown>,
      principals: string[],
      key: (typeof demoKeys)[keyof typeof demoKeys] = demoKeys.provider,
    ) => {
      const s = await api.createAvailableService(body, key);
      if (principals.length > 0)
        await api
          .as(key)
          .post(`${servicePath(s.serviceId)}/permissions`, { addAllowedPrincipals: principals })
          .expect(200);
      ids[name] = s.serviceId;
    };
    await make('accountRoot', { networkLoadBalancerArns: [lbAB], privateDnsName: 'api.example.com' }, [CONSUMER_ROOT]);
    await make('roleOnly', { networkLoadBalancerArns: [lbC] }, [CONSUMER_ROLE]);
    await make('everyone', { networkLoadBalancerArns: [lbAB], acceptanceRequired: false }, ['*']);
    await make('otherConsumer', { networkLoadBalancerArns: [lbAB] }, [OTHER_CONSUMER_ROOT]);
    await make('nobody', { networkLoadBalancerArns: [lbC] }, []);
    await make('otherProvider', { networkLoadBalancerArns: [lbOther] }, [CONSUMER_ROOT], demoKeys.otherProvider);
    // Writes are projected through Kafka: wait until the last one is visible to consumers.
    await eventually(async () => {
      const seen = (await api.as(demoKeys.otherConsumer).get(DISCOVER).expect(200)).body.serviceDetails;
      expect(seen).toHaveLength(2);
    });
  }, 120_000);

  const discovered = async (key: (typeof demoKeys)[keyof typeof demoKeys], query = '') =>
    ((await api.as(key).get(`${DISCOVER}${query}`).expect(200)).body.serviceDetails as Array<{ serviceId: string }>)
      .map((s) => s.serviceId)
      .sort();

  it('the account root sees services allowing its account or *, from every provider, and nothing else', async () => {
    await eventually(async () =>
      expect(await discovered(demoKeys.consumer)).toEqual([ids.accountRoot, ids.everyone, ids.otherProvider].sort()),
    );
  });

  it('a role of the account sees those allowing its account, its own role ARN, or *', async () => {
    await eventually(async () =>
      expect(await discovered(demoKeys.consumerRole)).toEqual([ids.accountRoot, ids.roleOnly, ids.everyone, ids.otherProvider].sort()),
    );
  });

  it('another consumer account sees only services allowing it or *', async () => {
    expect(await discovered(demoKeys.otherConsumer)).toEqual([ids.everyone, ids.otherConsumer].sort());
  });

  it('each entry carries owner, type, acceptance, private DNS name and its verification state, IP address types and zone ids', async () => {
    const res = await api.as(demoKeys.consumer).get(`${DISCOVER}?filter.service-id=${ids.accountRoot}`).expect(200);
    expect(res.body.serviceDetails).toEqual([
      {
        serviceId: ids.accountRoot,
        serviceName: `com.amazonaws.vpce.us-east-1.${ids.accountRoot}`,
        serviceType: 'Interface',
        owner: '111122223333',
        availabilityZoneIds: ['use1-az1', 'use1-az2'],
        baseEndpointDnsNames: [`${ids.accountRoot}.us-east-1.vpce.amazonaws.com`],
        acceptanceRequired: true,
        privateDnsName: 'api.example.com',
        privateDnsNameVerificationState: 'pendingVerification',
        supportedIpAddressTypes: ['ipv4'],
      },
    ]);
    const plain = await api.as(demoKeys.consumer).get(`${DISCOVER}?filter.service-id=${ids.everyone}`).expect(200);
    expect(plain.body.serviceDetails[0]).toMatchObject({
      privateDnsName: null,
      privateDnsNameVerificationState: null,
      acceptanceRequired: false,
    });
  });

  it('with the consumer’s zone ids, only services sharing a zone are listed, showing only the shared zones', async () => {
    const res = await api.as(demoKeys.consumerRole).get(`${DISCOVER}?zoneIds=use1-az2,use1-az9`).expect(200);
    const byId = Object.fromEntries(
      res.body.serviceDetails.map((s: { serviceId: string; availabilityZoneIds: string[] }) => [s.serviceId, s.availabilityZoneIds]),
    );
    expect(byId).toEqual({ [ids.accountRoot]: ['use1-az2'], [ids.everyone]: ['use1-az2'], [ids.otherProvider]: ['use1-az2'] });
    const roleZone = await api.as(demoKeys.consumerRole).get(`${DISCOVER}?zoneIds=use1-az3`).expect(200);
    expect(roleZone.body.serviceDetails.map((s: { serviceId: string }) => s.serviceId)).toEqual([ids.roleOnly]);
  });

  it('malformed zone ids and unknown filters are 400s naming the parameter', async () => {
    expect((await api.as(demoKeys.consumer).get(`${DISCOVER}?zoneIds=use1-az1,us-east-1a`).expect(400)).body).toMatchObject({
      field: 'zoneIds[1]',
    });
    expect((await api.as(demoKeys.consumer).get(`${DISCOVER}?filter.service-state=Available`).expect(400)).body.field).toBe(
      'filter.service-state',
    );
  });

  it('filters by owner, service type and service name', async () => {
    expect(await discovered(demoKeys.consumer, '?filter.owner=999988887777')).toEqual([ids.otherProvider]);
    expect(await discovered(demoKeys.consumer, '?filter.service-type=GatewayLoadBalancer')).toEqual([]);
    expect(await discovered(demoKeys.consumer, `?filter.service-name=com.amazonaws.vpce.us-east-1.${ids.everyone}`)).toEqual([
      ids.everyone,
    ]);
  });

  it('removing the principal that matched, or deleting the service, takes it off the consumer’s list', async () => {
    const provider = api.as(demoKeys.provider);
    await provider.del(`${servicePath(ids.accountRoot)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] }).expect(200);
    await eventually(async () => expect(await discovered(demoKeys.consumer)).not.toContain(ids.accountRoot));
    await provider.del(servicePath(ids.everyone)).expect(200);
    await eventually(async () => expect(await discovered(demoKeys.otherConsumer)).toEqual([ids.otherConsumer]));
  });

  it('the list pages with maxResults and nextToken; a token from another consumer is refused', async () => {
    const provider = api.as(demoKeys.provider);
    const lb = await api.registerLb();
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await api.createAvailableService({ networkLoadBalancerArns: [lb] });
      await provider
        .post(`${servicePath(s.serviceId)}/permissions`, { addAllowedPrincipals: ['arn:aws:iam::777788889999:root'] })
        .expect(200);
      made.push(s.serviceId);
    }
    let first: { body: { serviceDetails: Array<{ serviceId: string }>; nextToken?: string } } | undefined;
    await eventually(async () => {
      first = await api.as(demoKeys.otherConsumer).get(`${DISCOVER}?maxResults=5`).expect(200);
      const second = await api
        .as(demoKeys.otherConsumer)
        .get(`${DISCOVER}?maxResults=5&nextToken=${encodeURIComponent(first!.body.nextToken ?? '')}`)
        .expect(200);
      const all = [...first!.body.serviceDetails, ...second.body.serviceDetails].map((s) => s.serviceId);
      expect(all.sort()).toEqual([...made, ids.otherConsumer].sort());
    });
    const foreign = await api
      .as(demoKeys.consumer)
      .get(`${DISCOVER}?maxResults=5&nextToken=${encodeURIComponent(first!.body.nextToken!)}`)
      .expect(400);
    expect(foreign.body.code).toBe('InvalidPaginationToken');
  });

  it('the principal conditions of discovery can be answered from the GIN index on the allowed principals, without a scan', async () => {
    const params: unknown[] = [];
    const [, allowedBy] = discoverableBy({ principal: CONSUMER_ROLE, accountId: '444455556666' }, params);
    const where = [allowedBy];
    const plan = await api.core.runtime.db.transaction(async (tx) => {
      // Tiny test tables make a scan cheapest; forbid it to see the index the query can use.
      await tx.query('SET LOCAL enable_seqscan = off');
      const rows: Array<{ 'QUERY PLAN': string }> = await tx.query(
        `EXPLAIN SELECT id FROM rm_endpoint_services WHERE ${where.join(' AND ')}`,
        params,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/rm_endpoint_services_principals/);
  });

  // Last in this file: it swaps the read model's table (and so the names of its indexes).
  it('a rebuild of the services read model from the event store answers discovery and the public list exactly as before', async () => {
    const keys = [demoKeys.consumer, demoKeys.consumerRole, demoKeys.otherConsumer] as const;
    const publicIds = async () =>
      (
        (await api.as(demoKeys.ops).get('/v1/ops/public-endpoint-services').expect(200)).body.serviceConfigurations as Array<{
          serviceId: string;
        }>
      )
        .map((x) => x.serviceId)
        .sort();
    const before = await Promise.all(keys.map((k) => discovered(k)));
    const publicBefore = await publicIds();
    const result = await rebuildProjection(api.core.runtime.db, api.core.runtime.store, api.core.endpointServices.projection);
    expect(result.rows).toBeGreaterThan(0);
    expect(await Promise.all(keys.map((k) => discovered(k)))).toEqual(before);
    expect(await publicIds()).toEqual(publicBefore);
    const indexes: Array<{ indexdef: string }> = await api.core.runtime.db.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'rm_endpoint_services'`,
    );
    expect(indexes.some((i) => /USING gin .*allowedPrincipals.*jsonb_path_ops/.test(i.indexdef))).toBe(true);
  });
});
