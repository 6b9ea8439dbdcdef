import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AvailabilityZone,
  DomainError,
  LoadBalancerIpAddressType,
  LoadBalancerState,
  loadBalancerDecider,
  parseLoadBalancerArn,
  Tag,
} from '@privatelink/domain';
import { RequestContext } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { CommandResult, writeContext } from './command-result';

import { loadBalancerStream } from '../endpoint-services/service-writes';

export { loadBalancerStream };

export class RegisterLoadBalancer {
  constructor(
    readonly input: {
      loadBalancerArn: string;
      availabilityZones: AvailabilityZone[];
      ipAddressType?: LoadBalancerIpAddressType;
      tags?: Tag[];
    },
    readonly ctx: RequestContext,
  ) {}
}

export class DeregisterLoadBalancer {
  constructor(
    readonly loadBalancerArn: string,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(RegisterLoadBalancer)
export class RegisterLoadBalancerHandler implements ICommandHandler<RegisterLoadBalancer, CommandResult<LoadBalancerState>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ input, ctx }: RegisterLoadBalancer): Promise<CommandResult<LoadBalancerState>> {
    const arn = parseLoadBalancerArn(input.loadBalancerArn, 'loadBalancerArn');
    const streamId = loadBalancerStream(input.loadBalancerArn);
    const { state, version, events } = await this.core.runtime.execute(
      streamId,
      loadBalancerDecider,
      {
        type: 'registerLoadBalancer',
        arn: input.loadBalancerArn,
        loadBalancerType: arn.type,
        availabilityZones: input.availabilityZones,
        ipAddressType: input.ipAddressType ?? 'ipv4',
        ownerAccountId: ctx.caller.accountId,
        tags: input.tags ?? [],
        now: this.core.now().toISOString(),
      },
      writeContext(ctx),
    );
    if (events.length === 0)
      throw new DomainError('DuplicateLoadBalancer', `load balancer ${input.loadBalancerArn} is already registered`, 'loadBalancerArn');
    return { state: state!, streamId, version };
  }
}

@CommandHandler(DeregisterLoadBalancer)
export class DeregisterLoadBalancerHandler implements ICommandHandler<DeregisterLoadBalancer, CommandResult<LoadBalancerState>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ loadBalancerArn, ctx }: DeregisterLoadBalancer): Promise<CommandResult<LoadBalancerState>> {
    const streamId = loadBalancerStream(loadBalancerArn);
    const current = await this.core.runtime.store.load(streamId, loadBalancerDecider);
    // Another account's load balancer is reported as absent, so ARNs do not leak across tenants.
    if (!current.state || current.state.ownerAccountId !== ctx.caller.accountId) {
      throw new DomainError('InvalidLoadBalancerArn.NotFound', `load balancer ${loadBalancerArn} is not registered`, 'loadBalancerArn');
    }
    const { state, version } = await this.core.runtime.execute(
      streamId,
      loadBalancerDecider,
      { type: 'deregisterLoadBalancer', now: this.core.now().toISOString() },
      writeContext(ctx),
    );
    return { state: state!, streamId, version };
  }
}

/** CreateTags / DeleteTags on a load balancer: another account's load balancer is NotFound, like an unknown one. */
export class ChangeLoadBalancerTags {
  constructor(
    readonly loadBalancerArn: string,
    readonly change: { type: 'createTags'; tags: Tag[] } | { type: 'deleteTags'; tagKeys: string[] },
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(ChangeLoadBalancerTags)
export class ChangeLoadBalancerTagsHandler implements ICommandHandler<ChangeLoadBalancerTags, CommandResult<LoadBalancerState>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ loadBalancerArn, change, ctx }: ChangeLoadBalancerTags): Promise<CommandResult<LoadBalancerState>> {
    const { runtime } = this.core;
    const streamId = loadBalancerStream(loadBalancerArn);
    // Ownership is checked in the same transaction as the append; a registration never changes owner.
    return runtime.transact(async (tx) => {
      const loaded = await runtime.store.load(streamId, loadBalancerDecider, { tx });
      const { state, version } = loaded;
      if (!state || state.ownerAccountId !== ctx.caller.accountId) {
        throw new DomainError('InvalidLoadBalancerArn.NotFound', `load balancer ${loadBalancerArn} is not registered`, 'loadBalancerArn');
      }
      const events = loadBalancerDecider.decide(change, state);
      await runtime.appendIn(tx, streamId, loaded, events, writeContext(ctx));
      return {
        state: events.reduce(loadBalancerDecider.evolve, state as LoadBalancerState | null)!,
        streamId,
        version: version + events.length,
      };
    });
  }
}
