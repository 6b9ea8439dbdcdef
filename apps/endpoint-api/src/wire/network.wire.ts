// The EC2 actions of the network inventory (VPCs, subnets, security groups, zones), CreateVpcEndpoint (which
// names only subnet and group ids: their zones and VPC come from the inventory) and the tag actions.
import { Inject, Injectable } from '@nestjs/common';
import type { Ec2 } from '@privatelink/aws-wire';
import { WireError, missingParameter } from '@privatelink/aws-wire';
import { SecurityGroupState, SubnetState, Tag, VpcState, availabilityZonesOf, isServiceId, isVpcEndpointId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext } from '@privatelink/platform';
import { ServiceTagsHandler } from '../endpoint-services/tags/service-tags.handler';
import { DescribeEndpointServicesRoute } from '../endpoint-services/describe/describe-endpoint-services.route';
import { CreateVpcEndpointRoute } from '../endpoint-connections/create-endpoint/create-endpoint.route';
import { DescribeVpcEndpointsRoute } from '../endpoint-connections/describe-endpoints/describe-endpoints.route';
import { ModifyVpcEndpointRoute } from '../endpoint-connections/modify-endpoint/modify-endpoint.route';
import { VpcEndpointView } from '../endpoint-connections/endpoint-connections.schemas';
import { listRequestOf } from '../projections/queries';
import { NetworkHandlers, NetworkWrite } from '../network/network.handlers';
import { StreamVersion } from '../http/consistency';
import { TagChange } from '../http/tag-routes';
import { DocOf, NETWORK_FILTERS, NetworkQueries } from '../network/network.queries';
import { NetworkDoc } from '../network/network.projection';
import { EC2, WireAction, WireActions, WireCallContext, WireResolver, actionsOf, runRoute } from './wire-action';
import { listQueryOf, tagSpecificationsIn, tagsIn, tagsOut } from './ec2-mapping';
import { endpointOf } from './connections.wire';

const vpcOf = (v: VpcState): Ec2.Vpc => ({
  VpcId: v.vpcId,
  OwnerId: v.ownerAccountId,
  State: 'available',
  CidrBlock: v.cidrBlock,
  CidrBlockAssociationSet: [
    { CidrBlock: v.cidrBlock, AssociationId: `vpc-cidr-assoc-${v.vpcId.slice(4)}`, CidrBlockState: { State: 'associated' } },
  ],
  InstanceTenancy: 'default',
  IsDefault: false,
  Tags: tagsOut(v.tags),
});

const subnetOf = (s: SubnetState): Ec2.Subnet => ({
  SubnetId: s.subnetId,
  VpcId: s.vpcId,
  OwnerId: s.ownerAccountId,
  State: 'available',
  CidrBlock: s.cidrBlock,
  AvailabilityZone: s.availabilityZone.zoneName,
  AvailabilityZoneId: s.availabilityZone.zoneId,
  AvailableIpAddressCount: 2 ** (32 - Number(s.cidrBlock.split('/')[1])) - 5,
  DefaultForAz: false,
  MapPublicIpOnLaunch: false,
  Tags: tagsOut(s.tags),
});

const groupOf = (g: SecurityGroupState): Ec2.SecurityGroup => ({
  GroupId: g.groupId,
  GroupName: g.groupName,
  Description: g.description,
  VpcId: g.vpcId,
  OwnerId: g.ownerAccountId,
  IpPermissions: [],
  IpPermissionsEgress: [],
  Tags: tagsOut(g.tags),
});

const RESOURCE_TYPES: Array<[(id: string) => boolean, Ec2.ResourceType]> = [
  [isServiceId, 'vpc-endpoint-service'],
  [isVpcEndpointId, 'vpc-endpoint'],
  [(id) => id.startsWith('vpc-'), 'vpc'],
  [(id) => id.startsWith('subnet-'), 'subnet'],
  [(id) => id.startsWith('sg-'), 'security-group'],
];
/** The state a network write answers, its streams kept for the edge to wait on. */
async function wrote<S>(written: StreamVersion[], write: Promise<NetworkWrite<S>>): Promise<S> {
  const result = await write;
  written.push(...result.written);
  return result.state;
}

const resourceTypeOf = (id: string): Ec2.ResourceType | undefined => RESOURCE_TYPES.find(([is]) => is(id))?.[1];

