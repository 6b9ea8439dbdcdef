import { Injectable } from '@nestjs/common';
import { LoadBalancerState } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { CommandResult } from '../../handlers/command-result';
import { Clock } from '../../ports';
import { changeLoadBalancer } from '../load-balancer.handlers';

/** Deregisters one of the caller's load balancers; the domain refuses while a service uses it. */
@Injectable()
export class DeregisterLoadBalancerHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  execute(arn: string, ctx: RequestContext): Promise<CommandResult<LoadBalancerState>> {
    return changeLoadBalancer(this.runtime, arn, { type: 'deregisterLoadBalancer', now: this.clock.now().toISOString() }, ctx);
  }
}
