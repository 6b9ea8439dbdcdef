// The DNS names of an endpoint.
import { DnsEntry, EndpointConnectionState, PrivateDnsFacts } from './state';

/**
 * The endpoint-specific DNS names of an interface endpoint: the Regional name
 * `vpce-<id>-<suffix>.<serviceId>.<region>.vpce.<base domain>`, one zonal name per zone with the zone
 * after the suffix (`vpce-<id>-<suffix>-us-east-1a.<serviceId>...`), and the service's private DNS name
 * when private DNS is enabled and the name is verified. Gateway Load Balancer endpoints have none
 * (they are route targets).
 */
export function dnsEntriesFor(
  endpoint: Pick<
    EndpointConnectionState,
    'vpcEndpointType' | 'vpcEndpointId' | 'dnsSuffix' | 'baseEndpointDnsName' | 'subnets' | 'privateDnsEnabled'
  >,
  dns: PrivateDnsFacts,
): DnsEntry[] {
  if (endpoint.vpcEndpointType !== 'Interface') return [];
  const stem = `${endpoint.vpcEndpointId}-${endpoint.dnsSuffix}`;
  const zones = [...new Set(endpoint.subnets.map((s) => s.availabilityZone))].sort();
  const entries: DnsEntry[] = [
    { dnsName: `${stem}.${endpoint.baseEndpointDnsName}` },
    ...zones.map((zone) => ({ dnsName: `${stem}-${zone}.${endpoint.baseEndpointDnsName}` })),
  ];
  if (endpoint.privateDnsEnabled && dns.privateDnsName && dns.verified) entries.push({ dnsName: dns.privateDnsName });
  return entries;
}
