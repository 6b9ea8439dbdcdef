import { serviceAttachmentCommands } from '@privatelink/contracts';
import { acceptsAutomatically } from '@privatelink/domain';
import { CommandHandler, ServiceRuntime, commandHandler, registerCommandHandlers } from '@privatelink/platform';
import { endpointServices } from '../aggregates';

/**
 * The commands other services send endpoint-api, the owner of the service streams. Register every one
 * here: one runtime has one command consumer group, so a second registration would split the topic.
 */
export function registerOwnedCommands(core: { runtime: ServiceRuntime }): void {
  registerCommandHandlers(core.runtime, [openServiceConnection(core), closeServiceConnection(core)]);
}

/**
 * connection-broker asks to attach a new connection to the service. The service's own stream decides, on
 * its authoritative state, with optimistic concurrency against every other writer of the service: it must
 * be Available (a deletion that started first wins), the requester must still be allowed (a permission
 * removed first wins), and a zone must be shared. Then the connection counts as live on the service (no
 * deletion, load balancer removal or private DNS name removal while it lives), and the answer says whether
 * the provider still has to accept it (acceptanceRequired, unless the requester is on autoAcceptPrincipals).
 * A refusal names the reason the connection fails with (`details.stateReason`).
 */
function openServiceConnection(core: { runtime: ServiceRuntime }): CommandHandler {
  return commandHandler(serviceAttachmentCommands.open, async (p, { tx, context }) => {
    const { state } = await core.runtime.handle(
      endpointServices,
      p.serviceId,
      // The attachment rules (attachmentRefusal) are decided by the service's decider; already attached: no event, the same answer.
      () => ({
        type: 'recordConnectionOpened' as const,
        vpcEndpointId: p.vpcEndpointId,
        requester: { principal: p.requesterPrincipal, availabilityZoneIds: p.availabilityZoneIds },
      }),
      context,
      { tx },
    );
    return { vpcEndpointId: p.vpcEndpointId, acceptanceRequired: !acceptsAutomatically(state!, p.requesterPrincipal) };
  });
}

/** The connection was rejected or deleted: the service stops counting it. Closing what is not open is a no-op. */
function closeServiceConnection(core: { runtime: ServiceRuntime }): CommandHandler {
  return commandHandler(serviceAttachmentCommands.close, async (p, { tx, context }) => {
    await core.runtime.handle(endpointServices, p.serviceId, { type: 'recordConnectionClosed', vpcEndpointId: p.vpcEndpointId }, context, {
      tx,
    });
    return { vpcEndpointId: p.vpcEndpointId };
  });
}
