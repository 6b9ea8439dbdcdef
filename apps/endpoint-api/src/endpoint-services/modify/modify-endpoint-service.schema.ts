import { nameString, textString, z } from '@privatelink/platform';

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
    description: textString()
      .max(255)
      .optional()
      .openapi({ description: "Beyond the guide: the service's new description (at most 255 characters); '' removes it" }),
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

export type ModifyEndpointServiceInput = z.infer<typeof modifyEndpointServiceBody>;
