import { TestHost, TestScope, freshScope, startTestHost } from '@privatelink/testing';
import { EndpointApiModule } from '../../endpoint-api/src/endpoint-api.module';
import { EndpointApiCore } from '../../endpoint-api/src/endpoint-api.core';
import { apiHandle, servicePath } from '../../endpoint-api/test/support';
import { QuotaGuardModule } from '../../quota-guard/src/quota-guard.service';
import { ConnectionBrokerModule } from '../src/connection-broker.service';
import { ConnectionBrokerCore } from '../src/connection-broker.service';
import { CONSUMER_ROOT, World, demoKeys, interfaceRequest, requestEndpoint, waitForEndpoint, worldOf } from './support';

/**
 * The embedded run (`npm start`): the services in one process on the in-process transport, where a
 * publish returns only once every consumer handled the message. The same workflow must run there: the
 * broker's reactions, the commands between the services and the edge's waits for outcomes.
 */
describe('the connection workflow in one process on the in-process transport', () => {
  let host: TestHost;
  let scope: TestScope;
  let world: World;

  beforeAll(async () => {
    scope = await freshScope('cb-embedded');
    host = await startTestHost({
      processName: 'embedded-connections',
      services: [EndpointApiModule, ConnectionBrokerModule, QuotaGuardModule],
      databaseUrl: scope.databaseUrl,
    });
    const api = apiHandle(() => ({ host, core: host.app.get(EndpointApiCore), scope, close: async () => undefined }));
    const hosts = {
      api,
      broker: host,
      brokerCore: host.app.get(ConnectionBrokerCore),
      stopBroker: async () => undefined,
      startBroker: async () => undefined,
      close: async () => undefined,
    };
    world = worldOf(() => hosts);
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await scope?.drop();
  });

  it('request → pendingAcceptance → accept → available → delete → deleted', async () => {
    const arn = await world.api.registerLb();
    const created = await world.api.createAvailableService({ networkLoadBalancerArns: [arn] });
    const provider = world.api.as(demoKeys.provider);
    const allowed = await provider
      .post(`${servicePath(created.serviceId)}/permissions`, { addAllowedPrincipals: [CONSUMER_ROOT] })
      .expect(200);
    const service = {
      serviceId: created.serviceId,
      serviceName: created.serviceName as string,
      loadBalancerArn: arn,
      token: allowed.headers['x-consistency-token'] as string,
    };
    const { vpcEndpointId } = await requestEndpoint(world, interfaceRequest(service), demoKeys.consumer, service.token);
    await waitForEndpoint(world, vpcEndpointId, 'pendingAcceptance');
    const accepted = await provider
      .post(`${servicePath(service.serviceId)}/connections:accept`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    expect(accepted.body).toEqual({ unsuccessful: [] });
    await waitForEndpoint(world, vpcEndpointId, 'available');
    await world.api.as(demoKeys.consumer).del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    await waitForEndpoint(world, vpcEndpointId, 'deleted');
    await world.legalSequence(vpcEndpointId);
  });
});
