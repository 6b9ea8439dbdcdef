import {
  CloseServiceConnectionPayload,
  CommandEnvelope,
  OpenServiceConnectionPayload,
  OpenServiceConnectionResult,
  serviceAttachmentCommands,
} from '@privatelink/contracts';
import { DomainError, acceptsAutomatically, attachmentRefusal, endpointServiceDecider } from '@privatelink/domain';
import { CommandHandlerFn, WriteContext, registerCommandHandlers, retryInTransaction } from '@privatelink/platform';
import type { EndpointApiCore } from '../endpoint-api.core';
import { endpointServiceStream } from '../endpoint-services/service-writes';

/**
 * The commands other services send endpoint-api, the owner of the service streams. Register every one
 * here: one runtime has one command consumer group, so a second registration would split the topic.
 */
export function registerOwnedCommands(core: EndpointApiCore): void {
  registerCommandHandlers(core.runtime, {
    [serviceAttachmentCommands.open]: openServiceConnection(core),
    [serviceAttachmentCommands.close]: closeServiceConnection(core),
  });
}

const contextOf = (command: CommandEnvelope): WriteContext => ({
  principal: command.metadata.principal,
  correlationId: command.metadata.correlationId,
  causationId: command.commandId,
});

/**
 * connection-broker asks to attach a new connection to the service. The service's own stream decides, on
 * its authoritative state, with optimistic concurrency against every other writer of the service: it must
 * be Available (a deletion that started first wins), the requester must still be allowed (a permission
 * removed first wins), and a zone must be shared. Then the connection counts as live on the service (no
 * deletion, load balancer removal or private DNS name removal while it lives), and the answer says whether
 * the provider still has to accept it (acceptanceRequired, unless the requester is on autoAcceptPrincipals).
 * A refusal names the reason the connection fails with (`details.stateReason`).
 */
function openServiceConnection(core: EndpointApiCore): CommandHandlerFn {
  return (command, tx) => {
    const p = command.payload as unknown as OpenServiceConnectionPayload;
    const streamId = endpointServiceStream(p.serviceId);
    return retryInTransaction(tx, async () => {
      const loaded = await core.runtime.store.load(streamId, endpointServiceDecider, { tx });
      const { state } = loaded;
      const answer = (): Record<string, unknown> =>
        ({
          vpcEndpointId: p.vpcEndpointId,
          acceptanceRequired: !acceptsAutomatically(state!, p.requesterPrincipal),
        }) satisfies OpenServiceConnectionResult;
      if (state?.liveConnectionIds.includes(p.vpcEndpointId)) return answer(); // already attached: the same answer
      const refusal = attachmentRefusal(state, p.requesterPrincipal, p.availabilityZoneIds);
      if (refusal) {
        throw new DomainError(
          refusal.reason === 'PrincipalNotAllowed' ? 'UnauthorizedOperation' : 'IncorrectState',
          refusal.message,
          'serviceId',
          {
            vpcEndpointId: p.vpcEndpointId,
            stateReason: refusal.reason,
          },
        );
      }
      const events = endpointServiceDecider.decide({ type: 'recordConnectionOpened', vpcEndpointId: p.vpcEndpointId }, state);
      await core.runtime.appendIn(tx, streamId, loaded, events, contextOf(command));
      return answer();
    });
  };
}

/** The connection was rejected or deleted: the service stops counting it. Closing what is not open is a no-op. */
function closeServiceConnection(core: EndpointApiCore): CommandHandlerFn {
  return (command, tx) => {
    const p = command.payload as unknown as CloseServiceConnectionPayload;
    const streamId = endpointServiceStream(p.serviceId);
    return retryInTransaction(tx, async () => {
      const loaded = await core.runtime.store.load(streamId, endpointServiceDecider, { tx });
      const { state } = loaded;
      const events = endpointServiceDecider.decide({ type: 'recordConnectionClosed', vpcEndpointId: p.vpcEndpointId }, state);
      await core.runtime.appendIn(tx, streamId, loaded, events, contextOf(command));
      return { vpcEndpointId: p.vpcEndpointId };
    });
  };
}
