import { CONSUMER_ROOT, Key, demoKeys, eventually, interfaceRequest, servicePath, stepsOf, tokenOf } from './support';
import { Stack, startStack } from '../../quota-guard/test/stack';

// Long enough for the warm-up reads of a fresh stack on a busy machine; the foreign-token test waits it twice.
const READ_WAIT_MS = 8_000;
const PROVIDER_TOPIC = 'arn:aws:sns:us-east-1:111122223333:endpoint-events';
const CONSUMER_TOPIC = 'arn:aws:sns:us-east-1:444455556666:endpoint-events';

/**
 * Decisions on authoritative state, and read-your-writes tokens on every write: endpoint-api,
 * connection-broker and quota-guard as separate applications on the real Postgres and Kafka, with the
 * service's default bound on the read-your-writes wait.
 */
describe('authoritative checks and consistency tokens', () => {
  let stack: Stack;
  const { provider, consumer, providerService, waitForEndpoint, endpointIn } = stepsOf(() => stack);

  beforeAll(async () => {
    stack = await startStack('cb-consistency', { broker: true, env: { PRIVATELINK_READ_WAIT_MS: String(READ_WAIT_MS) } });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('a consumer’s request right after the provider allowed its principal is accepted, every time', async () => {
    const requested: string[] = [];
    for (let i = 0; i < 5; i++) {
      const service = await providerService({ principals: [] });
      await provider()
        .post(`${servicePath(service.serviceId)}/permissions`, { addAllowedPrincipals: [CONSUMER_ROOT] })
        .expect(200);
      // At once, and without the provider's token: the edge decides on the service's own stream.
      const res = await consumer().post('/v1/consumer/endpoints', interfaceRequest(service));
      expect({ attempt: i, status: res.status, body: res.status === 201 ? undefined : res.body }).toEqual({
        attempt: i,
        status: 201,
        body: undefined,
      });
      requested.push(res.body.vpcEndpoint.vpcEndpointId);
    }
    // And the workflow's own checks do not refuse it either.
    for (const id of requested) await waitForEndpoint(id, 'pendingAcceptance');
  }, 240_000);

  it('every write answers x-consistency-token, and sending it back reads that write', async () => {
    const service = await providerService({ acceptanceRequired: true });
    const connections = `${servicePath(service.serviceId)}/connections`;
    const consistentRead = async (path: string, token: string, key: Key = demoKeys.provider) => {
      const read = await stack.api.as(key).get(path).set('x-consistency-token', token).expect(200);
      expect({ path, token, consistency: read.headers['x-consistency'] }).toEqual({ path, token, consistency: 'consistent' });
      return read;
    };

    const first = await endpointIn(service, 'pendingAcceptance');
    const second = await endpointIn(service, 'pendingAcceptance');
    const accepted = await provider()
      .post(`${connections}:accept`, { vpcEndpointIds: [first.vpcEndpointId] })
      .expect(200);
    expect(tokenOf(accepted)).toMatch(new RegExp(`^endpoint-connection-${first.vpcEndpointId}@\\d+$`));
    const afterAccept = await consistentRead(`${connections}?filter.vpc-endpoint-id=${first.vpcEndpointId}`, tokenOf(accepted));
    expect(afterAccept.body.vpcEndpointConnections[0].vpcEndpointState).toBe('available');

    const rejected = await provider()
      .post(`${connections}:reject`, { vpcEndpointIds: [first.vpcEndpointId, second.vpcEndpointId] })
      .expect(200);
    expect(tokenOf(rejected).split(',')).toHaveLength(2);
    const afterReject = await consistentRead(connections, tokenOf(rejected));
    expect(afterReject.body.vpcEndpointConnections.map((c: { vpcEndpointState: string }) => c.vpcEndpointState)).toEqual([
      'rejected',
      'rejected',
    ]);

    const limit = await provider()
      .put(`${servicePath(service.serviceId)}/connection-limits`, { principal: CONSUMER_ROOT, limit: 3 })
      .expect(200);
    expect(tokenOf(limit)).toMatch(/^quota-ledger-connections-per-consumer-per-service\/.+@\d+$/);
    await consistentRead('/v1/quotas', tokenOf(limit), demoKeys.consumer);

    const providerNotification = await provider()
      .post(`${servicePath(service.serviceId)}/notifications`, { connectionNotificationArn: PROVIDER_TOPIC, connectionEvents: ['Connect'] })
      .expect(201);
    const notificationId = providerNotification.body.connectionNotification.connectionNotificationId as string;
    const deletedNotification = await provider()
      .post('/v1/provider/notifications:delete', { connectionNotificationIds: [notificationId] })
      .expect(200);
    expect(deletedNotification.body).toEqual({ unsuccessful: [] });
    const afterDelete = await consistentRead(`${servicePath(service.serviceId)}/notifications`, tokenOf(deletedNotification));
    expect(afterDelete.body.connectionNotificationSet).toEqual([]);

    const consumerNotification = await consumer()
      .post(`/v1/consumer/endpoints/${second.vpcEndpointId}/notifications`, {
        connectionNotificationArn: CONSUMER_TOPIC,
        connectionEvents: ['Delete'],
      })
      .expect(201);
    const consumerDeleted = await consumer()
      .post('/v1/consumer/notifications:delete', {
        connectionNotificationIds: [consumerNotification.body.connectionNotification.connectionNotificationId],
      })
      .expect(200);
    await consistentRead('/v1/consumer/notifications', tokenOf(consumerDeleted), demoKeys.consumer);

    const endpointsDeleted = await consumer()
      .post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [first.vpcEndpointId, second.vpcEndpointId] })
      .expect(200);
    expect(tokenOf(endpointsDeleted).split(',')).toHaveLength(2);
    await consistentRead('/v1/consumer/endpoints', tokenOf(endpointsDeleted), demoKeys.consumer);

    await eventually(async () => {
      const servicesDeleted = await provider()
        .post('/v1/provider/endpoint-services:delete', { serviceIds: [service.serviceId] })
        .expect(200);
      expect(servicesDeleted.body).toEqual({ unsuccessful: [] });
      expect(tokenOf(servicesDeleted)).toMatch(new RegExp(`^endpoint-service-${service.serviceId}@\\d+$`));
    }, 30_000);
  }, 240_000);

  it('a token naming another account’s stream answers exactly like one naming a stream that does not exist', async () => {
    const service = await providerService({ principals: [CONSUMER_ROOT, 'arn:aws:iam::777788889999:root'] });
    const theirs = await endpointIn(service, 'pendingAcceptance', {}, demoKeys.otherConsumer);
    const mine = await endpointIn(service, 'pendingAcceptance');
    const ask = async (token: string) => {
      const started = Date.now();
      const res = await consumer().get('/v1/consumer/endpoints').set('x-consistency-token', token);
      return { status: res.status, consistency: res.headers['x-consistency'], elapsedMs: Date.now() - started, body: res.body };
    };
    const foreign = await ask(`endpoint-connection-${theirs.vpcEndpointId}@1`);
    const unknown = await ask('endpoint-connection-vpce-0123456789abcdef0@1');
    expect([foreign.status, foreign.consistency]).toEqual([200, 'stale']);
    expect([unknown.status, unknown.consistency]).toEqual([200, 'stale']);
    expect(foreign.elapsedMs).toBeGreaterThanOrEqual(READ_WAIT_MS - 50);
    expect(unknown.elapsedMs).toBeGreaterThanOrEqual(READ_WAIT_MS - 50);
    expect(foreign.body).toEqual(unknown.body);
    // The caller's own stream is consistent, at once.
    const own = await ask(`endpoint-connection-${mine.vpcEndpointId}@1`);
    expect(own.consistency).toBe('consistent');
    expect(own.elapsedMs).toBeLessThan(READ_WAIT_MS);
  }, 240_000);

  it('a malformed token, or one naming no known kind of stream, is InvalidParameterValue', async () => {
    for (const token of ['not-a-token', 'no-such-family-x@1', `endpoint-connection-vpce-0123456789abcdef0@1,${'x'.repeat(20)}`]) {
      const res = await consumer().get('/v1/consumer/endpoints').set('x-consistency-token', token).expect(400);
      expect(res.body).toMatchObject({ code: 'InvalidParameterValue', field: 'x-consistency-token' });
    }
  });
});
