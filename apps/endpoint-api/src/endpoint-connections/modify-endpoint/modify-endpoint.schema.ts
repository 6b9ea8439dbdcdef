import { nameString, textString, z } from '@privatelink/platform';
import { tagSchema } from '../../http/load-balancers.schemas';
import { subnetSchema } from '../endpoint-connections.schemas';

/** ModifyVpcEndpoint in camelCase: every field optional, unknown fields refused. */
export const modifyVpcEndpointBody = z
  .object({
    addSubnets: z.array(subnetSchema).max(32).optional(),
    removeSubnetIds: z.array(nameString().max(64)).max(32).optional(),
    addSecurityGroupIds: z.array(nameString().max(64)).max(16).optional(),
    removeSecurityGroupIds: z.array(nameString().max(64)).max(16).optional(),
    privateDnsEnabled: z.boolean().optional(),
    policyDocument: textString().max(100_000).optional(),
    resetPolicy: z.boolean().optional().openapi({ description: 'Back to the full-access policy' }),
    addTags: z.array(tagSchema).max(100).optional(),
    removeTagKeys: z.array(nameString().max(256)).max(100).optional(),
  })
  .strict()
  .openapi('ModifyVpcEndpointRequest');

export type ModifyVpcEndpointInput = z.infer<typeof modifyVpcEndpointBody>;
