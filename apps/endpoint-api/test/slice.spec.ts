import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { Host } from '@privatelink/platform';
import { demoKeys, eventually, freshDatabase, startKafka, startPostgres, startTestHost, uniqueNamespace } from '@privatelink/testing';
import { EndpointApiModule } from '../src/endpoint-api.module';

const nlbArn = (n: number) =>
  `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb-${n}/${String(n).padStart(16, 'a')}`;
const zones = [
  { zoneName: 'us-east-1a', zoneId: 'use1-az1' },
  { zoneName: 'us-east-1b', zoneId: 'use1-az2' },
];
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

/**
 * The vertical slice through real Postgres and a real Kafka broker: endpoint-api runs as two separate Nest
 * applications on one database (two replicas); one takes the writes, the other serves the reads from its
 * projection, which only Kafka can have fed.
 */
describe('the endpoint-api slice: HTTP → event store → outbox → Kafka → projection → HTTP', () => {
  let writer: Host;
  let reader: Host;
  let brokers: string[];
  let namespace: string;

  beforeAll(async () => {
    const { url } = await startPostgres();
    ({ brokers } = await startKafka());
    const databaseUrl = await freshDatabase(url, 'slice');
    namespace = uniqueNamespace('slice');
    writer = await startTestHost({ processName: 'endpoint-api-writer', services: [EndpointApiModule], databaseUrl, brokers, namespace });
    reader = await startTestHost({ processName: 'endpoint-api-reader', services: [EndpointApiModule], databaseUrl, brokers, namespace });
  }, 120_000);

  afterAll(async () => {
    await writer?.close();
    await reader?.close();
  });

  it('registers a load balancer, creates a service, and the other application reads both through Kafka', async () => {
    const lb = await request(writer.app.getHttpServer())
      .post('/v1/provider/load-balancers')
      .set(auth(demoKeys.provider))
      .send({ loadBalancerArn: nlbArn(1), availabilityZones: zones, tags: [{ key: 'team', value: 'edge' }] })
      .expect(201);
    expect(lb.body.loadBalancer).toMatchObject({ loadBalancerType: 'network', state: 'registered', ownerId: '111122223333' });

    const created = await request(writer.app.getHttpServer())
      .post('/v1/provider/endpoint-services')
      .set(auth(demoKeys.provider))
      .send({ networkLoadBalancerArns: [nlbArn(1)], acceptanceRequired: true, tags: [{ key: 'env', value: 'test' }] })
      .expect(201);
    const service = created.body.serviceConfiguration;
    expect(service.serviceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(service.serviceName).toBe(`com.amazonaws.vpce.us-east-1.${service.serviceId}`);
    expect(service).toMatchObject({
      serviceType: 'Interface',
      serviceState: 'Pending',
      acceptanceRequired: true,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      availabilityZoneIds: ['use1-az1', 'use1-az2'],
      baseEndpointDnsNames: [`${service.serviceId}.us-east-1.vpce.amazonaws.com`],
    });
    const token = created.headers['x-consistency-token'];
    expect(token).toBe(`endpoint-service-${service.serviceId}@1`);

    // Read-your-writes on the other application: it waits until its projection has the write.
    const read = await request(reader.app.getHttpServer())
      .get(`/v1/provider/endpoint-services/${service.serviceId}`)
      .set(auth(demoKeys.provider))
      .set('x-consistency-token', token)
      .expect(200);
    expect(read.headers['x-consistency']).toBe('consistent');
    expect(read.body.serviceConfiguration.serviceId).toBe(service.serviceId);

    // The activation reaction (a consumer of the service's own events) makes it Available.
    await eventually(async () => {
      const res = await request(reader.app.getHttpServer())
        .get(`/v1/provider/endpoint-services/${service.serviceId}`)
        .set(auth(demoKeys.provider))
        .set('x-consistency-token', `endpoint-service-${service.serviceId}@2`);
      expect(res.body.serviceConfiguration.serviceState).toBe('Available');
    });

    const list = await request(reader.app.getHttpServer()).get('/v1/provider/endpoint-services').set(auth(demoKeys.provider)).expect(200);
    expect(list.body.serviceConfigurations.map((s: { serviceId: string }) => s.serviceId)).toContain(service.serviceId);
    const lbRead = await request(reader.app.getHttpServer())
      .get(`/v1/provider/load-balancers/${encodeURIComponent(nlbArn(1))}`)
      .set(auth(demoKeys.provider))
      .set('x-consistency-token', `load-balancer-${nlbArn(1)}@2`)
      .expect(200);
    expect(lbRead.body.loadBalancer.usedByServiceIds).toEqual([service.serviceId]);
  });

  it('publishes the events to Kafka keyed by aggregate id, with the whole envelope', async () => {
    const kafka = new Kafka({ brokers, clientId: 'slice-reader', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${namespace}.raw-reader`, maxWaitTimeInMs: 20 });
    await consumer.connect();
    await consumer.subscribe({ topic: `${namespace}.privatelink.endpoint-service.events`, fromBeginning: true });
    const seen: Array<{ key: string; value: Record<string, unknown> }> = [];
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) }),
    });
    await eventually(async () => expect(seen.length).toBeGreaterThanOrEqual(2));
    await consumer.disconnect();
    const created = seen.find((m) => m.value.type === 'endpointServiceCreated')!;
    expect(created.key).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(created.value).toMatchObject({ kind: 'event', streamId: `endpoint-service-${created.key}`, streamVersion: 1, schemaVersion: 1 });
    expect(created.value.metadata).toMatchObject({ principal: 'arn:aws:iam::111122223333:root' });
  });

  it('answers /health/ready only when Postgres and Kafka both work and no consumer waits for them, and serves metrics and the API document', async () => {
    const ready = await request(writer.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ 'endpoint-api:postgres': 'up', 'endpoint-api:kafka': 'up', 'endpoint-api:consumers': 'up' });
    await request(writer.app.getHttpServer()).get('/health/live').expect(200);
    const metrics = await request(writer.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/privatelink_events_appended_total\{service="endpoint-api",type="endpointServiceCreated"\} 1/);
    const doc = await request(writer.app.getHttpServer()).get('/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/provider/load-balancers',
        '/v1/provider/endpoint-services',
        '/v1/provider/endpoint-services/{serviceId}',
      ]),
    );
    await request(writer.app.getHttpServer()).get('/docs').expect(200);
  });
});
