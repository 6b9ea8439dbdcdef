// The network inventory on the REST API: the same handlers and queries as the EC2 actions (CreateVpc,
// DescribeSubnets, …), in the REST API's shapes.
import { Controller } from '@nestjs/common';
import {
  SecurityGroupState,
  SubnetState,
  VpcState,
  assertSecurityGroupId,
  assertSubnetId,
  assertVpcId,
  availabilityZonesOf,
} from '@privatelink/domain';
import { Ctx, nameString, PLATFORM_CONFIG, PlatformConfig, RequestContext, z } from '@privatelink/platform';
import { Inject } from '@nestjs/common';
import { answer } from '../http/consistency';
import { tagSchema, zoneSchema } from '../http/load-balancers.schemas';
import { errorResponse, jsonResponse } from '../http/openapi-helpers';
import { InputOf, Input, PathParam, Route, defineRoute } from '../http/route';
import { listRequestOf } from '../projections/queries';
import { NetworkHandlers } from './network.handlers';
import { NETWORK_FILTERS, NetworkQueries } from './network.queries';

const TAG = 'network inventory';
const ROLES: Array<'provider' | 'consumer'> = ['provider', 'consumer'];
const page = z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() });
const idParam = (check: (v: unknown, field: string) => string, example: string): PathParam => ({
  schema: z.string().openapi({ example }),
  check: (value, field) => void check(value, field),
});

const vpcView = z
  .object({
    vpcId: z.string(),
    ownerAccountId: z.string(),
    region: z.string(),
    cidrBlock: z.string(),
    defaultSecurityGroupId: z.string(),
    tags: z.array(tagSchema),
    createdAt: z.string(),
  })
  .openapi('Vpc');
const subnetView = z
  .object({
    subnetId: z.string(),
    vpcId: z.string(),
    ownerAccountId: z.string(),
    cidrBlock: z.string(),
    availabilityZone: zoneSchema,
    tags: z.array(tagSchema),
    createdAt: z.string(),
  })
  .openapi('Subnet');
const groupView = z
  .object({
    groupId: z.string(),
    groupName: z.string(),
    description: z.string(),
    vpcId: z.string(),
    ownerAccountId: z.string(),
    isDefault: z.boolean(),
    tags: z.array(tagSchema),
    createdAt: z.string(),
  })
  .openapi('SecurityGroup');

const vpcOf = (v: VpcState) => ({
  vpcId: v.vpcId,
  ownerAccountId: v.ownerAccountId,
  region: v.region,
  cidrBlock: v.cidrBlock,
  defaultSecurityGroupId: v.defaultSecurityGroupId,
  tags: v.tags,
  createdAt: v.createdAt,
});
const subnetOf = (s: SubnetState) => ({
  subnetId: s.subnetId,
  vpcId: s.vpcId,
  ownerAccountId: s.ownerAccountId,
  cidrBlock: s.cidrBlock,
  availabilityZone: s.availabilityZone,
  tags: s.tags,
  createdAt: s.createdAt,
});
const groupOf = (g: SecurityGroupState) => ({
  groupId: g.groupId,
  groupName: g.groupName,
  description: g.description,
  vpcId: g.vpcId,
  ownerAccountId: g.ownerAccountId,
  isDefault: g.isDefault,
  tags: g.tags,
  createdAt: g.createdAt,
});

const tags = z.array(tagSchema).max(100).optional();
export const createVpcBody = z
  .object({ cidrBlock: nameString().max(32).openapi({ example: '10.0.0.0/16' }), tags })
  .strict()
  .openapi('CreateVpcRequest');
export const createSubnetBody = z
  .object({
    vpcId: nameString().max(64),
    cidrBlock: nameString().max(32).openapi({ example: '10.0.1.0/24' }),
    availabilityZone: nameString().max(64).optional().openapi({ example: 'us-east-1a', description: 'This or availabilityZoneId' }),
    availabilityZoneId: nameString().max(64).optional().openapi({ example: 'use1-az1' }),
    tags,
  })
  .strict()
  .openapi('CreateSubnetRequest');
