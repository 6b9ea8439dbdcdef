// The ELBv2 subset (Version 2015-12-01, signed for `elasticloadbalancing`) on the load balancer registry:
// CreateLoadBalancer registers a Network or Gateway Load Balancer whose zones are those of its subnets (the
// network inventory); the registry's REST controller validates and writes, as for REST.
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Elbv2 } from '@privatelink/aws-wire';
import { WireError } from '@privatelink/aws-wire';
import { SubnetState, subnetForEndpointRequest } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext } from '@privatelink/platform';
import { DeregisterLoadBalancerRoute } from '../load-balancers/deregister/deregister-load-balancer.route';
import { DescribeLoadBalancersRoute } from '../load-balancers/describe/describe-load-balancers.route';
import { RegisterLoadBalancerRoute } from '../load-balancers/register/register-load-balancer.route';
import { LoadBalancerTagsRoute } from '../load-balancers/tags/load-balancer-tags.route';
import { LoadBalancerView } from '../http/load-balancers.schemas';
import { NetworkQueries } from '../network/network.queries';
import { ELBV2, WireActions, WireCallContext, WireResolver, actionsOf, runRoute } from './wire-action';

const TYPES = { network: 'net', gateway: 'gwy' } as const;

function loadBalancerOf(v: LoadBalancerView): Elbv2.LoadBalancer {
  const [, , name, id] = v.loadBalancerArn.split(':').pop()!.split('/');
  return {
    LoadBalancerArn: v.loadBalancerArn,
    LoadBalancerName: v.loadBalancerName,
    DNSName: `${name}-${id}.elb.${v.region}.amazonaws.com`,
    CreatedTime: new Date(v.registeredAt),
    Scheme: 'internal',
    State: { Code: 'active' },
    Type: v.loadBalancerType,
    AvailabilityZones: v.availabilityZones.map((z) => ({ ZoneName: z.zoneName })),
    IpAddressType: v.ipAddressType,
  };
}

const tagsIn = (tags: Elbv2.TagList | undefined) => tags?.map((t) => ({ key: t.Key, value: t.Value ?? '' }));

