// Fixtures shared by the endpoint connection's specs (not exported from the index).
import { endpointConnectionDecider } from '.';
import { AvailabilityZone } from '../availability-zones';
import { EndpointServiceCommand, EndpointServiceState, endpointServiceDecider } from '../endpoint-service';
import { serviceId, servicePermissionId, vpcEndpointId } from '../ids';
import { LoadBalancerDescription } from '../load-balancer';
import { deciderSpec } from '../spec-support';

export const connectionSpec = deciderSpec(endpointConnectionDecider);

/** The accounts, service and endpoint the connection specs play with. */
export const PROVIDER = '111122223333';
export const CONSUMER = '444455556666';
export const CONSUMER_ROOT = `arn:aws:iam::${CONSUMER}:root`;
export const SVC = serviceId('03d5ebb7d9579a2b3');
export const EP = vpcEndpointId('0c1308d7312217abc');
const serviceSpec = deciderSpec(endpointServiceDecider);

export const loadBalancerOf = (provider: string, kind: 'net' | 'gwy', zones: AvailabilityZone[]): LoadBalancerDescription => ({
  arn: `arn:aws:elasticloadbalancing:us-east-1:${provider}:loadbalancer/${kind}/lb/e94221227f1ba532`,
  loadBalancerType: kind === 'net' ? 'network' : 'gateway',
  availabilityZones: zones,
  ipAddressType: 'ipv4',
  ownerAccountId: provider,
});

export interface ServiceFixture {
  serviceId: string;
  provider: string;
  now: string;
  zones: AvailabilityZone[];
  type?: 'net' | 'gwy';
  privateDnsName?: string;
  acceptanceRequired?: boolean;
  principals: string[];
  /** Default true: the service is made Available. */
  available?: boolean;
}

/** An endpoint service of `provider` in us-east-1, Available unless told otherwise, allowing `principals`. */
export function serviceState(f: ServiceFixture): EndpointServiceState {
  const commands: EndpointServiceCommand[] = [
    {
      type: 'createEndpointService',
      serviceId: f.serviceId,
      ownerAccountId: f.provider,
      region: 'us-east-1',
      baseDomain: 'amazonaws.com',
      ...(f.type === 'gwy'
        ? { gatewayLoadBalancers: [loadBalancerOf(f.provider, 'gwy', f.zones)] }
        : { networkLoadBalancers: [loadBalancerOf(f.provider, 'net', f.zones)] }),
      acceptanceRequired: f.acceptanceRequired,
      privateDnsName: f.privateDnsName,
      now: f.now,
    },
  ];
  if (f.available !== false) commands.push({ type: 'markAvailable', now: f.now });
  if (f.principals.length > 0) {
    commands.push({
      type: 'addAllowedPrincipals',
      principals: f.principals,
      servicePermissionIds: f.principals.map((_, i) => servicePermissionId(String(i + 1).padStart(17, '0'))),
      now: f.now,
    });
  }
  return serviceSpec.run(...commands).state!;
}
