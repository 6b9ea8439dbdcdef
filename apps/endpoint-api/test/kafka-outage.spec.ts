import request from 'supertest';
import { Host } from '@privatelink/platform';
import { demoKeys, freshDatabase, startKafka, startPostgres, startTestHost, stopKafka, uniqueNamespace, until } from '@privatelink/testing';
import { EndpointApiModule } from '../src/endpoint-api.module';
import { EndpointApiCore } from '../src/endpoint-api.core';

const arn = (n: number) =>
  `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/outage-${n}/${n.toString(16).padStart(16, '0')}`;
const auth = { Authorization: `Bearer ${demoKeys.provider}` };

/**
 * The broker goes away in the middle of a run: writes keep succeeding (they only need Postgres), the relay
 * keeps its outbox rows, and when the broker is back everything is published and projected exactly once.
 */
describe('a Kafka outage in the middle of a run', () => {
  let host: Host;

  beforeAll(async () => {
    const { url } = await startPostgres();
    const { brokers } = await startKafka();
    host = await startTestHost({
      processName: 'endpoint-api-outage',
      services: [EndpointApiModule],
      databaseUrl: await freshDatabase(url, 'outage'),
      brokers,
      namespace: uniqueNamespace('outage'),
    });
  }, 120_000);

  afterAll(async () => {
    await startKafka(); // leave the broker running for the other suites
    await host?.close();
  }, 120_000);

  const register = (n: number) =>
    request(host.app.getHttpServer())
      .post('/v1/provider/load-balancers')
      .set(auth)
      .send({ loadBalancerArn: arn(n), availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }] })
      .expect(201);

  it('the relay catches up after the broker returns, with nothing lost and nothing applied twice', async () => {
    const core = host.app.get(EndpointApiCore);
    const projected = async () => Number((await core.runtime.db.query('SELECT count(*)::int AS n FROM rm_load_balancers'))[0].n);

    for (let n = 1; n <= 20; n++) await register(n);
    await until(async () => (await projected()) === 20);

    await stopKafka();
    for (let n = 21; n <= 40; n++) await register(n); // writes need only Postgres
    const ready = await request(host.app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks['endpoint-api:kafka']).toBe('down');
    expect(await projected()).toBe(20);
    expect(await core.runtime.relay.pending()).toBe(20);

    await startKafka();
    await until(async () => (await projected()) === 40, 90_000);
    await until(async () => (await core.runtime.relay.pending()) === 0, 30_000);

    // Exactly once in effect: each stream's single event applied once, and the applied counter says 40.
    const checkpoints = await core.runtime.db.query(`SELECT stream_version FROM proj_checkpoints WHERE projection = 'load-balancers'`);
    expect(checkpoints).toHaveLength(40);
    expect(checkpoints.every((c: { stream_version: number }) => c.stream_version === 1)).toBe(true);
    const metrics = await request(host.app.getHttpServer()).get('/metrics');
    expect(metrics.text).toMatch(/privatelink_projection_events_applied_total\{projection="load-balancers"\} 40\n/);
    await until(async () => (await request(host.app.getHttpServer()).get('/health/ready')).status === 200, 30_000);
  }, 180_000);
});
