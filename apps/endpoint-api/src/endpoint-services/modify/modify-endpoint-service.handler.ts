import { Injectable } from '@nestjs/common';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { Clock } from '../../ports';
import { ServiceWrite, changeService, loadBalancersNamed } from '../service-writes';
import { ModifyEndpointServiceInput } from './modify-endpoint-service.schema';

/**
 * ModifyVpcEndpointServiceConfiguration: the request's fields are the command's; only the load balancers to
 * add are looked up first, in the change's transaction. The domain decides the rest, all or nothing.
 */
@Injectable()
export class ModifyEndpointServiceHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  execute(serviceId: string, input: ModifyEndpointServiceInput, ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    const { runtime } = this;
    const account = ctx.caller.accountId;
    const { addNetworkLoadBalancerArns, addGatewayLoadBalancerArns, ...changes } = input;
    return changeService(runtime, serviceId, ctx, async (_service, tx) => ({
      command: {
        type: 'modifyEndpointService',
        ...changes,
        addNetworkLoadBalancers: await loadBalancersNamed(
          runtime,
          tx,
          addNetworkLoadBalancerArns,
          'addNetworkLoadBalancerArns',
          account,
          'network',
        ),
        addGatewayLoadBalancers: await loadBalancersNamed(
          runtime,
          tx,
          addGatewayLoadBalancerArns,
          'addGatewayLoadBalancerArns',
          account,
          'gateway',
        ),
        now: this.clock.now().toISOString(),
      },
    }));
  }
}
