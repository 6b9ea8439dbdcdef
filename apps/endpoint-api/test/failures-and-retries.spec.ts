// Failures and retries against a Postgres of this file's own, stopped and restarted (never the shared one):
// an outage is waited out (nothing dead-lettered), a message that can never pass is dead-lettered, listed
// and replayed once, and HTTP answers 503 with Retry-After while the database is down.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import pino from 'pino';
import { CommandEnvelope, commandTopicFor, MessageEnvelope } from '@privatelink/contracts';
import { DomainError } from '@privatelink/domain';
import { InProcessTransport, processOnce } from '@privatelink/messaging';
import { Host, loadConfig, Metrics, PlatformConfig, ReadinessRegistry, ServiceRuntime } from '@privatelink/platform';
import { demoKeys, OwnInfra, pgQuery, startKafka, startTestHost, uniqueNamespace, until, withDatabase } from '@privatelink/testing';
import { EndpointApiModule } from '../src/endpoint-api.module';

const PROBE = 'outage-probe';
const topic = commandTopicFor(PROBE);
const ops = { Authorization: `Bearer ${demoKeys.ops}` };

function probeCommand(payload: Record<string, unknown> = {}): CommandEnvelope {
  return {
    kind: 'command',
    commandId: randomUUID(),
    targetId: 'probe',
    type: 'probeEffect',
    schemaVersion: 1,
    payload,
    metadata: { principal: 'test', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString() },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface OwnPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** A PostgreSQL server of this file's own (OwnInfra: the infra scripts on another port and folder). */
async function ownPostgres(label: string): Promise<OwnPostgres> {
  const [pgPort, kafkaPort, kafkaControllerPort, motoPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const infra = new OwnInfra({
    dir: join(tmpdir(), `${label}-${randomBytes(4).toString('hex')}`),
    pgPort,
    kafkaPort,
    kafkaControllerPort,
    motoPort,
  });
  await infra.reset();
  const url = await infra.start('postgres');
  return {
    url,
    stop: () => infra.stop('postgres'),
    start: async () => void (await infra.start('postgres')),
    dispose: () => infra.reset(),
  };
}

const headersOf = (c: CommandEnvelope) => ({
  'message-id': c.commandId,
  'message-type': c.type,
  'correlation-id': c.metadata.correlationId,
});

/** A service of the test's own on the real ServiceRuntime: its consumer records one row per command, once. */
async function openProbe(config: PlatformConfig, transport: Host['transport'], metrics: Metrics, readiness: ReadinessRegistry) {
  const runtime = await ServiceRuntime.open({ service: PROBE, config, transport, metrics, readiness, logger: pino({ level: 'silent' }) });
  await runtime.db.query('CREATE TABLE IF NOT EXISTS probe_effects (command_id uuid NOT NULL)');
  const state = {
    rulesFixed: false,
    calls: new Map<string, number>(),
    bystander: new Map<string, number>(),
    onCall: async (_c: CommandEnvelope) => undefined as void,
  };
  runtime.addRawConsumer('effects', [topic], async (message: MessageEnvelope) => {
    const command = message as CommandEnvelope;
    state.calls.set(command.commandId, (state.calls.get(command.commandId) ?? 0) + 1);
    await state.onCall(command);
    if (command.payload.poison && !state.rulesFixed)
      throw new DomainError('InvalidParameterValue', `probe ${command.commandId} breaks a rule it can never pass`);
    await processOnce(runtime.db, `${PROBE}.effects`, command.commandId, (tx) =>
      tx.query('INSERT INTO probe_effects (command_id) VALUES ($1)', [command.commandId]),
    );
  });
  // Another group on the same topic: a replay is meant for the effects group only.
  runtime.addRawConsumer('bystander', [topic], async (message: MessageEnvelope) => {
    const id = (message as CommandEnvelope).commandId;
    state.bystander.set(id, (state.bystander.get(id) ?? 0) + 1);
  });
  const effects = async (commandId: string) =>
    Number((await runtime.db.query('SELECT count(*)::int AS n FROM probe_effects WHERE command_id = $1', [commandId]))[0].n);
  return { runtime, state, effects };
}

describe('failures and retries (Kafka, a Postgres of our own that we stop and restart)', () => {
  let pg: OwnPostgres;
  let host: Host & { config: PlatformConfig };
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let readiness: ReadinessRegistry;

  beforeAll(async () => {
    pg = await ownPostgres('retry-quiet-pg');
    const { brokers } = await startKafka();
    host = await startTestHost({
      processName: 'failures',
      services: [EndpointApiModule],
      databaseUrl: pg.url,
      brokers,
      namespace: uniqueNamespace('failures'),
      env: { PRIVATELINK_CONSUMER_RETRY_MAX_MS: '1000', PRIVATELINK_RETRY_AFTER_SECONDS: '3', PRIVATELINK_DB_POOL_SIZE: '4' },
    });
    readiness = host.app.get(ReadinessRegistry);
    probe = await openProbe(host.config, host.transport, host.metrics, readiness);
    await probe.runtime.start();
  }, 180_000);

  afterAll(async () => {
    await probe?.runtime.stop().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await pg?.dispose();
  }, 60_000);

  const api = () => request(host.app.getHttpServer());

  it('a message whose handler meets a database outage is handled once after the database returns, and nothing is dead-lettered; meanwhile HTTP answers 503 with Retry-After and readiness says why', async () => {
    await pg.stop();
    const command = probeCommand();
    await host.transport.publish([{ topic, key: 'probe', value: command, headers: headersOf(command) }]);
    await until(() => host.transport.pausedConsumers().some((p) => p.groupId === `${PROBE}.effects`), 30_000);

    const during = await api().get('/v1/ops/dead-letters').set(ops);
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('3');
    expect(during.body).toMatchObject({ code: 'ServiceUnavailable', requestId: expect.any(String) });
    const ready = await api().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks[`${PROBE}:consumers`]).toBe('down');

    // Well past the old policy's five tries in 0.75 s, which dead-lettered the message and moved on.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(probe.state.calls.get(command.commandId)).toBeGreaterThan(5);
    await pg.start();

    await until(async () => (await probe.effects(command.commandId).catch(() => 0)) === 1, 60_000);
    await until(() => host.transport.pausedConsumers().length === 0, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await probe.effects(command.commandId)).toBe(1);
    const after = await api().get('/v1/ops/dead-letters').set(ops).expect(200);
    expect(after.body.deadLetters).toEqual([]);
    const retried = (await host.metrics.consumerRetries.get()).values.filter(
      (v) => v.labels.group === `${PROBE}.effects` && v.labels.kind === 'unavailable',
    );
    expect(retried[0]?.value).toBeGreaterThan(0);
    await until(async () => (await api().get('/health/ready')).status === 200, 30_000);
  }, 120_000);

  it('a message that can never pass is dead-lettered after a few tries, listed by the ops route, and replayed once for its consumer group only', async () => {
    const poison = Array.from({ length: 6 }, () => probeCommand({ poison: true }));
    const good = probeCommand();
    // One key: one partition, in order; the good message behind the poison ones is not held up by them.
    await host.transport.publish([...poison, good].map((c) => ({ topic, key: 'probe', value: c, headers: headersOf(c) })));
    await until(async () => (await probe.effects(good.commandId)) === 1, 60_000);

    const first = await api().get('/v1/ops/dead-letters?state=pending&maxResults=5').set(ops).expect(200);
    expect(first.body.deadLetters).toHaveLength(5);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const second = await api()
      .get(`/v1/ops/dead-letters?state=pending&maxResults=5&nextToken=${encodeURIComponent(first.body.nextToken)}`)
      .set(ops)
      .expect(200);
    expect(second.body.deadLetters).toHaveLength(1);
    expect(second.body.nextToken).toBeUndefined();
    const letters = [...first.body.deadLetters, ...second.body.deadLetters];
    expect(letters.map((l: { messageId: string }) => l.messageId)).toEqual(poison.map((c) => c.commandId));
    expect(letters[0]).toEqual({
      deadLetterId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      topic,
      consumerGroup: `${PROBE}.effects`,
      messageKey: 'probe',
      messageId: poison[0].commandId,
      messageType: 'probeEffect',
      error: { name: 'DomainError', message: `probe ${poison[0].commandId} breaks a rule it can never pass` },
      attempts: 3,
      firstFailedAt: expect.any(String),
      lastFailedAt: expect.any(String),
      state: 'pending',
    });
    expect(probe.state.calls.get(poison[0].commandId)).toBe(3);
    const counted = (await host.metrics.deadLetters.get()).values.find((v) => v.labels.topic === topic);
    expect(counted?.value).toBe(6);
    // Another group handled each poison message once, and still will have after the replay.
    expect(probe.state.bystander.get(poison[0].commandId)).toBe(1);

    probe.state.rulesFixed = true;
    const replay = await api().post(`/v1/ops/dead-letters/${letters[0].deadLetterId}:replay`).set(ops).send({}).expect(202);
    expect(replay.body.deadLetter).toMatchObject({
      deadLetterId: letters[0].deadLetterId,
      state: 'replayed',
      replayedAt: expect.any(String),
    });
    await until(async () => (await probe.effects(poison[0].commandId)) === 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await probe.effects(poison[0].commandId)).toBe(1);
    expect(probe.state.bystander.get(poison[0].commandId)).toBe(1);

    const again = await api().post(`/v1/ops/dead-letters/${letters[0].deadLetterId}:replay`).set(ops).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'IncorrectState', field: 'deadLetterId' });
    await api()
      .post(`/v1/ops/dead-letters/${randomUUID()}:replay`)
      .set(ops)
      .send({})
      .expect(404, /InvalidDeadLetterId.NotFound/);
    await api()
      .post('/v1/ops/dead-letters/not-an-id:replay')
      .set(ops)
      .send({})
      .expect(404, /InvalidDeadLetterId.NotFound/);
    const replayed = await api().get('/v1/ops/dead-letters?state=replayed').set(ops).expect(200);
    expect(replayed.body.deadLetters.map((l: { deadLetterId: string }) => l.deadLetterId)).toEqual([letters[0].deadLetterId]);
    const byTopic = await api()
      .get(`/v1/ops/dead-letters?topic=${encodeURIComponent(topic)}`)
      .set(ops)
      .expect(200);
    expect(byTopic.body.deadLetters).toHaveLength(6);
  }, 120_000);

  it('the dead-letter routes are for ops only and refuse malformed queries with the error shape', async () => {
    await api()
      .get('/v1/ops/dead-letters')
      .set({ Authorization: `Bearer ${demoKeys.provider}` })
      .expect(403);
    await api()
      .get('/v1/ops/dead-letters?state=lost')
      .set(ops)
      .expect(400, /InvalidParameterValue/);
    await api()
      .get('/v1/ops/dead-letters?maxResults=2')
      .set(ops)
      .expect(400, /maxResults/);
    await api()
      .get('/v1/ops/dead-letters?nextToken=forged')
      .set(ops)
      .expect(400, /InvalidPaginationToken/);
    const list = await api().get('/v1/ops/dead-letters').set(ops).expect(200);
    await api()
      .post(`/v1/ops/dead-letters/${list.body.deadLetters[1].deadLetterId}:replay`)
      .set(ops)
      .send({ force: true })
      .expect(400, /unknown field/);
  }, 60_000);
});

