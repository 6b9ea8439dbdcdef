import { nameString, textString, z } from '@privatelink/platform';
import { tagSchema } from '../../http/load-balancers.schemas';
import { subnetSchema } from '../endpoint-connections.schemas';

/** CreateVpcEndpoint in camelCase: shapes and types only; the domain checks the rules (and names the field). */
export const createVpcEndpointBody = z
  .object({
    serviceName: nameString().max(256).openapi({ example: 'com.amazonaws.vpce.us-east-1.vpce-svc-0e123abc123198abc' }),
    vpcEndpointType: nameString().max(64).openapi({ description: 'Interface or GatewayLoadBalancer; must match the service' }),
    vpcId: nameString().max(64).openapi({ example: 'vpc-ec43eb89' }),
    subnets: z
      .array(subnetSchema)
      .max(32)
      .optional()
      .openapi({ description: 'Interface: one subnet per zone, only zones the service offers. GatewayLoadBalancer: exactly one' }),
    securityGroupIds: z
      .array(nameString().max(64))
      .max(16)
      .optional()
      .openapi({ description: 'Interface only; the VPC default group when none' }),
    privateDnsEnabled: z.boolean().optional().openapi({ description: 'Default false; only when the service has a private DNS name' }),
    policyDocument: textString().max(100_000).optional().openapi({
      description:
        'Interface only: a JSON policy with a Principal element, at most 20,480 characters including white space; full access when absent',
    }),
    ipAddressType: nameString().max(16).optional().openapi({ description: 'ipv4 (default), dualstack or ipv6, as the service supports' }),
    tags: z.array(tagSchema).max(100).optional(),
    requestMessage: textString()
      .max(10_000)
      .optional()
      .openapi({ description: 'Shown to the provider with the pending request; at most 1,024 characters' }),
    clientToken: nameString().min(1).max(64).optional(),
  })
  .strict()
  .openapi('CreateVpcEndpointRequest');

export type CreateVpcEndpointInput = z.infer<typeof createVpcEndpointBody>;