export const createGroupBody = z
  .object({ vpcId: nameString().max(64), groupName: nameString().max(255), description: nameString().max(255), tags })
  .strict()
  .openapi('CreateSecurityGroupRequest');

const notFound = (code: string) => errorResponse(`${code}: no such resource in the caller's account (another account's answers the same)`);
const inUse = errorResponse('DependencyViolation: the resource has dependants (details lists them); CannotDelete: a VPC’s default group');

const createVpc = defineRoute({
  method: 'post',
  path: '/v1/network/vpcs',
  roles: ROLES,
  tags: [TAG],
  summary: 'Create a VPC (CreateVpc): a /16 to /28 IPv4 block; its default security group is created with it',
  body: createVpcBody,
  responses: { 201: jsonResponse('created', z.object({ vpc: vpcView })) },
});
const listVpcs = defineRoute({
  method: 'get',
  path: '/v1/network/vpcs',
  roles: ROLES,
  tags: [TAG],
  summary: "The caller's VPCs (DescribeVpcs). Filters: filter.vpc-id, filter.cidr-block, filter.tag:<key>, filter.tag-key",
  query: page,
  responses: { 200: jsonResponse('a page', z.object({ vpcs: z.array(vpcView), nextToken: z.string().optional() })) },
});
const deleteVpc = defineRoute({
  method: 'delete',
  path: '/v1/network/vpcs/{vpcId}',
  roles: ROLES,
  tags: [TAG],
  summary: 'Delete a VPC (DeleteVpc): refused while it has subnets or other security groups',
  params: { vpcId: idParam(assertVpcId, 'vpc-0123456789abcdef0') },
  responses: { 200: jsonResponse('deleted', z.object({ vpc: vpcView })), 404: notFound('InvalidVpcID.NotFound'), 409: inUse },
});
const createSubnet = defineRoute({
  method: 'post',
  path: '/v1/network/subnets',
  roles: ROLES,
  tags: [TAG],
  summary: 'Create a subnet (CreateSubnet) in one zone: its block inside the VPC’s, overlapping no other subnet',
  body: createSubnetBody,
  responses: {
    201: jsonResponse('created', z.object({ subnet: subnetView })),
    409: errorResponse('InvalidSubnet.Conflict: the block overlaps a subnet'),
  },
});
const listSubnets = defineRoute({
  method: 'get',
  path: '/v1/network/subnets',
  roles: ROLES,
  tags: [TAG],
  summary:
    "The caller's subnets (DescribeSubnets). Filters: filter.subnet-id, filter.vpc-id, filter.availability-zone, filter.availability-zone-id, filter.cidr-block, tags",
  query: page,
  responses: { 200: jsonResponse('a page', z.object({ subnets: z.array(subnetView), nextToken: z.string().optional() })) },
});
const deleteSubnet = defineRoute({
  method: 'delete',
  path: '/v1/network/subnets/{subnetId}',
  roles: ROLES,
  tags: [TAG],
  summary: 'Delete a subnet (DeleteSubnet)',
  params: { subnetId: idParam(assertSubnetId, 'subnet-0123456789abcdef0') },
  responses: { 200: jsonResponse('deleted', z.object({ subnet: subnetView })), 404: notFound('InvalidSubnetID.NotFound'), 409: inUse },
});
const createGroup = defineRoute({
  method: 'post',
  path: '/v1/network/security-groups',
  roles: ROLES,
  tags: [TAG],
  summary: 'Create a security group (CreateSecurityGroup): its name unique in the VPC',
  body: createGroupBody,
  responses: { 201: jsonResponse('created', z.object({ securityGroup: groupView })), 409: errorResponse('InvalidGroup.Duplicate') },
});
const listGroups = defineRoute({
  method: 'get',
  path: '/v1/network/security-groups',
  roles: ROLES,
  tags: [TAG],
  summary: "The caller's security groups (DescribeSecurityGroups). Filters: filter.group-id, filter.group-name, filter.vpc-id, tags",
  query: page,
  responses: { 200: jsonResponse('a page', z.object({ securityGroups: z.array(groupView), nextToken: z.string().optional() })) },
});
const deleteGroup = defineRoute({
  method: 'delete',
  path: '/v1/network/security-groups/{groupId}',
  roles: ROLES,
  tags: [TAG],
  summary: 'Delete a security group (DeleteSecurityGroup); a VPC’s default group goes only with its VPC',
  params: { groupId: idParam(assertSecurityGroupId, 'sg-0123456789abcdef0') },
  responses: { 200: jsonResponse('deleted', z.object({ securityGroup: groupView })), 404: notFound('InvalidGroup.NotFound'), 409: inUse },
});
const zones = defineRoute({
  method: 'get',
  path: '/v1/network/availability-zones',
  roles: ROLES,
  tags: [TAG],
  summary: 'The Region’s Availability Zones (DescribeAvailabilityZones): names and ids, the same mapping for every account',
  responses: { 200: jsonResponse('the zones', z.object({ availabilityZones: z.array(zoneSchema) })) },
});