@Injectable()
export class Elbv2Actions {
  constructor(
    private readonly resolver: WireResolver,
    private readonly network: NetworkQueries,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** Every load balancer of the caller's (all pages of the registry's list). */
  private async all(ctx: RequestContext): Promise<LoadBalancerView[]> {
    const out: LoadBalancerView[] = [];
    let nextToken: string | undefined;
    do {
      const query = { maxResults: '1000', ...(nextToken ? { nextToken } : {}) };
      const { body: page } = await runRoute(this.resolver.get(DescribeLoadBalancersRoute), 'list', { query }, { ctx, written: [] });
      out.push(...page.loadBalancers);
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  /** AddTags / RemoveTags: the one change of tags on each load balancer named, in order. */
  private async tagEach(arns: string[], method: 'createTags' | 'deleteTags', body: object, call: WireCallContext) {
    for (const loadBalancerArn of arns)
      await runRoute(this.resolver.get(LoadBalancerTagsRoute), method, { params: { loadBalancerArn }, body }, call);
    return {};
  }

  actions(): WireActions {
    const a = actionsOf(ELBV2);
    return Object.fromEntries([
      a('CreateLoadBalancer', ['provider'], async (i: Elbv2.CreateLoadBalancerInput, call) => {
        const type = i.Type ?? 'application';
        if (type !== 'network' && type !== 'gateway') {
          throw new WireError(
            'InvalidConfigurationRequest',
            `Type ${type}: this system registers Network and Gateway Load Balancers only (Type network or gateway)`,
          );
        }
        if (i.Subnets?.length && i.SubnetMappings?.length)
          throw new WireError('ValidationError', 'Specify either Subnets or SubnetMappings, not both');
        const subnetIds = i.Subnets ?? (i.SubnetMappings ?? []).map((m) => m.SubnetId ?? '');
        if (subnetIds.length === 0)
          throw new WireError('ValidationError', 'Specify Subnets or SubnetMappings (the subnets give the zones)');
        const docs = await this.network.byIds(subnetIds);
        const subnets = subnetIds.map((id, n) =>
          subnetForEndpointRequest(
            (docs.get(id) as SubnetState | undefined) ?? null,
            id,
            `Subnets.member.${n + 1}`,
            call.ctx.caller.accountId,
          ),
        );
        if (new Set(subnets.map((s) => s.vpcId)).size > 1)
          throw new WireError('InvalidConfigurationRequest', 'The subnets must be in one VPC');
        const existing = (await this.all(call.ctx)).find((lb) => lb.loadBalancerName === i.Name);
        if (existing) {
          const sameZones =
            existing.availabilityZones
              .map((z) => z.zoneId)
              .sort()
              .join() ===
            subnets
              .map((s) => s.availabilityZone.zoneId)
              .sort()
              .join();
          if (existing.loadBalancerType === type && sameZones) return { LoadBalancers: [loadBalancerOf(existing)] }; // idempotent, as ELBv2
          throw new WireError('DuplicateLoadBalancerName', `A load balancer with the name '${i.Name}' already exists`);
        }
        const arn = `arn:aws:elasticloadbalancing:${this.config.region}:${call.ctx.caller.accountId}:loadbalancer/${TYPES[type]}/${i.Name}/${randomBytes(8).toString('hex')}`;
        const body = Object.fromEntries(
          Object.entries({
            loadBalancerArn: arn,
            availabilityZones: subnets.map((s) => s.availabilityZone),
            ipAddressType: i.IpAddressType,
            tags: tagsIn(i.Tags),
          }).filter(([, v]) => v !== undefined),
        );
        const created = (await runRoute(this.resolver.get(RegisterLoadBalancerRoute), 'handle', { body }, call)).body;
        const lb = loadBalancerOf(created.loadBalancer);
        return {
          LoadBalancers: [
            {
              ...lb,
              VpcId: subnets[0].vpcId,
              AvailabilityZones: subnets.map((s) => ({ ZoneName: s.availabilityZone.zoneName, SubnetId: s.subnetId })),
            },
          ],
        };
      }),
      a('DescribeLoadBalancers', ['provider', 'ops'], async (i: Elbv2.DescribeLoadBalancersInput, call) => {
        if (i.Names?.length) {
          const found = (await this.all(call.ctx)).filter((lb) => i.Names!.includes(lb.loadBalancerName));
          const missing = i.Names.filter((n) => !found.some((lb) => lb.loadBalancerName === n));
          if (missing.length) throw new WireError('LoadBalancerNotFound', `Load balancers '${missing.join(', ')}' not found`);
          return { LoadBalancers: found.map(loadBalancerOf) };
        }
        const query: Record<string, unknown> = {};
        if (i.LoadBalancerArns?.length) query['filter.load-balancer-arn'] = i.LoadBalancerArns;
        if (i.PageSize !== undefined) query.maxResults = String(i.PageSize);
        if (i.Marker !== undefined) query.nextToken = i.Marker;
        const page = (await runRoute(this.resolver.get(DescribeLoadBalancersRoute), 'list', { query }, call)).body;
        if (i.LoadBalancerArns?.length && page.loadBalancers.length < new Set(i.LoadBalancerArns).size) {
          throw new WireError('LoadBalancerNotFound', 'One or more load balancers not found');
        }
        return { LoadBalancers: page.loadBalancers.map(loadBalancerOf), NextMarker: page.nextToken };
      }),
      a('DeleteLoadBalancer', ['provider'], async (i: Elbv2.DeleteLoadBalancerInput, call) => {
        await runRoute(this.resolver.get(DeregisterLoadBalancerRoute), 'handle', { params: { loadBalancerArn: i.LoadBalancerArn } }, call);
        return {};
      }),
      a('AddTags', ['provider'], (i: Elbv2.AddTagsInput, call) =>
        this.tagEach(i.ResourceArns, 'createTags', { tags: tagsIn(i.Tags) }, call),
      ),
      a('RemoveTags', ['provider'], (i: Elbv2.RemoveTagsInput, call) =>
        this.tagEach(i.ResourceArns, 'deleteTags', { tagKeys: i.TagKeys }, call),
      ),
      a('DescribeTags', ['provider', 'ops'], async (i: Elbv2.DescribeTagsInput, call) => {
        const TagDescriptions: Elbv2.TagDescriptions = [];
        for (const arn of i.ResourceArns) {
          const { loadBalancer } = (
            await runRoute(this.resolver.get(DescribeLoadBalancersRoute), 'get', { params: { loadBalancerArn: arn } }, call)
          ).body;
          TagDescriptions.push({
            ResourceArn: arn,
            Tags: loadBalancer.tags.map((t: { key: string; value: string }) => ({ Key: t.key, Value: t.value })),
          });
        }
        return { TagDescriptions };
      }),
    ]);
  }
}
