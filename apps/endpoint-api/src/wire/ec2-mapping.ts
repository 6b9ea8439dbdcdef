// EC2 wire shapes ↔ the REST API's camelCase bodies and views. Only renaming and reshaping: every value is
// validated by the REST schema it is handed to, and every rule is the handlers' and the domain's.
import type { Ec2 } from '@privatelink/aws-wire';
import { WireError } from '@privatelink/aws-wire';
import { Tag } from '@privatelink/domain';
import { EndpointServiceView } from '../endpoint-services/endpoint-service.view';

export const tagsOut = (tags: Tag[] | undefined): Ec2.TagList => (tags ?? []).map((t) => ({ Key: t.key, Value: t.value }));

export const tagsIn = (tags: Ec2.TagList | undefined): Tag[] | undefined => tags?.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));

/** The tags of `TagSpecification.N` for the resource type being created; another type is refused, as EC2 does. */
export function tagSpecificationsIn(specs: Ec2.TagSpecificationList | undefined, resourceType: string): Tag[] | undefined {
  if (!specs || specs.length === 0) return undefined;
  const tags: Tag[] = [];
  specs.forEach((spec, i) => {
    if (spec.ResourceType !== resourceType) {
      throw new WireError(
        'InvalidParameterValue',
        `Value (${spec.ResourceType ?? ''}) for parameter TagSpecification.${i + 1}.ResourceType is invalid. This action tags a ${resourceType}`,
      );
    }
    tags.push(...(tagsIn(spec.Tags) ?? []));
  });
  return tags;
}

/**
 * `Filter.N.Name` / `Filter.N.Value.M`, `MaxResults` and `NextToken` as the REST query string has them
 * (`filter.<name>`, `maxResults`, `nextToken`): the REST list request reads and checks them (listRequestOf).
 */
export function listQueryOf(input: { Filters?: Ec2.FilterList; MaxResults?: number; NextToken?: string }): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const f of input.Filters ?? []) {
    if (!f.Name) throw new WireError('MissingParameter', 'The request must contain the parameter Filter.N.Name');
    query[`filter.${f.Name}`] = f.Values ?? [];
  }
  if (input.MaxResults !== undefined) query.maxResults = String(input.MaxResults);
  if (input.NextToken !== undefined) query.nextToken = input.NextToken;
  return query;
}

export function serviceConfigurationOf(v: EndpointServiceView): Ec2.ServiceConfiguration {
  const dns = v.privateDnsNameConfiguration;
  return {
    ServiceType: [{ ServiceType: v.serviceType }],
    ServiceId: v.serviceId,
    ServiceName: v.serviceName,
    ServiceState: v.serviceState,
    AvailabilityZoneIds: v.availabilityZoneIds,
    AvailabilityZones: v.availabilityZones,
    AcceptanceRequired: v.acceptanceRequired,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: v.networkLoadBalancerArns,
    GatewayLoadBalancerArns: v.gatewayLoadBalancerArns,
    SupportedIpAddressTypes: v.supportedIpAddressTypes,
    BaseEndpointDnsNames: v.baseEndpointDnsNames,
    PrivateDnsName: v.privateDnsName,
    PrivateDnsNameConfiguration: dns ? { State: dns.state, Type: dns.type, Name: dns.name, Value: dns.value } : undefined,
    PayerResponsibility: v.payerResponsibility as Ec2.PayerResponsibility | undefined,
    Tags: tagsOut(v.tags),
  };
}

/** `{unsuccessful: [{resourceId, error: {code, message}}]}` → EC2's UnsuccessfulItemSet. */
export const unsuccessfulOf = (items: Array<{ resourceId: string; error: { code: string; message: string } }>): Ec2.UnsuccessfulItemSet =>
  items.map((u) => ({ ResourceId: u.resourceId, Error: { Code: u.error.code, Message: u.error.message } }));
