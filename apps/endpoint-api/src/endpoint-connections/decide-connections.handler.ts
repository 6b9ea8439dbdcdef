import { Injectable } from '@nestjs/common';
import { ConnectionBatchResult, connectionBrokerCommands } from '@privatelink/contracts';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { ownService } from '../endpoint-services/service-writes';
import { Clock } from '../ports';
import { ConnectionBroker, Forwarded } from './broker';
import { endpointServices } from '../aggregates';

/**
 * Accept/RejectVpcEndpointConnections on one of the provider's own services: connection-broker decides each
 * endpoint on its own stream (a reject detaches it, gives its capacity back to quota-guard, and the notifier
 * sends the service's `Reject` notifications).
 */
@Injectable()
export class DecideConnectionsHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    private readonly broker: ConnectionBroker,
  ) {}

  async execute(
    decision: 'accept' | 'reject',
    serviceId: string,
    vpcEndpointIds: string[],
    ctx: RequestContext,
  ): Promise<Forwarded<ConnectionBatchResult>> {
    // AuthZ at the edge: only the service's owner (another account's service answers NotFound), on its own stream.
    const { state } = await this.runtime.load(endpointServices, serviceId);
    ownService(state, serviceId, ctx.caller.accountId);
    const type = decision === 'accept' ? connectionBrokerCommands.acceptConnections : connectionBrokerCommands.rejectConnections;
    return this.broker.forward(ctx, type, {
      serviceId,
      providerAccountId: ctx.caller.accountId,
      vpcEndpointIds,
      now: this.clock.now().toISOString(),
    });
  }
}
