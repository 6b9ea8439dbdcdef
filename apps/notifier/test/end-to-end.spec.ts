import { demoKeys, eventually } from '@privatelink/testing';
import { TopicWithQueue, useNotifyingWorld } from './support';
import { CONSUMER_ROOT, servicePath } from '../../connection-broker/test/support';

/**
 * The whole path with nothing standing in: a consumer's request through endpoint-api and connection-broker,
 * the provider's accept and reject, the consumer's delete, each arriving as an SNS message on the topics of a
 * service-scoped (provider) and an endpoint-scoped (consumer) notification. Four separate applications.
 */
describe('connection notifications for real connections', () => {
  const { world, sns, notifierKnows } = useNotifyingWorld('notify-e2e');

  it('Connect, Accept, Reject and Delete reach the provider’s and the consumer’s topics as configured', async () => {
    const provider = world.api.as(demoKeys.provider);
    const consumer = world.api.as(demoKeys.consumer);
    const service = await world.providerService({ acceptanceRequired: true, principals: [CONSUMER_ROOT] });
    const providerTopic = await TopicWithQueue.create(sns());
    const consumerTopic = await TopicWithQueue.create(sns());
    const serviceNotification = await provider
      .post(`${servicePath(service.serviceId)}/notifications`, {
        connectionNotificationArn: providerTopic.topicArn,
        connectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
      })
      .expect(201);
    await notifierKnows(serviceNotification.body.connectionNotification.connectionNotificationId);

    const { vpcEndpointId } = await world.endpointIn(service, 'pendingAcceptance');
    // The consumer watches its own endpoint; another consumer cannot, nor can it name this endpoint.
    const endpointNotification = await consumer
      .post(`/v1/consumer/endpoints/${vpcEndpointId}/notifications`, {
        connectionNotificationArn: consumerTopic.topicArn,
        connectionEvents: ['Accept', 'Reject', 'Delete'],
      })
      .expect(201);
    expect(endpointNotification.body.connectionNotification).toMatchObject({
      vpcEndpointId,
      connectionEvents: ['Accept', 'Reject', 'Delete'],
    });
    await world.api
      .as(demoKeys.otherConsumer)
      .post(`/v1/consumer/endpoints/${vpcEndpointId}/notifications`, {
        connectionNotificationArn: consumerTopic.topicArn,
        connectionEvents: ['Accept'],
      })
      .expect(404);
    await notifierKnows(endpointNotification.body.connectionNotification.connectionNotificationId);

    await provider.post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: [vpcEndpointId] }).expect(200);
    await eventually(
      async () =>
        expect((await consumer.get(`/v1/consumer/endpoints/${vpcEndpointId}`)).body.vpcEndpoint.vpcEndpointState).toBe('available'),
      30_000,
    );
    await provider.post(`${servicePath(service.serviceId)}/connections:reject`, { vpcEndpointIds: [vpcEndpointId] }).expect(200);
    await eventually(
      async () =>
        expect((await consumer.get(`/v1/consumer/endpoints/${vpcEndpointId}`)).body.vpcEndpoint.vpcEndpointState).toBe('rejected'),
      30_000,
    );
    await consumer.del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect((r) => expect([200, 202]).toContain(r.status));

    const providerGot = await providerTopic.receive(4, 60_000);
    expect(providerGot.map((m) => m.body.connectionEvent)).toEqual(['Connect', 'Accept', 'Reject', 'Delete']);
    expect(providerGot.map((m) => [m.body.vpcEndpointStateBefore, m.body.vpcEndpointStateAfter])).toEqual([
      [null, 'pending'],
      ['pendingAcceptance', 'available'],
      ['available', 'rejected'],
      ['deleting', 'deleted'],
    ]);
    expect(providerGot.every((m) => m.body.vpcEndpointId === vpcEndpointId && m.body.vpcEndpointOwner === '444455556666')).toBe(true);
    const consumerGot = await consumerTopic.receive(3, 60_000);
    expect(consumerGot.map((m) => m.body.connectionEvent)).toEqual(['Accept', 'Reject', 'Delete']);

    const listed = await consumer.get(`/v1/consumer/endpoints/${vpcEndpointId}/notifications`).expect(404); // the endpoint is deleted now
    expect(listed.body.code).toBe('InvalidVpcEndpointId.NotFound');
    providerTopic.close();
    consumerTopic.close();
  }, 180_000);
});