@Controller()
export class NetworkRoutes {
  constructor(
    private readonly handlers: NetworkHandlers,
    private readonly queries: NetworkQueries,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Route(createVpc)
  async createVpc(@Input() { body }: InputOf<typeof createVpc>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.createVpc(body, ctx);
    return answer({ vpc: vpcOf(result.state) }, result.written);
  }

  @Route(listVpcs)
  async listVpcs(@Input() { query }: InputOf<typeof listVpcs>, @Ctx() ctx: RequestContext) {
    const p = await this.queries.list('vpc', ctx.caller, listRequestOf(query, NETWORK_FILTERS.vpc));
    return { vpcs: p.items.map(vpcOf), nextToken: p.nextToken };
  }

  @Route(deleteVpc)
  async deleteVpc(@Input() { params }: InputOf<typeof deleteVpc>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.deleteVpc(params.vpcId, ctx);
    return answer({ vpc: vpcOf(result.state) }, result.written);
  }

  @Route(createSubnet)
  async createSubnet(@Input() { body }: InputOf<typeof createSubnet>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.createSubnet(body, ctx);
    return answer({ subnet: subnetOf(result.state) }, result.written);
  }

  @Route(listSubnets)
  async listSubnets(@Input() { query }: InputOf<typeof listSubnets>, @Ctx() ctx: RequestContext) {
    const p = await this.queries.list('subnet', ctx.caller, listRequestOf(query, NETWORK_FILTERS.subnet));
    return { subnets: p.items.map(subnetOf), nextToken: p.nextToken };
  }

  @Route(deleteSubnet)
  async deleteSubnet(@Input() { params }: InputOf<typeof deleteSubnet>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.deleteSubnet(params.subnetId, ctx);
    return answer({ subnet: subnetOf(result.state) }, result.written);
  }

  @Route(createGroup)
  async createGroup(@Input() { body }: InputOf<typeof createGroup>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.createSecurityGroup(body, ctx);
    return answer({ securityGroup: groupOf(result.state) }, result.written);
  }

  @Route(listGroups)
  async listGroups(@Input() { query }: InputOf<typeof listGroups>, @Ctx() ctx: RequestContext) {
    const p = await this.queries.list('sg', ctx.caller, listRequestOf(query, NETWORK_FILTERS.sg));
    return { securityGroups: p.items.map(groupOf), nextToken: p.nextToken };
  }

  @Route(deleteGroup)
  async deleteGroup(@Input() { params }: InputOf<typeof deleteGroup>, @Ctx() ctx: RequestContext) {
    const result = await this.handlers.deleteSecurityGroup(params.groupId, ctx);
    return answer({ securityGroup: groupOf(result.state) }, result.written);
  }

  @Route(zones)
  zones() {
    return { availabilityZones: availabilityZonesOf(this.config.region) };
  }
}
