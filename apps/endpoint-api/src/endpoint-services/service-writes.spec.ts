import {
  EndpointServiceEvent,
  EndpointServiceState,
  LoadBalancerDescription,
  endpointServiceDecider,
  fold,
  serviceId,
} from '@privatelink/domain';
import { loadBalancerUseOf, ownService } from './service-writes';
import { toConsumerServiceView } from './endpoint-service.view';

const ACCOUNT = '111122223333';
const SVC = serviceId('0123456789abcdef0');
const lb = (name: string, id: string, zones: Array<[string, string]>): LoadBalancerDescription => ({
  arn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/net/${name}/${id}`,
  loadBalancerType: 'network',
  availabilityZones: zones.map(([zoneName, zoneId]) => ({ zoneName, zoneId })),
  ipAddressType: 'ipv4',
  ownerAccountId: ACCOUNT,
});
const NLB1 = lb('one', 'e94221227f1ba532', [
  ['us-east-1a', 'use1-az1'],
  ['us-east-1b', 'use1-az2'],
]);
const NLB2 = lb('two', 'a94221227f1ba532', [['us-east-1c', 'use1-az3']]);

type ServiceCommand = Parameters<typeof endpointServiceDecider.decide>[0];

function history(...commands: ServiceCommand[]): EndpointServiceEvent[] {
  const events: EndpointServiceEvent[] = [];
  for (const c of commands)
    events.push(...endpointServiceDecider.decide(c, fold(endpointServiceDecider.evolve, endpointServiceDecider.initialState, events)));
  return events;
}
const NOW = '2026-11-27T10:00:00.000Z';
const create: ServiceCommand = {
  type: 'createEndpointService',
  serviceId: SVC,
  ownerAccountId: ACCOUNT,
  region: 'us-east-1',
  baseDomain: 'amazonaws.com',
  networkLoadBalancers: [NLB1],
  now: NOW,
};
const created = history(create);
const state = (events: EndpointServiceEvent[]) =>
  fold(endpointServiceDecider.evolve, endpointServiceDecider.initialState, events) as EndpointServiceState;

describe('endpoint-api write helpers', () => {
  it('a provider reaches only its own account’s service; another account’s answers exactly like an unknown one', () => {
    expect(ownService(state(created), SVC, ACCOUNT).serviceId).toBe(SVC);
    const foreign = (() => {
      try {
        ownService(state(created), SVC, '999988887777');
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    const unknown = (() => {
      try {
        ownService(null, SVC, '999988887777');
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(foreign).toMatchObject({ code: 'InvalidVpcEndpointServiceId.NotFound' });
    expect(foreign?.message).toBe(unknown?.message);
  });

  it('a deleted service is unknown to its owner too', () => {
    const deleted = history(create, { type: 'deleteEndpointService', now: NOW }, { type: 'completeDeletion', now: NOW });
    expect(() => ownService(state(deleted), SVC, ACCOUNT)).toThrow(/does not exist/);
  });

  it('the registry learns which load balancers a create or a modify starts and stops using', () => {
    expect(loadBalancerUseOf(created)).toEqual({ used: [NLB1.arn], released: [] });
    const swap = endpointServiceDecider.decide(
      { type: 'modifyEndpointService', addNetworkLoadBalancers: [NLB2], removeNetworkLoadBalancerArns: [NLB1.arn], now: NOW },
      state(created),
    );
    expect(loadBalancerUseOf(swap)).toEqual({ used: [NLB2.arn], released: [NLB1.arn] });
    // Deletion releases them later, in the deletion reaction, not in the delete request.
    expect(loadBalancerUseOf(endpointServiceDecider.decide({ type: 'deleteEndpointService', now: NOW }, state(created)))).toEqual({
      used: [],
      released: [],
    });
  });

  it('a consumer sees zone ids only, the shared ones when it names its zones, and a set private DNS name as pendingVerification', () => {
    const withName = state([
      ...created,
      { type: 'endpointServicePrivateDnsNameSet', serviceId: SVC, privateDnsName: 'api.example.com', previousPrivateDnsName: null },
    ]);
    expect(toConsumerServiceView(withName)).toMatchObject({
      availabilityZoneIds: ['use1-az1', 'use1-az2'],
      privateDnsNameVerificationState: 'pendingVerification',
    });
    expect(toConsumerServiceView(withName, ['use1-az2', 'use1-az9']).availabilityZoneIds).toEqual(['use1-az2']);
    expect(toConsumerServiceView(state(created))).toMatchObject({ privateDnsName: null, privateDnsNameVerificationState: null });
    expect(toConsumerServiceView(state(created))).not.toHaveProperty('availabilityZones');
  });
});
