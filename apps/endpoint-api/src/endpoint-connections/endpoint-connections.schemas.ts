import { CONNECTION_STATE_REASONS, EndpointConnectionState, VPC_ENDPOINT_STATES } from '@privatelink/domain';
import { nameString, z } from '@privatelink/platform';
import { batchBody } from '../http/common.schemas';
import { tagSchema } from '../http/load-balancers.schemas';
import { errorResponse, jsonResponse } from '../http/openapi-helpers';

// ── what the routes on endpoints and connections share in the API document ──────────────────────

export const ENDPOINTS_TAG = 'consumer: endpoints';
export const CONNECTIONS_TAG = 'provider: endpoint connections';
export const endpointNotFoundResponse = errorResponse(
  'InvalidVpcEndpointId.NotFound: no such endpoint of the caller’s account (another account’s answers the same)',
);
export const serviceNotFoundResponse = errorResponse(
  'InvalidVpcEndpointServiceId.NotFound: no such service in the caller’s account (another account’s service answers the same)',
);

// Shapes and types only; the domain checks the rules (and names the field) so the messages say which rule.

export const subnetSchema = z
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

export const vpcEndpointIdsBody = batchBody('vpcEndpointIds', vpcEndpointIdSchema, 'VpcEndpointIdsRequest');

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

/** One id of a batch that could not be done, and why. */
export const unsuccessfulItem = z.object({
  resourceId: z.string(),
  error: z.object({ code: z.string().openapi({ example: 'IncorrectState' }), message: z.string() }),
});

export const unsuccessfulResponse = z
  .object({
    unsuccessful: z.array(unsuccessfulItem),
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

export const inProgressResponse = jsonResponse(
  'connection-broker did not answer in time: the request is being processed (read the endpoint again)',
  z.object({ vpcEndpointId: z.string(), inProgress: z.literal(true) }).openapi('InProgress'),
);
