import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { endpointServiceDecider } from '@privatelink/domain';
import type { EndpointApiCore } from '../endpoint-api.core';

/**
 * A new service is `Pending` until its load balancers are confirmed, then `Available` (the guide's
 * service states). The reaction is idempotent through the decider: an `Available` service decides nothing.
 */
export class ServiceActivation {
  constructor(private readonly core: EndpointApiCore) {}

  register(): void {
    this.core.runtime.addConsumer('service-activation', [eventTopicFor(streamFamilies.endpointService)], async (event) => {
      if (event.type !== 'endpointServiceCreated') return;
      await this.core.runtime.execute(
        event.streamId,
        endpointServiceDecider,
        { type: 'markAvailable', now: this.core.now().toISOString() },
        { principal: `service:${this.core.runtime.service}`, correlationId: event.metadata.correlationId, causationId: event.eventId },
      );
    });
  }
}
