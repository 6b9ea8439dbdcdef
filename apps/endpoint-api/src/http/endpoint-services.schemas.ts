import { nameString, z } from '@privatelink/platform';
import { tagSchema } from './load-balancers.schemas';
import { privateDnsNameConfigurationView } from './private-dns.schemas';

export const createEndpointServiceBody = z
  .object({
    networkLoadBalancerArns: z.array(nameString().max(2048)).max(50).optional(),
    gatewayLoadBalancerArns: z.array(nameString().max(2048)).max(50).optional(),
    acceptanceRequired: z.boolean().optional().openapi({ description: 'Default true, as the CLI' }),
    privateDnsName: nameString().max(300).optional().openapi({ example: 'api.example.com' }),
    supportedIpAddressTypes: z
      .array(z.enum(['ipv4', 'ipv6']))
      .min(1)
      .max(2)
      .optional(),
    tags: z.array(tagSchema).max(100).optional(),
    clientToken: nameString().min(1).max(64).optional(),
  })
  .strict()
  .openapi('CreateEndpointServiceRequest');

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

const arnList = z.array(nameString().max(2048)).max(50);
const ipTypes = z.array(z.enum(['ipv4', 'ipv6'])).max(2);

/** ModifyVpcEndpointServiceConfiguration in camelCase; every field optional, unknown fields refused. */
export const modifyEndpointServiceBody = z
  .object({
    addNetworkLoadBalancerArns: arnList.optional(),
    removeNetworkLoadBalancerArns: arnList.optional(),
    addGatewayLoadBalancerArns: arnList.optional(),
    removeGatewayLoadBalancerArns: arnList.optional(),
    acceptanceRequired: z.boolean().optional(),
    privateDnsName: nameString().max(300).optional().openapi({ example: 'api.example.com' }),
    removePrivateDnsName: z.boolean().optional(),
    addSupportedIpAddressTypes: ipTypes.optional(),
    removeSupportedIpAddressTypes: ipTypes.optional(),
    addAutoAcceptPrincipals: z
      .array(nameString().max(2048))
      .min(1)
      .max(100)
      .optional()
      .openapi({
        description:
          'Beyond the guide: principals (same forms as allowed principals) whose requests are accepted without the provider even when acceptanceRequired is true',
        example: ['arn:aws:iam::444455556666:root'],
      }),
    removeAutoAcceptPrincipals: z.array(nameString().max(2048)).min(1).max(100).optional(),
  })
  .strict()
  .openapi('ModifyEndpointServiceRequest');

export const payerResponsibilityBody = z
  .object({
    payerResponsibility: nameString().max(64).openapi({ example: 'ServiceOwner', description: "Only 'ServiceOwner'; once set it stays" }),
  })
  .strict()
  .openapi('ModifyPayerResponsibilityRequest');

const principalList = z.array(nameString().max(2048)).min(1).max(100);

export const addPermissionsBody = z
  .object({
    addAllowedPrincipals: principalList.openapi({
      description: 'arn:aws:iam::<account>:root (Account), …:user/<name> (User), …:role/<name> (Role) or * (All)',
      example: ['arn:aws:iam::444455556666:root'],
    }),
  })
  .strict()
  .openapi('AddAllowedPrincipalsRequest');

export const removePermissionsBody = z
  .object({ removeAllowedPrincipals: principalList.openapi({ example: ['arn:aws:iam::444455556666:root'] }) })
  .strict()
  .openapi('RemoveAllowedPrincipalsRequest');

export const allowedPrincipalView = z
  .object({
    principal: z.string().openapi({ example: 'arn:aws:iam::444455556666:root' }),
    principalType: z.enum(['All', 'Account', 'User', 'Role']),
    servicePermissionId: z.string().openapi({ example: 'vpce-svc-perm-0123456789abcdef0' }),
  })
  .openapi('AllowedPrincipal');

const warningField = z
  .string()
  .optional()
  .openapi({ description: 'Present when * is allowed and acceptance is not required: the service is public' });

export const permissionsView = z
  .object({ allowedPrincipals: z.array(allowedPrincipalView), nextToken: z.string().optional(), warning: warningField })
  .openapi('AllowedPrincipals');

export const addPermissionsResponse = z
  .object({
    added: z.array(z.string()),
    alreadyPresent: z.array(z.string()),
    allowedPrincipals: z.array(allowedPrincipalView),
    warning: warningField,
  })
  .openapi('AddAllowedPrincipalsResponse');

export const removePermissionsResponse = z
  .object({
    removed: z.array(z.string()),
    alreadyAbsent: z.array(z.string()),
    allowedPrincipals: z.array(allowedPrincipalView),
    warning: warningField,
  })
  .openapi('RemoveAllowedPrincipalsResponse');

export const createTagsBody = z
  .object({ tags: z.array(tagSchema).min(1).max(100) })
  .strict()
  .openapi('CreateTagsRequest');

export const deleteTagsBody = z
  .object({ tagKeys: z.array(nameString().max(256)).min(1).max(100) })
  .strict()
  .openapi('DeleteTagsRequest');

export const tagsView = z.object({ tags: z.array(tagSchema) }).openapi('Tags');

export const deleteServicesBody = z
  .object({ serviceIds: z.array(nameString().max(64)).min(1).max(100) })
  .strict()
  .openapi('DeleteEndpointServicesRequest');

export const deleteServicesResponse = z
  .object({
    unsuccessful: z.array(
      z.object({
        resourceId: z.string(),
        error: z.object({ code: z.string().openapi({ example: 'IncorrectState' }), message: z.string() }),
      }),
    ),
  })
  .openapi('DeleteEndpointServicesResponse');

export const serviceResponse = z
  .object({ serviceConfiguration: endpointServiceView, warning: warningField })
  .openapi('ServiceConfigurationResponse');

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
    supportedIpAddressTypes: z.array(z.enum(['ipv4', 'ipv6'])),
    payerResponsibility: z.string().optional(),
  })
  .openapi('ServiceDetail');
