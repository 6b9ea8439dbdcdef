import { Injectable } from '@nestjs/common';
import { ConnectionItemResult, ModifyEndpointPayload, connectionBrokerCommands } from '@privatelink/contracts';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { Clock } from '../../ports';
import { ConnectionBroker, Forwarded } from '../broker';
import { ModifyVpcEndpointInput } from './modify-endpoint.schema';
import { endpointServices } from '../../aggregates';

/** ModifyVpcEndpoint: the broker decides on the endpoint's stream (the owner's check included). */
@Injectable()
export class ModifyVpcEndpointHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    private readonly broker: ConnectionBroker,
  ) {}

  async execute(vpcEndpointId: string, changes: ModifyVpcEndpointInput, ctx: RequestContext): Promise<Forwarded<ConnectionItemResult>> {
    // The new subnets are checked against the service's zones: name the service version they must be checked
    // against (its own stream's), so the broker's view of the service waits for it instead of refusing a zone
    // the provider has just added. An endpoint never changes service, so the read model may name it.
    const rows: Array<{ service_id: string }> = await this.runtime.db.query(
      `SELECT service_id FROM rm_endpoint_connections WHERE id = $1`,
      [vpcEndpointId],
    );
    const serviceId = rows[0]?.service_id;
    const observed = serviceId ? (await this.runtime.load(endpointServices, serviceId)).version : undefined;
    const payload: ModifyEndpointPayload = {
      vpcEndpointId,
      ownerAccountId: ctx.caller.accountId,
      changes,
      serviceId,
      observedServiceVersion: observed,
      now: this.clock.now().toISOString(),
    };
    return this.broker.forward(ctx, connectionBrokerCommands.modifyEndpoint, payload);
  }
}
