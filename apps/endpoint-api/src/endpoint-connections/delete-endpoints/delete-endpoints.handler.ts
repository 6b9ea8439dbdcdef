import { Injectable } from '@nestjs/common';
import { ConnectionBatchResult, connectionBrokerCommands } from '@privatelink/contracts';
import { RequestContext } from '@privatelink/platform';
import { Clock } from '../../ports';
import { ConnectionBroker, Forwarded } from '../broker';

/** DeleteVpcEndpoints: only the consumer account that owns them; another's are NotFound. */
@Injectable()
export class DeleteVpcEndpointsHandler {
  constructor(
    private readonly clock: Clock,
    private readonly broker: ConnectionBroker,
  ) {}

  execute(vpcEndpointIds: string[], ctx: RequestContext): Promise<Forwarded<ConnectionBatchResult>> {
    return this.broker.forward(ctx, connectionBrokerCommands.deleteEndpoints, {
      ownerAccountId: ctx.caller.accountId,
      vpcEndpointIds,
      now: this.clock.now().toISOString(),
    });
  }
}
