// The network inventory's writes: each a single transaction over the streams a rule spans (a VPC and its
// default security group; a subnet or a group and its VPC, which checks blocks and names). The rules are the
// deciders'; each stream is written through the write path (`runtime.handle`) inside the one transaction.
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  SecurityGroupState,
  SubnetState,
  Tag,
  VpcCommand,
  VpcState,
  assertSecurityGroupId,
  assertSubnetId,
  assertVpcId,
  describeVpc,
  isSecurityGroupId,
  isSubnetId,
  isVpcId,
  invalid,
  requireOwnSecurityGroup,
  requireOwnSubnet,
  requireOwnVpc,
  resolveAvailabilityZone,
  securityGroupId as makeSecurityGroupId,
  subnetId as makeSubnetId,
  vpcId as makeVpcId,
} from '@privatelink/domain';
import { EventSourcedAggregate, PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { securityGroups, subnets, vpcs } from '../aggregates';
import { writeContext } from '../handlers/command-result';
import { StreamVersion } from '../http/consistency';
import { Clock } from '../ports';

export interface NetworkWrite<S> {
  state: S;
  written: StreamVersion[];
}

/** One aggregate's command through the write path, inside the write's transaction; answers the state after. */
type Step = <C, E extends { type: string }, S>(
  aggregate: EventSourcedAggregate<C, E, S>,
  id: string,
  command: (state: S) => C,
) => Promise<S>;

const hex17 = () => randomBytes(9).toString('hex').slice(0, 17);

@Injectable()
export class NetworkHandlers {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * One write transaction: `body` takes its steps (each loads, decides and appends one stream inside the
   * transaction); answers the state `body` answers and where the steps wrote.
   */
  private write<S>(ctx: RequestContext, body: (step: Step, tx: EntityManager) => Promise<S>): Promise<NetworkWrite<S>> {
    return this.runtime.transact(async (tx) => {
      const written: StreamVersion[] = [];
      const step: Step = async (aggregate, id, command) => {
        // attempts 1: a conflict retries the whole transaction (`transact`), every stream of it on fresh state.
        const handled = await this.runtime.handle(aggregate, id, command, writeContext(ctx), { tx, attempts: 1 });
        if (handled.events.length > 0) written.push({ streamId: handled.streamId, version: handled.version });
        return handled.state;
      };
      return { state: await body(step, tx), written };
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** CreateVpc: the VPC and its default security group, together. */
  createVpc(input: { cidrBlock: string; tags?: Tag[] }, ctx: RequestContext): Promise<NetworkWrite<VpcState>> {
    const vpcId = makeVpcId(hex17());
    const groupId = makeSecurityGroupId(hex17());
    const account = ctx.caller.accountId;
    return this.write(ctx, async (step) => {
      const now = this.now();
      const vpc = await step(vpcs, vpcId, () => ({
        type: 'createVpc' as const,
        vpcId,
        ownerAccountId: account,
        region: this.config.region,
        cidrBlock: input.cidrBlock,
        defaultSecurityGroupId: groupId,
        tags: input.tags,
        now,
      }));
      await step(securityGroups, groupId, () => ({
        type: 'createDefaultSecurityGroup' as const,
        groupId,
        vpc: describeVpc(vpc, account),
        now,
      }));
      return vpc!;
    });
  }

  /** DeleteVpc: refused while it has subnets or other groups; its default group goes with it. */
  deleteVpc(vpcId: string, ctx: RequestContext): Promise<NetworkWrite<VpcState>> {
    const id = assertVpcId(vpcId, 'vpcId');
    return this.write(ctx, async (step) => {
      const now = this.now();
      const vpc = await step(vpcs, id, () => ({
        type: 'deleteVpc' as const,
        callerAccountId: ctx.caller.accountId,
        now,
      }));
      await step(securityGroups, vpc!.defaultSecurityGroupId, () => ({ type: 'deleteWithVpc' as const, now }));
      return vpc!;
    });
  }

  /** CreateSubnet: the VPC accepts the block, the subnet takes its zone (AvailabilityZone or AvailabilityZoneId). */
  createSubnet(
    input: { vpcId: string; cidrBlock: string; availabilityZone?: string; availabilityZoneId?: string; tags?: Tag[] },
    ctx: RequestContext,
  ): Promise<NetworkWrite<SubnetState>> {
    const vpcId = assertVpcId(input.vpcId, 'vpcId');
    const subnetId = makeSubnetId(hex17());
    const account = ctx.caller.accountId;
    const zone = resolveAvailabilityZone(this.config.region, { zoneName: input.availabilityZone, zoneId: input.availabilityZoneId });
    return this.write(ctx, async (step) => {
      const vpc = await step(vpcs, vpcId, () => ({
        type: 'addSubnet' as const,
        callerAccountId: account,
        subnetId,
        cidrBlock: input.cidrBlock,
      }));
      const block = vpc!.subnets.find((s) => s.subnetId === subnetId)!.cidrBlock;
      const subnet = await step(subnets, subnetId, () => ({
        type: 'createSubnet' as const,
        subnetId,
        vpc: describeVpc(vpc, account, vpcId),
        cidrBlock: block,
        availabilityZone: zone,
        tags: input.tags,
        now: this.now(),
      }));
      return subnet!;
    });
  }

  deleteSubnet(subnetId: string, ctx: RequestContext): Promise<NetworkWrite<SubnetState>> {
    const id = assertSubnetId(subnetId, 'subnetId');
    return this.deleteFromVpc(ctx, id, subnets, 'deleteSubnet', { type: 'removeSubnet', subnetId: id });
  }

  /** CreateSecurityGroup: the VPC keeps the name unique. */
  createSecurityGroup(
    input: { vpcId: string; groupName: string; description: string; tags?: Tag[] },
    ctx: RequestContext,
  ): Promise<NetworkWrite<SecurityGroupState>> {
    const vpcId = assertVpcId(input.vpcId, 'vpcId');
    const groupId = makeSecurityGroupId(hex17());
    const account = ctx.caller.accountId;
    return this.write(ctx, async (step, tx) => {
      // The group's own rules (its name) first, then the VPC's (unique per VPC).
      const vpcState = (await this.runtime.load(vpcs, vpcId, { tx })).state;
      const vpc = describeVpc(vpcState, account, vpcId);
      const group = await step(securityGroups, groupId, () => ({
        type: 'createSecurityGroup' as const,
        groupId,
        groupName: input.groupName,
        description: input.description,
        vpc,
        tags: input.tags,
        now: this.now(),
      }));
      await step(vpcs, vpcId, () => ({
        type: 'addSecurityGroup' as const,
        callerAccountId: account,
        groupId,
        groupName: group!.groupName,
      }));
      return group!;
    });
  }

  deleteSecurityGroup(groupId: string, ctx: RequestContext): Promise<NetworkWrite<SecurityGroupState>> {
    const id = assertSecurityGroupId(groupId, 'groupId');
    return this.deleteFromVpc(ctx, id, securityGroups, 'deleteSecurityGroup', { type: 'removeSecurityGroup', groupId: id });
  }

  /** DeleteSubnet / DeleteSecurityGroup: the resource's own rules refuse or delete it, then its VPC forgets it. */
  private deleteFromVpc<T extends string, E extends { type: string }, S extends { vpcId: string } | null>(
    ctx: RequestContext,
    id: string,
    aggregate: EventSourcedAggregate<{ type: T; callerAccountId: string; now: string }, E, S>,
    type: T,
    removal: VpcCommand,
  ): Promise<NetworkWrite<NonNullable<S>>> {
    return this.write(ctx, async (step) => {
      const deleted = await step(aggregate, id, () => ({ type, callerAccountId: ctx.caller.accountId, now: this.now() }));
      await step(vpcs, deleted!.vpcId, () => removal);
      return deleted!;
    });
  }

  /** CreateTags / DeleteTags on a VPC, subnet or security group of the caller's. */
  async changeTags(resourceId: string, change: { add?: Tag[]; removeKeys?: string[] }, ctx: RequestContext): Promise<StreamVersion[]> {
    const callerAccountId = ctx.caller.accountId;
    const command = change.add
      ? { type: 'createTags' as const, callerAccountId, tags: change.add }
      : { type: 'deleteTags' as const, callerAccountId, tagKeys: change.removeKeys ?? [] };
    const { written } = await this.write(ctx, async (step) => {
      if (isVpcId(resourceId)) await step(vpcs, resourceId, (s) => (requireOwnVpc(s, callerAccountId, resourceId), command));
      else if (isSubnetId(resourceId)) await step(subnets, resourceId, (s) => (requireOwnSubnet(s, callerAccountId, resourceId), command));
      else if (isSecurityGroupId(resourceId))
        await step(securityGroups, resourceId, (s) => (requireOwnSecurityGroup(s, callerAccountId, resourceId), command));
      else throw invalid('resourceId', `resourceId: '${resourceId}' is not a VPC, subnet or security group id`);
    });
    return written;
  }
}