@Injectable()
export class Ec2NetworkActions {
  constructor(
    private readonly resolver: WireResolver,
    private readonly network: NetworkHandlers,
    private readonly queries: NetworkQueries,
    private readonly serviceTags: ServiceTagsHandler,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * DescribeVpcs / DescribeSubnets / DescribeSecurityGroups: a page of the caller's resources of `kind` (only
   * `ids` when the request names some), as `{ <key>: [each in its EC2 shape], NextToken }`.
   */
  private async describe<K extends NetworkDoc['kind']>(
    kind: K,
    query: Record<string, unknown>,
    ids: string[] | undefined,
    ctx: RequestContext,
    key: string,
    shape: (item: DocOf<K>) => unknown,
  ) {
    const page = await this.queries.list(kind, ctx.caller, { ...listRequestOf(query, NETWORK_FILTERS[kind]), ids });
    return { [key]: page.items.map(shape), NextToken: page.nextToken };
  }

  actions(): WireActions {
    const action = actionsOf(EC2);
    const a = (name: string, run: WireAction['run']) => action(name, ['provider', 'consumer'], run);
    return Object.fromEntries([
      a('CreateVpc', async (i: Ec2.CreateVpcRequest, { ctx, written }) => {
        if (i.CidrBlock === undefined) throw missingParameter('CidrBlock');
        const vpc = await wrote(
          written,
          this.network.createVpc({ cidrBlock: i.CidrBlock, tags: tagSpecificationsIn(i.TagSpecifications, 'vpc') }, ctx),
        );
        return { Vpc: vpcOf(vpc) };
      }),
      a('DescribeVpcs', (i: Ec2.DescribeVpcsRequest, { ctx }) => this.describe('vpc', listQueryOf(i), i.VpcIds, ctx, 'Vpcs', vpcOf)),
      a(
        'DeleteVpc',
        async (i: Ec2.DeleteVpcRequest, { ctx, written }) => void (await wrote(written, this.network.deleteVpc(i.VpcId, ctx))),
      ),
      a('CreateSubnet', async (i: Ec2.CreateSubnetRequest, { ctx, written }) => {
        if (i.CidrBlock === undefined) throw missingParameter('CidrBlock');
        const subnet = await wrote(
          written,
          this.network.createSubnet(
            {
              vpcId: i.VpcId,
              cidrBlock: i.CidrBlock,
              availabilityZone: i.AvailabilityZone,
              availabilityZoneId: i.AvailabilityZoneId,
              tags: tagSpecificationsIn(i.TagSpecifications, 'subnet'),
            },
            ctx,
          ),
        );
        return { Subnet: subnetOf(subnet) };
      }),
      a('DescribeSubnets', (i: Ec2.DescribeSubnetsRequest, { ctx }) =>
        this.describe('subnet', listQueryOf(i), i.SubnetIds, ctx, 'Subnets', subnetOf),
      ),
      a(
        'DeleteSubnet',
        async (i: Ec2.DeleteSubnetRequest, { ctx, written }) => void (await wrote(written, this.network.deleteSubnet(i.SubnetId, ctx))),
      ),
      a('CreateSecurityGroup', async (i: Ec2.CreateSecurityGroupRequest, { ctx, written }) => {
        if (i.VpcId === undefined)
          throw new WireError('MissingParameter', 'The request must contain the parameter VpcId (this system has no default VPC)');
        const tags = tagSpecificationsIn(i.TagSpecifications, 'security-group');
        const group = await wrote(
          written,
          this.network.createSecurityGroup({ vpcId: i.VpcId, groupName: i.GroupName, description: i.Description, tags }, ctx),
        );
        return { GroupId: group.groupId, Tags: tags ? tagsOut(group.tags) : undefined };
      }),
      a('DescribeSecurityGroups', async (i: Ec2.DescribeSecurityGroupsRequest, { ctx }) => {
        const query = listQueryOf(i);
        if (i.GroupNames?.length) query['filter.group-name'] = [...((query['filter.group-name'] as string[]) ?? []), ...i.GroupNames];
        return this.describe('sg', query, i.GroupIds, ctx, 'SecurityGroups', groupOf);
      }),
      a('DeleteSecurityGroup', async (i: Ec2.DeleteSecurityGroupRequest, { ctx, written }) => {
        let groupId = i.GroupId;
        if (!groupId && i.GroupName) {
          const found = await this.queries.list('sg', ctx.caller, { filters: new Map([['group-name', [i.GroupName]]]), maxResults: 5 });
          if (found.items.length !== 1) {
            throw new WireError(
              found.items.length ? 'InvalidParameterCombination' : 'InvalidGroup.NotFound',
              `The security group '${i.GroupName}' ${found.items.length ? 'is in several VPCs: give GroupId' : 'does not exist'}`,
            );
          }
          groupId = found.items[0].groupId;
        }
        if (!groupId) throw missingParameter('GroupId');
        await wrote(written, this.network.deleteSecurityGroup(groupId, ctx));
        return { Return: true, GroupId: groupId };
      }),
      a('DescribeAvailabilityZones', async (i: Ec2.DescribeAvailabilityZonesRequest) => {
        const zones = availabilityZonesOf(this.config.region).filter(
          (z) => (!i.ZoneNames?.length || i.ZoneNames.includes(z.zoneName)) && (!i.ZoneIds?.length || i.ZoneIds.includes(z.zoneId)),
        );
        return {
          AvailabilityZones: zones.map((z) => ({
            ZoneName: z.zoneName,
            ZoneId: z.zoneId,
            RegionName: this.config.region,
            State: 'available',
            OptInStatus: 'opt-in-not-required',
            ZoneType: 'availability-zone',
            GroupName: this.config.region,
            NetworkBorderGroup: this.config.region,
            Messages: [],
          })),
        };
      }),
      action('CreateVpcEndpoint', ['consumer'], (i: Ec2.CreateVpcEndpointRequest, call) => this.createVpcEndpoint(i, call)),
      a('CreateTags', async (i: Ec2.CreateTagsRequest, call) => {
        for (const id of i.Resources) await this.tag(id, { add: tagsIn(i.Tags) ?? [] }, call);
        return undefined;
      }),
      a('DeleteTags', async (i: Ec2.DeleteTagsRequest, call) => {
        for (const id of i.Resources) await this.tag(id, { removeKeys: (i.Tags ?? []).map((t) => t.Key ?? '') }, call);
        return undefined;
      }),
      a('DescribeTags', async (i: Ec2.DescribeTagsRequest, { ctx }) => this.describeTags(i, ctx)),
    ]);
  }

