import { nameString, textString, z } from '@privatelink/platform';
import { tagSchema } from '../../http/load-balancers.schemas';

/** CreateVpcEndpointServiceConfiguration in camelCase; unknown fields refused. */
export const createEndpointServiceBody = z
  .object({
    networkLoadBalancerArns: z.array(nameString().max(2048)).max(50).optional(),
    gatewayLoadBalancerArns: z.array(nameString().max(2048)).max(50).optional(),
    acceptanceRequired: z.boolean().optional().openapi({ description: 'Default true, as the CLI' }),
    privateDnsName: nameString().max(300).optional().openapi({ example: 'api.example.com' }),
    description: textString().max(255).optional().openapi({
      description: 'Beyond the guide: at most 255 characters, shown to the consumers allowed to connect',
      example: 'Payments API',
    }),
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

export type CreateEndpointServiceInput = z.infer<typeof createEndpointServiceBody>;
