/** The `loadBalancerRegistered` event payload of a bench load balancer (one zone, the bench's provider account). */
export function loadBalancerRegisteredPayload(arn: string) {
  return {
    type: 'loadBalancerRegistered',
    arn,
    loadBalancerType: 'network',
    name: arn.split('/')[2],
    region: 'us-east-1',
    ownerAccountId: '111122223333',
    availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }],
    ipAddressType: 'ipv4',
    tags: [],
    registeredAt: new Date().toISOString(),
  };
}
