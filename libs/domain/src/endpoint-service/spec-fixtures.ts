// Fixtures shared by the endpoint service's specs (not exported from the index).
import { endpointServiceDecider } from '.';
import { serviceId } from '../ids';
import { deciderSpec } from '../spec-support';
import { EndpointServiceCommand } from './commands';
import { EndpointServiceState } from './state';

export const serviceSpec = deciderSpec(endpointServiceDecider);

/** A new Interface service of `account` with one Network Load Balancer in use1-az1 (Pending). */
export function createdService(account: string, now: string, id = serviceId('03d5ebb7d9579a2b3')): EndpointServiceState {
  const create: EndpointServiceCommand = {
    type: 'createEndpointService',
    serviceId: id,
    ownerAccountId: account,
    region: 'us-east-1',
    baseDomain: 'amazonaws.com',
    networkLoadBalancers: [
      {
        arn: `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/net/lb/e94221227f1ba532`,
        loadBalancerType: 'network',
        availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }],
        ipAddressType: 'ipv4',
        ownerAccountId: account,
      },
    ],
    now,
  };
  return serviceSpec.run(create).state!;
}