  /** CreateVpcEndpoint: SubnetIds and SecurityGroupIds resolved from the inventory, then the REST create. */
  private async createVpcEndpoint(i: Ec2.CreateVpcEndpointRequest, call: WireCallContext) {
    const { ctx } = call;
    const account = ctx.caller.accountId;
    const subnetIds = i.SubnetIds ?? [];
    const groupIds = i.SecurityGroupIds ?? [];
    const subnets = await this.queries.endpointSubnets(
      subnetIds.map((subnetId) => ({ subnetId })),
      account,
      String(i.VpcId),
      (n) => `SubnetId.${n + 1}`,
    );
    await this.queries.endpointGroups(groupIds, account, String(i.VpcId), (n) => `SecurityGroupId.${n + 1}`);
    const body = Object.fromEntries(
      Object.entries({
        serviceName: i.ServiceName,
        vpcEndpointType: i.VpcEndpointType ?? 'Interface',
        vpcId: i.VpcId,
        subnets: subnets.length ? subnets : undefined,
        securityGroupIds: groupIds.length ? groupIds : undefined,
        privateDnsEnabled: i.PrivateDnsEnabled,
        policyDocument: i.PolicyDocument,
        ipAddressType: i.IpAddressType,
        tags: tagSpecificationsIn(i.TagSpecifications, 'vpc-endpoint'),
        clientToken: i.ClientToken,
      }).filter(([, v]) => v !== undefined),
    );
    const created: { vpcEndpoint: VpcEndpointView | { vpcEndpointId: string; vpcEndpointState: string } } = (
      await runRoute(this.resolver.get(CreateVpcEndpointRoute), 'create', { body }, call)
    ).body;
    const v = created.vpcEndpoint;
    const endpoint = 'serviceName' in v ? endpointOf(v) : { VpcEndpointId: v.vpcEndpointId, State: v.vpcEndpointState as Ec2.State };
    return { VpcEndpoint: endpoint, ClientToken: i.ClientToken };
  }

