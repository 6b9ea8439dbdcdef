import { DomainError, LoadBalancerCommand, LoadBalancerState } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { loadBalancers } from '../aggregates';
import { CommandResult, writeContext } from '../handlers/command-result';

export const loadBalancerNotFound = (arn: string) =>
  new DomainError('InvalidLoadBalancerArn.NotFound', `load balancer ${arn} is not registered`, 'loadBalancerArn');

/**
 * A change of one of the caller's load balancers: decided only on one the caller owns (another account's is
 * NotFound, like an unknown one, so ARNs do not leak across tenants), checked on the state it decides on.
 */
export async function changeLoadBalancer(
  runtime: ServiceRuntime,
  arn: string,
  command: LoadBalancerCommand,
  ctx: RequestContext,
): Promise<CommandResult<LoadBalancerState>> {
  const written = await runtime.handle(
    loadBalancers,
    arn,
    (state) => {
      if (!state || state.ownerAccountId !== ctx.caller.accountId) throw loadBalancerNotFound(arn);
      return command;
    },
    writeContext(ctx),
  );
  return { state: written.state!, streamId: written.streamId, version: written.version };
}
