import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@privatelink/contracts';
import { keepInHistory } from '../src/history/history';
import { CONSUMER_ROOT, demoKeys, eventually, servicePath, useApi } from './support';

/**
 * The history routes read every event of a resource's streams (kept by endpoint-api from the topics the
 * services' outbox relays publish), oldest first, with who, when, the correlation id and a summary;
 * tenant rules are those of the resource itself.
 */
describe('resource history from the event store', () => {
  const api = useApi('history');
  let serviceId: string;

  beforeAll(async () => {
    const arn = await api.registerLb();
    serviceId = (await api.createAvailableService({ networkLoadBalancerArns: [arn], acceptanceRequired: true })).serviceId;
    const provider = api.as(demoKeys.provider);
    await provider
      .post(`${servicePath(serviceId)}/permissions`, { addAllowedPrincipals: [CONSUMER_ROOT] })
      .set('x-correlation-id', 'history-allow-1')
      .expect(200);
    await provider.post(`${servicePath(serviceId)}/tags`, { tags: [{ key: 'team', value: 'payments' }] }).expect(200);
    for (let i = 0; i < 4; i++) await provider.patch(servicePath(serviceId), { acceptanceRequired: i % 2 === 1 }).expect(200);
  }, 120_000);

  it('lists every event of the service in stream order with type, time, principal, correlation id and a summary', async () => {
    let events: Array<Record<string, unknown>> = [];
    await eventually(async () => {
      const res = await api
        .as(demoKeys.provider)
        .get(`${servicePath(serviceId)}/history`)
        .expect(200);
      events = res.body.events;
      expect(events.length).toBeGreaterThanOrEqual(8);
    });
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({
      type: 'endpointServiceCreated',
      principal: 'arn:aws:iam::111122223333:root',
      streamId: `endpoint-service-${serviceId}`,
    });
    expect(events[0].summary).toMatch(/^service created \(Interface, acceptance required\)$/);
    const allowed = events.find((e) => e.type === 'endpointServicePrincipalsAllowed')!;
    expect(allowed).toMatchObject({ correlationId: 'history-allow-1', summary: `principals allowed: ${CONSUMER_ROOT}` });
    for (const e of events) expect(Date.parse(e.occurredAt as string)).not.toBeNaN();
    const times = events.map((e) => Date.parse(e.occurredAt as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps a batch of events in one statement, each once: a copy inside the batch or one already kept adds nothing', async () => {
    const stored: EventEnvelope[] = (
      await api.core.runtime.db.query(
        `SELECT event_id AS "eventId", stream_id AS "streamId", stream_version AS "streamVersion", type, payload,
                json_build_object('occurredAt', occurred_at, 'principal', principal, 'correlationId', correlation_id) AS metadata
         FROM api_history WHERE resource_id = $1 ORDER BY stream_version`,
        [serviceId],
      )
    ).map((e: EventEnvelope) => ({ ...e, kind: 'event' }));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const fresh = (n: number): EventEnvelope => ({
      ...stored[0],
      eventId: randomUUID(),
      streamId: `endpoint-service-vpce-svc-batch${serviceId.slice(-8)}`,
      streamVersion: n,
    });
    const batch = [fresh(1), stored[0], fresh(2), stored[1]];
    await keepInHistory(api.core.runtime, [...batch, batch[0]]);
    const rows: Array<{ stream_version: number }> = await api.core.runtime.db.query(
      `SELECT stream_version FROM api_history WHERE stream_id = $1 ORDER BY stream_version`,
      [batch[0].streamId],
    );
    expect(rows.map((r) => r.stream_version)).toEqual([1, 2]);
    const all: Array<{ n: number }> = await api.core.runtime.db.query(`SELECT count(*)::int AS n FROM api_history WHERE resource_id = $1`, [
      serviceId,
    ]);
    expect(all[0].n).toBe(stored.length);
  });

  it('pages through the history with nextToken, each event once, in the same order', async () => {
    const all = (await api.as(demoKeys.ops).get(`/v1/ops/history/${serviceId}?maxResults=1000`).expect(200)).body.events as Array<{
      eventId: string;
    }>;
    const paged: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await api
        .as(demoKeys.ops)
        .get(`/v1/ops/history/${serviceId}?maxResults=5${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`)
        .expect(200);
      paged.push(...res.body.events.map((e: { eventId: string }) => e.eventId));
      token = res.body.nextToken;
      pages += 1;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(paged).toEqual(all.map((e) => e.eventId));
  });

  it('keeps tenants apart: another provider gets 404 as for the service itself, a consumer may not call it, ops sees any', async () => {
    const other = await api
      .as(demoKeys.otherProvider)
      .get(`${servicePath(serviceId)}/history`)
      .expect(404);
    expect(other.body.code).toBe('InvalidVpcEndpointServiceId.NotFound');
    await api
      .as(demoKeys.consumer)
      .get(`${servicePath(serviceId)}/history`)
      .expect(403);
    await api.as(demoKeys.provider).get(`/v1/ops/history/${serviceId}`).expect(403);
    await api
      .as(demoKeys.ops)
      .get(`${servicePath(serviceId)}/history`)
      .expect(200);
  });

  it('answers unknown resources with 404 and bad parameters with 400 in the error shape', async () => {
    const unknown = await api.as(demoKeys.ops).get('/v1/ops/history/vpce-svc-0000000000000dead').expect(404);
    expect(unknown.body).toMatchObject({ code: 'InvalidResourceId.NotFound' });
    await api.as(demoKeys.provider).get('/v1/provider/endpoint-services/vpce-svc-0000000000000dead/history').expect(404);
    const badId = await api.as(demoKeys.provider).get('/v1/provider/endpoint-services/not-a-service/history').expect(400);
    expect(badId.body.code).toBe('InvalidParameterValue');
    const badToken = await api
      .as(demoKeys.provider)
      .get(`${servicePath(serviceId)}/history?nextToken=forged.token`)
      .expect(400);
    expect(badToken.body.code).toBe('InvalidPaginationToken');
    await api
      .as(demoKeys.provider)
      .get(`${servicePath(serviceId)}/history?maxResults=0`)
      .expect(400);
    await api.as(demoKeys.consumer).get('/v1/consumer/endpoints/vpce-0123456789abcdef0/history').expect(404);
  });
});
