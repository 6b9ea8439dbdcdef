import { Injectable } from '@nestjs/common';
import { DomainError, LoadBalancerState, parseLoadBalancerArn } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { loadBalancers } from '../../aggregates';
import { CommandResult, writeContext } from '../../handlers/command-result';
import { Clock } from '../../ports';
import { RegisterLoadBalancerInput } from '../../http/load-balancers.schemas';

/** Registers a Network or Gateway Load Balancer (its type from the ARN); registering one twice is DuplicateLoadBalancer. */
@Injectable()
export class RegisterLoadBalancerHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterLoadBalancerInput, ctx: RequestContext): Promise<CommandResult<LoadBalancerState>> {
    const arn = parseLoadBalancerArn(input.loadBalancerArn, 'loadBalancerArn');
    const { state, streamId, version, events } = await this.runtime.handle(
      loadBalancers,
      input.loadBalancerArn,
      {
        type: 'registerLoadBalancer',
        arn: input.loadBalancerArn,
        loadBalancerType: arn.type,
        availabilityZones: input.availabilityZones,
        ipAddressType: input.ipAddressType ?? 'ipv4',
        ownerAccountId: ctx.caller.accountId,
        tags: input.tags ?? [],
        now: this.clock.now().toISOString(),
      },
      writeContext(ctx),
    );
    if (events.length === 0)
      throw new DomainError('DuplicateLoadBalancer', `load balancer ${input.loadBalancerArn} is already registered`, 'loadBalancerArn');
    return { state: state!, streamId, version };
  }
}
