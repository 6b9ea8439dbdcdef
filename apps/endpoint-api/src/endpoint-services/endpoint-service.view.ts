import { AllowedPrincipal, EndpointServiceState, publicServiceWarning, sharedAvailabilityZoneIds } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import {
  PrivateDnsVerificationDoc,
  privateDnsNameConfigurationOf,
  verificationStateOf,
} from '../projections/private-dns-verifications.projection';
import { tagSchema } from '../http/load-balancers.schemas';
import { privateDnsNameConfigurationView } from '../http/private-dns.schemas';

// What the API shows of a service: to its provider (ServiceConfiguration) and to a consumer (ServiceDetail).

export const endpointServiceView = z
  .object({
    serviceId: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }),
    serviceName: z.string(),
    serviceType: z.enum(['Interface', 'GatewayLoadBalancer']),
    serviceState: z.enum(['Pending', 'Available', 'Deleting', 'Deleted', 'Failed']),
    owner: z.string(),
    acceptanceRequired: z.boolean(),
    networkLoadBalancerArns: z.array(z.string()),
    gatewayLoadBalancerArns: z.array(z.string()),
    availabilityZones: z.array(z.string()),
    availabilityZoneIds: z.array(z.string()),
    baseEndpointDnsNames: z.array(z.string()),
    privateDnsName: z.string().optional(),
    description: z.string().optional().openapi({ description: 'The provider’s description of the service (beyond the guide)' }),
    privateDnsNameConfiguration: privateDnsNameConfigurationView.optional().openapi({
      description: 'The TXT record that proves control of privateDnsName, and its verification state (dns-verifier)',
    }),
    supportedIpAddressTypes: z.array(z.enum(['ipv4', 'ipv6'])),
    payerResponsibility: z.string().optional(),
    autoAcceptPrincipals: z
      .array(z.string())
      .openapi({ description: 'Requests from these principals are accepted automatically (they must still be allowed)' }),
    tags: z.array(tagSchema),
    createdAt: z.string(),
  })
  .openapi('ServiceConfiguration');

export type EndpointServiceView = z.infer<typeof endpointServiceView>;

/** What a consumer sees of a service it may connect to (DescribeVpcEndpointServices' ServiceDetail). */
export const consumerServiceView = z
  .object({
    serviceId: z.string(),
    serviceName: z.string(),
    serviceType: z.enum(['Interface', 'GatewayLoadBalancer']),
    owner: z.string(),
    availabilityZoneIds: z
      .array(z.string())
      .openapi({ description: 'Zone ids (the cross-account identity); only the shared ones when zoneIds is given' }),
    baseEndpointDnsNames: z.array(z.string()),
    acceptanceRequired: z.boolean(),
    privateDnsName: z.string().nullable(),
    privateDnsNameVerificationState: z.enum(['pendingVerification', 'verified', 'failed']).nullable(),
    description: z.string().optional().openapi({ description: 'The provider’s description of the service (beyond the guide)' }),
    supportedIpAddressTypes: z.array(z.enum(['ipv4', 'ipv6'])),
    payerResponsibility: z.string().optional(),
  })
  .openapi('ServiceDetail');

/** The API's view of a service; `verification` is dns-verifier's verification of its private DNS name, if any. */
export function toEndpointServiceView(s: EndpointServiceState, verification?: PrivateDnsVerificationDoc): EndpointServiceView {
  return {
    serviceId: s.serviceId,
    serviceName: s.serviceName,
    serviceType: s.serviceType,
    serviceState: s.serviceState,
    owner: s.owner,
    acceptanceRequired: s.acceptanceRequired,
    networkLoadBalancerArns: s.networkLoadBalancerArns,
    gatewayLoadBalancerArns: s.gatewayLoadBalancerArns,
    availabilityZones: s.availabilityZones,
    availabilityZoneIds: s.availabilityZoneIds,
    baseEndpointDnsNames: s.baseEndpointDnsNames,
    privateDnsName: s.privateDnsName ?? undefined,
    description: s.description,
    privateDnsNameConfiguration: privateDnsNameConfigurationOf(s, verification),
    supportedIpAddressTypes: s.supportedIpAddressTypes,
    payerResponsibility: s.payerResponsibility ?? undefined,
    autoAcceptPrincipals: s.autoAcceptPrincipals ?? [],
    tags: s.tags,
    createdAt: s.createdAt,
  };
}

type ConsumerServiceView = z.infer<typeof consumerServiceView>;

/**
 * What a consumer sees of a service. Zone ids are the cross-account identity ("use the Availability
 * Zone ID to uniquely and consistently identify the endpoint service Availability Zone"); zone names
 * are mapped per account, so the consumer is shown ids only. The private DNS name's verification is the
 * dns-verifier's (`verification`, its read model here); until it reports, a set name is `pendingVerification`.
 */
export function toConsumerServiceView(
  s: EndpointServiceState,
  zoneIds?: string[],
  verification?: PrivateDnsVerificationDoc,
): ConsumerServiceView {
  return {
    serviceId: s.serviceId,
    serviceName: s.serviceName,
    serviceType: s.serviceType,
    owner: s.owner,
    availabilityZoneIds: zoneIds ? sharedAvailabilityZoneIds(s, zoneIds) : s.availabilityZoneIds,
    baseEndpointDnsNames: s.baseEndpointDnsNames,
    acceptanceRequired: s.acceptanceRequired,
    privateDnsName: s.privateDnsName,
    privateDnsNameVerificationState: verificationStateOf(s, verification),
    description: s.description,
    supportedIpAddressTypes: s.supportedIpAddressTypes,
    payerResponsibility: s.payerResponsibility ?? undefined,
  };
}

export const principalView = (p: AllowedPrincipal) => ({
  principal: p.principal,
  principalType: p.principalType,
  servicePermissionId: p.servicePermissionId,
});

/** `{serviceConfiguration, warning}`: what a route on one service answers. */
export const serviceAnswer = (s: EndpointServiceState, verification?: PrivateDnsVerificationDoc) => ({
  serviceConfiguration: toEndpointServiceView(s, verification),
  warning: publicServiceWarning(s),
});

/** The answer of a change of allowed principals: its outcome and the principals now. */
export const permissionsAnswer = <R extends object>(outcome: R, s: EndpointServiceState) => ({
  ...outcome,
  allowedPrincipals: s.allowedPrincipals.map(principalView),
  warning: publicServiceWarning(s),
});
