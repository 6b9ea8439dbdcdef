import pino from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, IncomingMessage } from '@privatelink/contracts';
import { openServiceDatabase } from '@privatelink/eventstore';
import { KafkaTransport, processOnce } from '@privatelink/messaging';
import { freshDatabase, startKafka, startPostgres, uniqueNamespace, until } from '@privatelink/testing';

const logger = pino({ level: 'silent' });
const topic = 'privatelink.endpoint-service.events';

function envelope(n: number, type = 'thing'): EventEnvelope {
  return {
    kind: 'event',
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    streamId: `endpoint-service-vpce-svc-${String(n % 3).padStart(17, '0')}`,
    streamVersion: n,
    position: String(n),
    type,
    schemaVersion: 1,
    payload: { n },
    metadata: { principal: 'p', correlationId: 'c', causationId: null, occurredAt: new Date().toISOString() },
  };
}

describe('the Kafka transport', () => {
  let brokers: string[];
  let transport: KafkaTransport;
  let namespace: string;

  beforeAll(async () => {
    ({ brokers } = await startKafka());
    namespace = uniqueNamespace('transport');
    transport = new KafkaTransport({ brokers, clientId: 'transport-test', namespace, logger });
  });

  afterAll(() => transport?.close());

  it('delivers each message to every consumer group, in order per key', async () => {
    const a: number[] = [];
    const b: number[] = [];
    const subA = await transport.subscribe({
      groupId: 'group-a',
      topics: [topic],
      handler: async (m) => void a.push((m.value as EventEnvelope).streamVersion),
    });
    const subB = await transport.subscribe({
      groupId: 'group-b',
      topics: [topic],
      handler: async (m) => void b.push((m.value as EventEnvelope).streamVersion),
    });
    const messages = Array.from({ length: 30 }, (_, i) => envelope(i + 1)).map((value) => ({ topic, key: value.streamId, value }));
    await transport.publish(messages);
    await until(() => a.length === 30 && b.length === 30);
    for (const seen of [a, b]) {
      for (const k of [0, 1, 2]) {
        const ofKey = seen.filter((n) => n % 3 === k);
        expect(ofKey).toEqual([...ofKey].sort((x, y) => x - y));
      }
    }
    await subA.close();
    await subB.close();
  });

  it('sends a message that keeps failing to the dead-letter topic with the error, and goes on with the next', async () => {
    const handled: number[] = [];
    let attempts = 0;
    const sub = await transport.subscribe({
      groupId: 'poison',
      topics: [topic],
      maxAttempts: 3,
      fromBeginning: false,
      handler: async (m: IncomingMessage) => {
        const n = (m.value as EventEnvelope).streamVersion;
        if ((m.value as EventEnvelope).type === 'poison') {
          attempts++;
          throw new Error(`cannot handle message ${n}`);
        }
        handled.push(n);
      },
    });
    // A raw client reads the dead-letter topic, as an operator would.
    const kafka = new Kafka({ brokers, clientId: 'dlq-reader', logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `${namespace}.dlq-reader`, maxWaitTimeInMs: 20 });
    await reader.connect();
    await reader.subscribe({ topic: `${namespace}.${topic}.dead-letter`, fromBeginning: true });
    const dead: Array<{ value: string; error: string }> = [];
    await reader.run({
      eachMessage: async ({ message }) =>
        void dead.push({ value: message.value!.toString(), error: message.headers!['dead-letter-error']!.toString() }),
    });
    await new Promise((r) => setTimeout(r, 1_500)); // let both consumers join before publishing
    await transport.publish([
      { topic, key: 'k', value: envelope(1001, 'poison') },
      { topic, key: 'k', value: envelope(1002) },
    ]);
    await until(() => handled.includes(1002) && dead.length === 1, 30_000);
    expect(attempts).toBe(3);
    expect(JSON.parse(dead[0].value).streamVersion).toBe(1001);
    expect(dead[0].error).toBe('cannot handle message 1001');
    await reader.disconnect();
    await sub.close();
  });

  it('a batch handler takes what a partition has waiting in one call, in order; a failing batch is handled message by message', async () => {
    const batchTopic = 'privatelink.batch-test.events';
    const batches: number[][] = [];
    const one: number[] = [];
    const handlerOf = (m: IncomingMessage) => {
      const n = (m.value as EventEnvelope).streamVersion;
      if ((m.value as EventEnvelope).type === 'poison') throw new Error(`cannot handle message ${n}`);
      return n;
    };
    // Published before the group exists, so the first fetch finds a backlog.
    const first = Array.from({ length: 40 }, (_, i) => envelope(2001 + i)).map((value) => ({ topic: batchTopic, key: 'batched', value }));
    await transport.publish(first);
    const sub = await transport.subscribe({
      groupId: 'batched',
      topics: [batchTopic],
      maxAttempts: 2,
      handler: async (m) => void one.push(handlerOf(m)),
      batchHandler: async (ms) => void batches.push(ms.map(handlerOf)),
    });
    await until(() => [...batches.flat(), ...one].filter((n) => n > 2000).length >= 40, 30_000);
    const seen = [...batches.flat(), ...one].filter((n) => n > 2000 && n < 3000);
    expect(seen).toEqual(first.map((m) => m.value.streamVersion));
    expect(batches.some((b) => b.length > 1)).toBe(true);
    // A poison message in a batch: the batch fails, its messages go one at a time, only the poison one is dead-lettered.
    const batchedBefore = batches.flat().length;
    await transport.publish([
      { topic: batchTopic, key: 'batched', value: envelope(3001) },
      { topic: batchTopic, key: 'batched', value: envelope(3002, 'poison') },
      { topic: batchTopic, key: 'batched', value: envelope(3003) },
    ]);
    await until(() => one.includes(3003) || batches.flat().includes(3003), 30_000);
    const after = [...batches.flat().slice(batchedBefore), ...one].filter((n) => n > 3000);
    expect(after.sort()).toEqual([3001, 3003]);
    await sub.close();
  });

  it('reports itself healthy while the broker answers', async () => {
    expect(await transport.isHealthy()).toBe(true);
    const unreachable = new KafkaTransport({ brokers: ['127.0.0.1:1'], clientId: 'nobody', logger });
    expect(await unreachable.isHealthy()).toBe(false);
    await unreachable.close();
  });
});

describe('idempotent consumers', () => {
  let db: DataSource;

  beforeAll(async () => {
    const { url } = await startPostgres();
    db = await openServiceDatabase({ url: await freshDatabase(url, 'idempotent'), schema: 'idempotent_test' });
    await db.query('CREATE TABLE effects (id serial PRIMARY KEY, message_id text NOT NULL)');
  });

  afterAll(() => db?.destroy());

  it('a redelivered message has its effect once', async () => {
    const effect = (id: string) => processOnce(db, 'g', id, (tx) => tx.query('INSERT INTO effects (message_id) VALUES ($1)', [id]));
    expect(await effect('m-1')).toBe(true);
    expect(await effect('m-1')).toBe(false);
    expect(await Promise.all([effect('m-2'), effect('m-2'), effect('m-2')]).then((r) => r.filter(Boolean).length)).toBe(1);
    expect((await db.query('SELECT message_id FROM effects ORDER BY id')).map((r: { message_id: string }) => r.message_id)).toEqual([
      'm-1',
      'm-2',
    ]);
  });

  it('an effect that fails records nothing, so the retry runs it again', async () => {
    await expect(processOnce(db, 'g', 'm-3', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await processOnce(db, 'g', 'm-3', (tx) => tx.query('INSERT INTO effects (message_id) VALUES ($1)', ['m-3']))).toBe(true);
  });
});