describe('failures and retries (embedded: in-process transport and the outbox relay)', () => {
  let pg: OwnPostgres;

  beforeAll(async () => {
    pg = await ownPostgres('retry-quiet-embedded-pg');
  }, 120_000);

  afterAll(async () => {
    await pg?.dispose();
  }, 60_000);

  it('a handler whose database goes down mid-delivery makes the relay wait and publish again; the effect happens once and nothing is dead-lettered', async () => {
    await pgQuery(pg.url, 'CREATE DATABASE embedded_probe');
    const config = loadConfig({
      PRIVATELINK_DATABASE_URL: withDatabase(pg.url, 'embedded_probe'),
      PRIVATELINK_TRANSPORT: 'in-process',
      PRIVATELINK_DB_POOL_SIZE: '4',
      PRIVATELINK_CONSUMER_RETRY_MAX_MS: '500',
    });
    const metrics = new Metrics();
    const transport = new InProcessTransport(pino({ level: 'silent' }));
    const probe = await openProbe(config, transport, metrics, new ReadinessRegistry());
    await probe.runtime.start();
    let outages = 0;
    probe.state.onCall = async () => {
      if (outages++ > 0) return;
      await pg.stop(); // the database goes away while the message is being handled
      setTimeout(() => void pg.start(), 3_000);
    };
    try {
      const command = probeCommand();
      await probe.runtime.store.enqueue(topic, command); // through the outbox, as every service sends
      await until(async () => (await probe.effects(command.commandId).catch(() => 0)) === 1, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(await probe.effects(command.commandId)).toBe(1);
      expect(probe.state.calls.get(command.commandId)).toBeGreaterThan(1);
      expect(await probe.runtime.deadLetters.list({ limit: 10 })).toEqual([]);
      expect(transport.deadLetters).toEqual([]);
      expect(await probe.runtime.relay.pending()).toBe(0);
    } finally {
      await probe.runtime.stop();
    }
  }, 120_000);
});
