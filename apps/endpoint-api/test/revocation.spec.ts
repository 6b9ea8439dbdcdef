import { quotaLedgerId } from '@privatelink/domain';
import { TopicWithQueue } from '@privatelink/testing';
import {
  CONSUMER_ACCOUNT,
  CONSUMER_ROOT,
  OTHER_CONSUMER_ROOT,
  PROVIDER_ACCOUNT,
  demoKeys,
  eventually,
  servicePath,
  tokenOf,
} from './support';
import { interfaceRequest } from '../../connection-broker/test/support';
import { useNotifyingWorld } from '../../notifier/test/support';

/**
 * Revocation (beyond the guide): removing allowed principals with `rejectExistingConnections: true` rejects
 * their pendingAcceptance and available connections as the provider's own reject does: connection-broker
 * detaches each, quota-guard gets its capacity back, the notifier sends `Reject`. endpoint-api,
 * connection-broker, quota-guard and the notifier as separate applications on the real Postgres, Kafka and SNS.
 */
describe('revoking principals with their connections', () => {
  const { world, sns, notifierKnows } = useNotifyingWorld('revocation');
  const { provider, providerService, waitForEndpoint, endpointIn } = world;
  /** The consumer's connections-per-service ledger as endpoint-api's read model of quota-guard's ledgers shows it. */
  const usageOf = async (serviceId: string, consumerAccountId: string): Promise<number> => {
    const id = quotaLedgerId('connections-per-consumer-per-service', { serviceId, providerAccountId: PROVIDER_ACCOUNT, consumerAccountId });
    const rows = await world.api.core.runtime.db.query(`SELECT doc FROM rm_quota_ledgers WHERE id = $1`, [id]);
    return (rows[0]?.doc?.usage as number | undefined) ?? 0;
  };

  it('rejects the pendingAcceptance and available connections of the removed principal, each with Reject and its capacity back; others stay', async () => {
    const service = await providerService({ acceptanceRequired: true, principals: [CONSUMER_ROOT, OTHER_CONSUMER_ROOT] });
    const topic = await TopicWithQueue.create(sns());
    const notification = await provider()
      .post(`${servicePath(service.serviceId)}/notifications`, { connectionNotificationArn: topic.topicArn, connectionEvents: ['Reject'] })
      .expect(201);
    await notifierKnows(notification.body.connectionNotification.connectionNotificationId);

    const waiting = await endpointIn(service, 'pendingAcceptance');
    const accepted = await endpointIn(service, 'pendingAcceptance');
    await provider()
      .post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: [accepted.vpcEndpointId] })
      .expect(200);
    await waitForEndpoint(accepted.vpcEndpointId, 'available');
    const other = await endpointIn(service, 'pendingAcceptance', {}, demoKeys.otherConsumer);
    await eventually(async () => expect(await usageOf(service.serviceId, CONSUMER_ACCOUNT)).toBe(2), 30_000);

    const revoked = await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT], rejectExistingConnections: true })
      .expect(200);
    expect(revoked.body).toMatchObject({ removed: [CONSUMER_ROOT], alreadyAbsent: [] });
    expect(revoked.body.allowedPrincipals.map((p: { principal: string }) => p.principal)).toEqual([OTHER_CONSUMER_ROOT]);
    expect(revoked.body.rejectedConnections.rejected.sort()).toEqual([waiting.vpcEndpointId, accepted.vpcEndpointId].sort());
    expect(revoked.body.rejectedConnections).toMatchObject({ unsuccessful: [], inProgress: [] });
    // The token names the service and every rejected endpoint: the provider reading with it sees them rejected at once.
    const token = tokenOf(revoked);
    expect(token.split(',')).toHaveLength(3);
    const read = await provider()
      .get(`${servicePath(service.serviceId)}/connections`)
      .set('x-consistency-token', token)
      .expect(200);
    expect(read.headers['x-consistency']).toBe('consistent');
    const states = Object.fromEntries(
      read.body.vpcEndpointConnections.map((c: { vpcEndpointId: string; vpcEndpointState: string }) => [
        c.vpcEndpointId,
        c.vpcEndpointState,
      ]),
    );
    expect(states).toEqual({
      [waiting.vpcEndpointId]: 'rejected',
      [accepted.vpcEndpointId]: 'rejected',
      [other.vpcEndpointId]: 'pendingAcceptance',
    });
    // The other consumer is still allowed, and its request still waits for the provider.
    expect((await waitForEndpoint(other.vpcEndpointId, 'pendingAcceptance', demoKeys.otherConsumer)).vpcEndpointState).toBe(
      'pendingAcceptance',
    );

    const rejects = await topic.receive(2, 60_000);
    expect(rejects.map((m) => m.body.connectionEvent)).toEqual(['Reject', 'Reject']);
    expect(rejects.map((m) => m.body.vpcEndpointId).sort()).toEqual([waiting.vpcEndpointId, accepted.vpcEndpointId].sort());
    expect(rejects.map((m) => m.body.vpcEndpointStateBefore).sort()).toEqual(['available', 'pendingAcceptance']);
    await eventually(async () => expect(await usageOf(service.serviceId, CONSUMER_ACCOUNT)).toBe(0), 30_000);
    expect(await usageOf(service.serviceId, OTHER_CONSUMER_ROOT.split(':')[4])).toBe(1);

    // A new request of the removed principal is refused; a retried revocation has nothing left to reject.
    const refused = await world.api.as(demoKeys.consumer).post('/v1/consumer/endpoints', interfaceRequest(service)).expect(400);
    expect(refused.body.code).toBe('InvalidServiceName');
    const again = await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT], rejectExistingConnections: true })
      .expect(200);
    expect(again.body).toMatchObject({
      removed: [],
      alreadyAbsent: [CONSUMER_ROOT],
      rejectedConnections: { rejected: [], unsuccessful: [] },
    });
    topic.close();
  }, 180_000);

  it('without rejectExistingConnections the connections stay, as before', async () => {
    const service = await providerService({ acceptanceRequired: false, principals: [CONSUMER_ROOT] });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    const removed = await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    expect(removed.body).not.toHaveProperty('rejectedConnections');
    expect(tokenOf(removed).split(',')).toHaveLength(1);
    expect((await waitForEndpoint(vpcEndpointId, 'available')).vpcEndpointState).toBe('available');
  }, 120_000);

  it('rejectExistingConnections must be a boolean; another account’s service answers NotFound and rejects nothing', async () => {
    const service = await providerService({ acceptanceRequired: false, principals: [CONSUMER_ROOT] });
    const { vpcEndpointId } = await endpointIn(service, 'available');
    const bad = await provider()
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT], rejectExistingConnections: 'yes' })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'InvalidParameterValue', field: 'rejectExistingConnections' });
    await world.api
      .as(demoKeys.otherProvider)
      .del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT], rejectExistingConnections: true })
      .expect(404);
    expect((await waitForEndpoint(vpcEndpointId, 'available')).vpcEndpointState).toBe('available');
  }, 120_000);
});
