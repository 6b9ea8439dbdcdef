// Integration test of libs/testing: every helper against its real server.
// Run: npx jest --selectProjects integration libs/testing
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { awsCli, freshDatabase, pgQuery, startDns, startKafka, startPostgres, startSns } from '@privatelink/testing';

// The first start on a fresh machine installs packages and fetches jars: minutes, not seconds.
const FIRST_START_MS = 15 * 60_000;

/** Starts a server before the tests of the describe block it is called in; the getter hands them what the start answered. */
function startedBeforeAll<T>(start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, FIRST_START_MS);
  return () => started!;
}

describe('postgres', () => {
  const postgres = startedBeforeAll(startPostgres);

  it('starts idempotently and hands out fresh, empty databases', async () => {
    const { url } = postgres();
    expect(url).toMatch(/^postgres:\/\/privatelink:privatelink@[^/]+\/privatelink$/);
    await expect(startPostgres()).resolves.toEqual({ url });

    const a = await freshDatabase(url, 'infra spec');
    const b = await freshDatabase(url);
    expect(a).not.toEqual(b);
    expect(new URL(a).pathname).toMatch(/^\/pltest_infra_spec_[a-z0-9]+_[0-9a-f]{8}$/);

    const client = new Client({ connectionString: a });
    await client.connect();
    try {
      const one = await client.query('SELECT 1 AS one, current_database() AS db');
      expect(one.rows[0].one).toBe(1);
      expect(one.rows[0].db).toBe(new URL(a).pathname.slice(1));
      const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rows[0].n).toBe(0);
      await client.query('CREATE TABLE t (id int primary key)');
    } finally {
      await client.end();
    }
    // a second connection (the one freshDatabase uses) sees the same database
    await expect(pgQuery(a, 'SELECT count(*)::int AS n FROM t')).resolves.toEqual([{ n: 0 }]);
  });
});

describe('kafka', () => {
  const kafkaServer = startedBeforeAll(startKafka);

  it('produces and consumes a message with kafkajs', async () => {
    const { brokers } = kafkaServer();
    const topic = `infra-spec-${Date.now()}`;
    const kafka = new Kafka({ clientId: 'infra-spec', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'hello kafka' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    try {
      await expect(received).resolves.toBe('hello kafka');
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);
});

describe('dns', () => {
  const dns = startedBeforeAll(startDns);

  it('serves a TXT record as soon as it is set, and NXDOMAIN once removed', async () => {
    const name = `_privatelink-${Date.now()}.svc.example.test`;
    const resolver = dns().resolver();

    await dns().setTxt(name, ['token-123', 'second value']);
    const txt = (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')).sort();
    expect(txt).toEqual(['second value', 'token-123']);

    await dns().setTxt(name, ['replaced']);
    expect((await resolver.resolveTxt(name)).map((c) => c.join(''))).toEqual(['replaced']);

    await dns().removeTxt(name);
    await expect(resolver.resolveTxt(name)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|ENODATA)$/) });
  });

  it('adds a zone at run time and serves its NS records', async () => {
    const zone = `z${Date.now()}.test`;
    await dns().addZone(zone);
    try {
      await dns().setNs(zone, [`ns1.${zone}`, 'ns2.example.test']);
      const ns = (await dns().resolver().resolveNs(zone)).sort();
      expect(ns).toEqual(['ns1.' + zone, 'ns2.example.test'].sort());
    } finally {
      await dns().removeZone(zone);
    }
  });
});

describe('sns (moto)', () => {
  const moto = startedBeforeAll(startSns);

  it('creates a topic and delivers a published message to a subscribed SQS queue', async () => {
    const sns = moto();
    const name = `infra-spec-${Date.now()}`;
    const sdk = optionalRequire('@aws-sdk/client-sns');
    if (sdk) {
      const client = new sdk.SNSClient({ endpoint: sns.endpoint, region: sns.region, credentials: sns.credentials });
      const out = await client.send(new sdk.CreateTopicCommand({ Name: name }));
      expect(out.TopicArn).toMatch(new RegExp(`:${name}$`));
      return;
    }
    // no @aws-sdk in node_modules: the aws CLI from .cache/venv
    const { TopicArn } = (await awsCli(sns, ['sns', 'create-topic', '--name', name])) as { TopicArn: string };
    expect(TopicArn).toMatch(new RegExp(`^arn:aws:sns:${sns.region}:\\d+:${name}$`));
    const { QueueUrl } = (await awsCli(sns, ['sqs', 'create-queue', '--queue-name', name])) as { QueueUrl: string };
    const attrs = (await awsCli(sns, ['sqs', 'get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'QueueArn'])) as {
      Attributes: { QueueArn: string };
    };
    await awsCli(sns, [
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      attrs.Attributes.QueueArn,
      '--attributes',
      'RawMessageDelivery=true',
    ]);
    await awsCli(sns, ['sns', 'publish', '--topic-arn', TopicArn, '--message', 'hello sns']);
    const got = (await awsCli(sns, ['sqs', 'receive-message', '--queue-url', QueueUrl, '--wait-time-seconds', '5'])) as {
      Messages?: Array<{ Body: string }>;
    };
    expect(got.Messages?.map((m) => m.Body)).toEqual(['hello sns']);
  }, 60_000);
});

function optionalRequire(name: string): any {
  try {
    return require(name);
  } catch {
    return undefined;
  }
}