  private async tag(id: string, change: { add?: Tag[]; removeKeys?: string[] }, call: WireCallContext): Promise<void> {
    const { ctx, written } = call;
    if (isServiceId(id)) {
      if (ctx.caller.role !== 'provider') throw new WireError('UnauthorizedOperation', 'only the service’s provider tags a service');
      const command: TagChange = change.add
        ? { type: 'createTags', tags: change.add }
        : { type: 'deleteTags', tagKeys: change.removeKeys ?? [] };
      const result = await this.serviceTags.execute(id, command, ctx);
      written.push(result);
    } else if (isVpcEndpointId(id)) {
      if (ctx.caller.role !== 'consumer') throw new WireError('UnauthorizedOperation', 'only the endpoint’s consumer tags an endpoint');
      const body = change.add ? { addTags: change.add } : { removeTagKeys: change.removeKeys };
      await runRoute(this.resolver.get(ModifyVpcEndpointRoute), 'modify', { params: { vpcEndpointId: id }, body }, call);
    } else {
      written.push(...(await this.network.changeTags(id, change, ctx)));
    }
  }

  /** DescribeTags: the tags of the caller's resources (services, endpoints, inventory), filtered. */
  private async describeTags(i: Ec2.DescribeTagsRequest, ctx: RequestContext) {
    const filters = new Map((i.Filters ?? []).map((f) => [f.Name ?? '', f.Values ?? []]));
    for (const name of filters.keys()) {
      if (!['resource-id', 'resource-type', 'key', 'value'].includes(name)) {
        throw new WireError(
          'InvalidParameterValue',
          `The filter '${name}' is invalid; DescribeTags takes resource-id, resource-type, key, value`,
        );
      }
    }
    const tagged: Array<{ id: string; tags: Tag[] }> = [];
    const all = async <T>(fetch: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>) => {
      const out: T[] = [];
      let token: string | undefined;
      do {
        const page = await fetch(token);
        out.push(...page.items);
        token = page.nextToken;
      } while (token);
      return out;
    };
    if (ctx.caller.role === 'provider') {
      const services = await all(async (nextToken) => {
        const page = await this.resolver
          .get(DescribeEndpointServicesRoute)
          .list({ query: { maxResults: '1000', ...(nextToken ? { nextToken } : {}) } } as never, ctx);
        return { items: page.serviceConfigurations, nextToken: page.nextToken };
      });
      tagged.push(...services.map((s) => ({ id: s.serviceId, tags: s.tags })));
    }
    if (ctx.caller.role === 'consumer') {
      const endpoints = await all(async (nextToken) => {
        const query = { maxResults: '1000', ...(nextToken ? { nextToken } : {}) };
        const { body: page } = await runRoute(this.resolver.get(DescribeVpcEndpointsRoute), 'list', { query }, { ctx, written: [] });
        return { items: page.vpcEndpoints as VpcEndpointView[], nextToken: page.nextToken as string | undefined };
      });
      tagged.push(...endpoints.map((e) => ({ id: e.vpcEndpointId, tags: e.tags })));
    }
    for (const kind of ['vpc', 'subnet', 'sg'] as const) {
      const docs = await all((nextToken) => this.queries.list(kind, ctx.caller, { filters: new Map(), maxResults: 1000, nextToken }));
      tagged.push(
        ...docs.map((d) => ({
          id:
            'vpcId' in d && kind === 'vpc'
              ? d.vpcId
              : 'subnetId' in d && kind === 'subnet'
                ? d.subnetId
                : (d as SecurityGroupState).groupId,
          tags: d.tags,
        })),
      );
    }
    const match = (name: string, value: string) => !filters.has(name) || filters.get(name)!.includes(value);
    const Tags: Ec2.TagDescriptionList = [];
    for (const r of tagged) {
      const type = resourceTypeOf(r.id);
      if (!match('resource-id', r.id) || !type || !match('resource-type', type)) continue;
      for (const t of r.tags)
        if (match('key', t.key) && match('value', t.value)) Tags.push({ ResourceId: r.id, ResourceType: type, Key: t.key, Value: t.value });
    }
    return { Tags };
  }
}
