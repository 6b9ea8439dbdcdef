import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import { EventEnvelope, eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { KafkaTransport } from '@privatelink/messaging';
import { Host, PlatformConfig } from '@privatelink/platform';
import {
  demoKeys,
  freshDatabase,
  pauseSns,
  resumeSns,
  SnsInfo,
  snsEnv,
  startKafka,
  startPostgres,
  startSns,
  startTestHost,
  uniqueNamespace,
  until,
} from '@privatelink/testing';
import { EndpointApiModule } from '../../endpoint-api/src/endpoint-api.module';
import { NotifierModule } from '../src/notifier.service';
import { NotifierCore } from '../src/notifier.service';
import { DeliveryWorker, Publisher } from '../src/delivery/delivery-worker';
import { SnsPublisher } from '../src/sns/sns-publisher';
import { TopicWithQueue } from './support';

type TestHost = Host & { config: PlatformConfig };
/** How connection-broker marks its transitions (see EndpointConnectionEvent in libs/domain). */
const NOTICE: Record<string, string> = {
  connectionRequested: 'Connect',
  connectionAccepted: 'Accept',
  connectionRejected: 'Reject',
  connectionDeleted: 'Delete',
};
const provider = { Authorization: `Bearer ${demoKeys.provider}` };
const ops = { Authorization: `Bearer ${demoKeys.ops}` };

/**
 * Connection notifications end to end on real servers: endpoint-api (configurations) and notifier (delivery)
 * as separate applications, Kafka between them, moto's SNS with an SQS queue subscribed to read messages back.
 * Connection events enter Kafka as connection-broker publishes them.
 */
describe('connection notifications through SNS', () => {
  let api: TestHost;
  let notifier: TestHost;
  let sns: SnsInfo;
  let producer: KafkaTransport;
  let serviceId: string;
  let databaseUrl: string;
  let namespace: string;
  let brokers: string[];
  const versions = new Map<string, number>();

  const notifierEnv = () => ({
    ...snsEnv(sns),
    PRIVATELINK_NOTIFY_BASE_DELAY_MS: '200',
    PRIVATELINK_NOTIFY_MAX_DELAY_MS: '1000',
    PRIVATELINK_NOTIFY_MAX_ATTEMPTS: '30',
    PRIVATELINK_NOTIFY_POLL_MS: '20',
  });
  const startNotifier = () =>
    startTestHost({ processName: 'notifier', services: [NotifierModule], databaseUrl, brokers, namespace, env: notifierEnv() });

  beforeAll(async () => {
    const { url } = await startPostgres();
    ({ brokers } = await startKafka());
    sns = await startSns();
    databaseUrl = await freshDatabase(url, 'notifier');
    namespace = uniqueNamespace('notifier');
    api = await startTestHost({
      processName: 'endpoint-api',
      services: [EndpointApiModule],
      databaseUrl,
      brokers,
      namespace,
      env: { PRIVATELINK_READ_WAIT_MS: '15000' },
    });
    notifier = await startNotifier();
    producer = new KafkaTransport({ brokers, clientId: 'connection-events', namespace, logger: pino({ level: 'silent' }) });
    const arn = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/notify/${randomBytes(8).toString('hex')}`;
    await request(api.app.getHttpServer())
      .post('/v1/provider/load-balancers')
      .set(provider)
      .send({ loadBalancerArn: arn, availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }] })
      .expect(201);
    const created = await request(api.app.getHttpServer())
      .post('/v1/provider/endpoint-services')
      .set(provider)
      .send({ networkLoadBalancerArns: [arn] })
      .expect(201);
    serviceId = created.body.serviceConfiguration.serviceId;
  }, 180_000);

  afterAll(async () => {
    resumeSnsQuietly();
    await producer?.close();
    await notifier?.close();
    await api?.close();
  });

  /** A connection event as connection-broker writes it. */
  async function connectionEvent(vpcEndpointId: string, type: string, before: string | null, after: string): Promise<EventEnvelope> {
    const version = (versions.get(vpcEndpointId) ?? 0) + 1;
    versions.set(vpcEndpointId, version);
    const event: EventEnvelope = {
      kind: 'event',
      eventId: randomUUID(),
      streamId: `endpoint-connection-${vpcEndpointId}`,
      streamVersion: version,
      position: String(Date.now()),
      type,
      schemaVersion: 1,
      payload: {
        type,
        vpcEndpointId,
        serviceId,
        vpcEndpointOwner: '444455556666',
        stateBefore: before,
        stateAfter: after,
        connectionEvent: NOTICE[type],
      },
      metadata: {
        principal: 'arn:aws:iam::444455556666:root',
        correlationId: 'c',
        causationId: null,
        occurredAt: new Date().toISOString(),
      },
    };
    await producer.publish([{ topic: eventTopicFor(streamFamilies.endpointConnection), key: vpcEndpointId, value: event }]);
    return event;
  }

  async function createNotification(topicArn: string, events: string[]): Promise<string> {
    const res = await request(api.app.getHttpServer())
      .post(`/v1/provider/endpoint-services/${serviceId}/notifications`)
      .set(provider)
      .send({ connectionNotificationArn: topicArn, connectionEvents: events })
      .expect(201);
    await waitForTargets(res.body.connectionNotification.connectionNotificationId);
    return res.body.connectionNotification.connectionNotificationId;
  }

  /** notifier learns of a configuration through Kafka; a test waits until it has. */
  async function waitForTargets(id: string, check: (doc: Record<string, unknown> | undefined) => boolean = (d) => d !== undefined) {
    const core = notifier.app.get((await import('../src/notifier.service')).NotifierCore);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await core.runtime.db.query(`SELECT doc FROM rm_notification_targets WHERE id = $1`, [id]);
      if (check(rows[0]?.doc)) return;
      if (Date.now() > deadline) throw new Error(`notifier never saw notification ${id}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const vpce = () => `vpce-${randomBytes(9).toString('hex').slice(0, 17)}`;

  it('every event type of a service-scoped notification arrives with the documented body and attributes', async () => {
    const topic = await TopicWithQueue.create(sns);
    await createNotification(topic.topicArn, ['Connect', 'Accept', 'Reject', 'Delete']);
    const id = vpce();
    const e1 = await connectionEvent(id, 'connectionRequested', null, 'pendingAcceptance');
    await connectionEvent(id, 'connectionAccepted', 'pendingAcceptance', 'available');
    await connectionEvent(id, 'connectionRejected', 'available', 'rejected');
    await connectionEvent(id, 'connectionDeleted', 'rejected', 'deleted');
    const got = await topic.receive(4);
    expect(got.map((m) => m.body.connectionEvent)).toEqual(['Connect', 'Accept', 'Reject', 'Delete']);
    expect(got[0].body).toEqual({
      eventId: e1.eventId,
      connectionEvent: 'Connect',
      connectionNotificationId: expect.stringMatching(/^vpce-nfn-[0-9a-f]{17}$/),
      connectionNotificationArn: topic.topicArn,
      vpcEndpointId: id,
      serviceId,
      vpcEndpointOwner: '444455556666',
      vpcEndpointStateBefore: null,
      vpcEndpointStateAfter: 'pendingAcceptance',
      time: e1.metadata.occurredAt,
    });
    expect(got[0].attributes).toMatchObject({ eventType: 'Connect', serviceId });
    topic.close();
  });

  it('a notification gets only the events it names, and a modify or delete takes effect', async () => {
    const topic = await TopicWithQueue.create(sns);
    const nfn = await createNotification(topic.topicArn, ['Accept']);
    const id = vpce();
    await connectionEvent(id, 'connectionRequested', null, 'pendingAcceptance');
    await connectionEvent(id, 'connectionAccepted', 'pendingAcceptance', 'available');
    expect((await topic.receive(1)).map((m) => m.body.connectionEvent)).toEqual(['Accept']);

    await request(api.app.getHttpServer())
      .patch(`/v1/provider/notifications/${nfn}`)
      .set(provider)
      .send({ connectionEvents: ['Reject'] })
      .expect(200);
    await waitForTargets(nfn, (d) => JSON.stringify(d?.connectionEvents) === '["Reject"]');
    await connectionEvent(id, 'connectionRejected', 'available', 'rejected');
    expect((await topic.receive(1)).map((m) => m.body.connectionEvent)).toEqual(['Reject']);

    const del = await request(api.app.getHttpServer())
      .post('/v1/provider/notifications:delete')
      .set(provider)
      .send({ connectionNotificationIds: [nfn, 'vpce-nfn-00000000000000000'] })
      .expect(200);
    expect(del.body.unsuccessful).toEqual([
      { resourceId: 'vpce-nfn-00000000000000000', error: expect.objectContaining({ code: 'InvalidConnectionNotificationId.NotFound' }) },
    ]);
    await waitForTargets(nfn, (d) => d === undefined);
    await connectionEvent(id, 'connectionDeleted', 'rejected', 'deleted');
    expect(await topic.receive(1, 3_000)).toEqual([]);
    topic.close();
  });

  it('bad configurations are refused naming the field, and another provider’s service is not found', async () => {
    const post = (body: unknown, key: string = demoKeys.provider) =>
      request(api.app.getHttpServer())
        .post(`/v1/provider/endpoint-services/${serviceId}/notifications`)
        .set({ Authorization: `Bearer ${key}` })
        .send(body as object);
    const topicArn = 'arn:aws:sns:us-east-1:111122223333:fine';
    expect(
      (await post({ connectionNotificationArn: 'arn:aws:sqs:us-east-1:111122223333:q', connectionEvents: ['Connect'] }).expect(400)).body
        .field,
    ).toBe('connectionNotificationArn');
    expect((await post({ connectionNotificationArn: 'not-an-arn', connectionEvents: ['Connect'] }).expect(400)).body.field).toBe(
      'connectionNotificationArn',
    );
    expect((await post({ connectionNotificationArn: topicArn, connectionEvents: [] }).expect(400)).body.field).toBe('connectionEvents');
    expect((await post({ connectionNotificationArn: topicArn, connectionEvents: ['Connected'] }).expect(400)).body.field).toBe(
      'connectionEvents[0]',
    );
    expect((await post({ connectionNotificationArn: topicArn, connectionEvents: ['Accept', 'Accept'] }).expect(400)).body.field).toBe(
      'connectionEvents[1]',
    );
    expect((await post({ connectionNotificationArn: topicArn }).expect(400)).body.field).toBe('connectionEvents');
    expect(
      (await post({ connectionNotificationArn: topicArn, connectionEvents: ['Connect'] }, demoKeys.otherProvider).expect(404)).body.code,
    ).toBe('InvalidVpcEndpointServiceId.NotFound');
    await request(api.app.getHttpServer())
      .post(`/v1/provider/endpoint-services/${serviceId}/notifications`)
      .set({ Authorization: `Bearer ${demoKeys.consumer}` })
      .send({ connectionNotificationArn: topicArn, connectionEvents: ['Connect'] })
      .expect(403);
    const other = await request(api.app.getHttpServer())
      .patch('/v1/provider/notifications/vpce-nfn-0123456789abcdef0')
      .set(provider)
      .send({ connectionEvents: ['Accept'] })
      .expect(404);
    expect(other.body.code).toBe('InvalidConnectionNotificationId.NotFound');
  });

  it('a FIFO topic gets the event id as its deduplication id and the endpoint as its message group', async () => {
    const topic = await TopicWithQueue.create(sns, `pl-${randomBytes(4).toString('hex')}.fifo`);
    await createNotification(topic.topicArn, ['Connect']);
    const id = vpce();
    const e = await connectionEvent(id, 'connectionRequested', null, 'pendingAcceptance');
    const got = await topic.receive(1);
    expect(got[0].body).toMatchObject({ eventId: e.eventId, vpcEndpointId: id });
    topic.close();
  });

  it('a topic that does not exist is a visible failed delivery with the reason, and ops can re-drive it', async () => {
    const missing = `arn:aws:sns:us-east-1:123456789012:does-not-exist-${randomBytes(3).toString('hex')}`;
    const nfn = await createNotification(missing, ['Connect']);
    await connectionEvent(vpce(), 'connectionRequested', null, 'pendingAcceptance');
    let failed: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 20_000;
    while (failed.length === 0 && Date.now() < deadline) {
      const res = await request(api.app.getHttpServer()).get('/v1/ops/notification-deliveries?state=failed').set(ops).expect(200);
      failed = res.body.deliveries.filter((d: { connectionNotificationId: string }) => d.connectionNotificationId === nfn);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringMatching(/NotFound/) });
    const redriven = await request(api.app.getHttpServer())
      .post(`/v1/ops/notification-deliveries/${failed[0].deliveryId}:redrive`)
      .set(ops)
      .expect(200);
    expect(redriven.body).toMatchObject({ state: 'pending' });
    // The provider cannot re-drive; only ops.
    await request(api.app.getHttpServer())
      .post(`/v1/ops/notification-deliveries/${failed[0].deliveryId}:redrive`)
      .set(provider)
      .expect(403);
  });

  it('while SNS does not answer deliveries retry, and then all arrive, in order per endpoint, even across a notifier restart', async () => {
    const topic = await TopicWithQueue.create(sns);
    await createNotification(topic.topicArn, ['Connect', 'Accept', 'Reject', 'Delete']);
    const endpoints = [vpce(), vpce(), vpce()];
    pauseSns();
    try {
      for (const id of endpoints) {
        await connectionEvent(id, 'connectionRequested', null, 'pendingAcceptance');
        await connectionEvent(id, 'connectionAccepted', 'pendingAcceptance', 'available');
        await connectionEvent(id, 'connectionRejected', 'available', 'rejected');
      }
      await new Promise((r) => setTimeout(r, 6_000)); // publishes hang on the stopped server
      // notifier dies in the middle of delivering, and a new one takes over.
      await notifier.close();
      notifier = await startNotifier();
    } finally {
      resumeSns();
    }
    // Until every (endpoint, event) arrived: duplicates (at least once) do not count twice.
    const got = await topic.receive(9, 60_000, (m) => new Set(m.map((x) => `${x.body.vpcEndpointId}/${x.body.connectionEvent}`)).size >= 9);
    for (const id of endpoints) {
      const mine = got.filter((m) => m.body.vpcEndpointId === id);
      // Sent in event order: the first arrival of each event keeps it.
      expect([...new Set(mine.map((m) => m.body.connectionEvent))]).toEqual(['Connect', 'Accept', 'Reject']);
      // At least once: a publish that timed out against the stopped server (or that a killed notifier made
      // but had not recorded) can still land later, even after the next event. Such a copy carries the
      // original's event id, which is what subscribers (and FIFO topics) de-duplicate on.
      const firstIdOf = new Map<string, unknown>();
      for (const m of mine) {
        const event = m.body.connectionEvent as string;
        if (!firstIdOf.has(event)) firstIdOf.set(event, m.body.eventId);
        expect(m.body.eventId).toBe(firstIdOf.get(event));
      }
    }
    topic.close();
  }, 120_000);

  it('a delivery whose publish is still in flight keeps its claim past the lease, so another notifier does not send it twice', async () => {
    const core = notifier.app.get(NotifierCore);
    await core.worker.stop(); // the host's own worker stays out of the way; two workers of our own share its database
    const publisher = new SnsPublisher(notifier.config.sns);
    const policy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };
    const quiet = pino({ level: 'silent' });
    let releaseA!: () => void;
    const gate = new Promise<void>((resolve) => (releaseA = resolve));
    const calls = { a: 0, b: 0 };
    // A's publish of this test's delivery hangs (as on a stuck SNS) until released; its clock is moved on while it waits.
    let aAheadMs = 0;
    // Only this test's delivery counts: earlier tests' deliveries, and their notifications of the same
    // service (other topics), may come due on either worker.
    const endpoint = vpce();
    const topic = await TopicWithQueue.create(sns);
    const mine = (m: { groupId?: string; topicArn: string }) => (m.groupId === endpoint && m.topicArn === topic.topicArn ? 1 : 0);
    const slow: Publisher = {
      publish: async (m) => {
        if (mine(m)) {
          calls.a += 1;
          await gate;
        }
        return publisher.publish(m);
      },
    };
    const a = new DeliveryWorker(core.runtime, slow, policy, () => new Date(Date.now() + aAheadMs), quiet, { pollMs: 50 });
    // B runs 40 s ahead: past a first 30 s lease, but within one renewed while the publish is in flight.
    const fast: Publisher = { publish: (m) => ((calls.b += mine(m)), publisher.publish(m)) };
    const b = new DeliveryWorker(core.runtime, fast, policy, () => new Date(Date.now() + 40_000), quiet, { pollMs: 50 });
    try {
      await createNotification(topic.topicArn, ['Connect']);
      await connectionEvent(endpoint, 'connectionRequested', null, 'pendingAcceptance');
      a.start();
      await until(() => calls.a === 1, 60_000, 'worker A claims the delivery');
      aAheadMs = 25_000; // A's publish has been in flight for 25 s ...
      await new Promise((r) => setTimeout(r, 6_000)); // ... and A renews its lease at its next beat
      b.start();
      await new Promise((r) => setTimeout(r, 2_000));
      expect(calls.b).toBe(0);
      releaseA();
      const got = await topic.receive(2, 10_000);
      expect(got.map((m) => m.body.connectionEvent)).toEqual(['Connect']);
      expect(calls).toEqual({ a: 1, b: 0 });
    } finally {
      releaseA();
      await a.stop();
      await b.stop();
      publisher.close();
      topic.close();
      core.worker.start();
    }
  }, 120_000);
});

function resumeSnsQuietly() {
  try {
    resumeSns();
  } catch {
    /* not paused */
  }
}
