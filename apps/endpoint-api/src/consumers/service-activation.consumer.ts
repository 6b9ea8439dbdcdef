import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { endpointServiceDecider, isDomainError } from '@privatelink/domain';
import type { EndpointApiCore } from '../endpoint-api.core';

/**
 * A new service is `Pending` until its load balancers are confirmed, then `Available` (the guide's
 * service states). The reaction is idempotent through the decider: an `Available` service decides nothing.
 * A service deleted before its activation arrived has moved on: the domain refuses to activate it
 * (IncorrectState while Deleting, NotFound once Deleted), and the reaction lets it be instead of retrying.
 */
export class ServiceActivation {
  constructor(private readonly core: EndpointApiCore) {}

  register(): void {
    this.core.runtime.addConsumer('service-activation', [eventTopicFor(streamFamilies.endpointService)], async (event) => {
      if (event.type !== 'endpointServiceCreated') return;
      try {
        await this.core.runtime.execute(
          event.streamId,
          endpointServiceDecider,
          { type: 'markAvailable', now: this.core.now().toISOString() },
          { principal: `service:${this.core.runtime.service}`, correlationId: event.metadata.correlationId, causationId: event.eventId },
        );
      } catch (error) {
        if (isDomainError(error) && (error.code === 'IncorrectState' || error.code === 'InvalidVpcEndpointServiceId.NotFound')) return;
        throw error;
      }
    });
  }
}
