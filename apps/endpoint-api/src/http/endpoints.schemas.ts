import { CONNECTION_STATE_REASONS, EndpointConnectionState, VPC_ENDPOINT_STATES } from '@privatelink/domain';
import { nameString, textString, z } from '@privatelink/platform';
import { tagSchema } from './load-balancers.schemas';

// Shapes and types only; the domain checks the rules (and names the field) so the messages say which rule.

const subnetSchema = z
  .object({
    subnetId: nameString().max(64).openapi({ example: 'subnet-abababab' }),
    availabilityZoneId: nameString().max(64).optional().openapi({
      example: 'use1-az1',
      description:
        'The zone id (the same location in every account); without it the subnet must be one registered in the network inventory',
    }),
  })
  .strict()
  .openapi('EndpointSubnetRequest');

const vpcEndpointIdSchema = z
  .string()
  .regex(/^vpce-[0-9a-f]{17}$/, 'must be vpce- and 17 lower-case hex characters')
  .openapi({ example: 'vpce-0c1308d7312217abc' });

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

export const vpcEndpointIdsBody = z
  .object({ vpcEndpointIds: z.array(vpcEndpointIdSchema).min(1).max(100) })
  .strict()
  .openapi('VpcEndpointIdsRequest');

const dnsEntry = z.object({ dnsName: z.string() }).openapi('DnsEntry');

export const vpcEndpointView = z
  .object({
    vpcEndpointId: z.string(),
    vpcEndpointType: z.enum(['Interface', 'GatewayLoadBalancer']),
    vpcId: z.string(),
    serviceName: z.string(),
    serviceId: z.string(),
    vpcEndpointState: z.enum(VPC_ENDPOINT_STATES as [string, ...string[]]),
    stateReason: z
      .enum(CONNECTION_STATE_REASONS)
      .nullable()
      .openapi({ description: 'Why the request failed (failed only): machine-readable' }),
    lastError: z.object({ code: z.string(), message: z.string() }).optional(),
    policyDocument: z.string().optional(),
    subnetIds: z.array(z.string()),
    subnets: z.array(z.object({ subnetId: z.string(), availabilityZoneId: z.string(), availabilityZone: z.string() })),
    groups: z.array(z.object({ groupId: z.string().optional(), groupName: z.string().optional() })),
    privateDnsEnabled: z.boolean(),
    ipAddressType: z.string(),
    dnsEntries: z.array(dnsEntry),
    requesterManaged: z.boolean(),
    requestMessage: z.string().nullable(),
    tags: z.array(tagSchema),
    ownerId: z.string(),
    creationTimestamp: z.string(),
  })
  .openapi('VpcEndpoint');

export const vpcEndpointResponse = z.object({ vpcEndpoint: vpcEndpointView }).openapi('VpcEndpointResponse');

export const vpcEndpointConnectionView = z
  .object({
    serviceId: z.string(),
    vpcEndpointId: z.string(),
    vpcEndpointOwner: z.string(),
    vpcEndpointState: z.enum(VPC_ENDPOINT_STATES as [string, ...string[]]),
    vpcEndpointType: z.enum(['Interface', 'GatewayLoadBalancer']),
    creationTimestamp: z.string(),
    dnsEntries: z.array(dnsEntry),
    ipAddressType: z.string(),
    availabilityZoneIds: z.array(z.string()),
    requestMessage: z.string().nullable().openapi({ description: 'The consumer’s message with its request' }),
  })
  .openapi('VpcEndpointConnection');

export const unsuccessfulResponse = z
  .object({
    unsuccessful: z.array(
      z.object({
        resourceId: z.string(),
        error: z.object({ code: z.string().openapi({ example: 'IncorrectState' }), message: z.string() }),
      }),
    ),
    inProgress: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Present only when the answer did not come in time: these are being processed' }),
  })
  .openapi('UnsuccessfulItems');

export const connectionsSummaryView = z
  .object({
    services: z.array(
      z.object({
        serviceId: z.string(),
        serviceOwner: z.string(),
        counts: z.record(z.string(), z.number()).openapi({ example: { pendingAcceptance: 2, available: 5 } }),
        oldestPendingAcceptanceSince: z.string().nullable(),
        oldestPendingAcceptanceAgeSeconds: z.number().nullable(),
      }),
    ),
    nextToken: z.string().optional(),
  })
  .openapi('ConnectionsSummary');

export type VpcEndpointView = z.infer<typeof vpcEndpointView>;

/** What the consumer sees of its endpoint (DescribeVpcEndpoints' VpcEndpoint, camelCase). */
export function toVpcEndpointView(e: EndpointConnectionState): VpcEndpointView {
  return {
    vpcEndpointId: e.vpcEndpointId,
    vpcEndpointType: e.vpcEndpointType,
    vpcId: e.vpcId,
    serviceName: e.serviceName,
    serviceId: e.serviceId,
    vpcEndpointState: e.vpcEndpointState,
    stateReason: e.stateReason,
    lastError: e.stateReason ? { code: e.stateReason, message: e.stateMessage ?? '' } : undefined,
    policyDocument: e.policyDocument ?? undefined,
    subnetIds: e.subnets.map((s) => s.subnetId),
    subnets: e.subnets.map((s) => ({ ...s })),
    groups: e.groups.map((g) => ({ ...g })),
    privateDnsEnabled: e.privateDnsEnabled,
    ipAddressType: e.ipAddressType,
    dnsEntries: e.dnsEntries,
    requesterManaged: false,
    requestMessage: e.requestMessage,
    tags: e.tags,
    ownerId: e.vpcEndpointOwner,
    creationTimestamp: e.createdAt,
  };
}

/** What the provider sees of a connection to its service (DescribeVpcEndpointConnections). */
export function toConnectionView(e: EndpointConnectionState): z.infer<typeof vpcEndpointConnectionView> {
  return {
    serviceId: e.serviceId,
    vpcEndpointId: e.vpcEndpointId,
    vpcEndpointOwner: e.vpcEndpointOwner,
    vpcEndpointState: e.vpcEndpointState,
    vpcEndpointType: e.vpcEndpointType,
    creationTimestamp: e.createdAt,
    dnsEntries: e.dnsEntries,
    ipAddressType: e.ipAddressType,
    availabilityZoneIds: e.subnets.map((s) => s.availabilityZoneId),
    requestMessage: e.requestMessage,
  };
}
