import { eventTopicFor, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { isDomainError } from '@privatelink/domain';
import { endpointServices } from '../aggregates';
import type { ServiceRuntime } from '@privatelink/platform';

/**
 * A new service is `Pending` until its load balancers are confirmed, then `Available` (the guide's
 * service states). The reaction is idempotent through the decider: an `Available` service decides nothing.
 * A service deleted before its activation arrived has moved on: the domain refuses to activate it
 * (IncorrectState while Deleting, NotFound once Deleted), and the reaction lets it be instead of retrying.
 */
export class ServiceActivation {
  constructor(private readonly core: { runtime: ServiceRuntime; now(): Date }) {}

  register(): void {
    this.core.runtime.addConsumer('service-activation', [eventTopicFor(streamFamilies.endpointService)], async (event) => {
      if (event.type !== 'endpointServiceCreated') return;
      try {
        const { runtime } = this.core;
        await runtime.handle(
          endpointServices,
          parseStreamId(event.streamId).aggregateId,
          { type: 'markAvailable', now: this.core.now().toISOString() },
          runtime.reaction(event.metadata.correlationId, event.eventId),
        );
      } catch (error) {
        if (isDomainError(error) && (error.code === 'IncorrectState' || error.code === 'InvalidVpcEndpointServiceId.NotFound')) return;
        throw error;
      }
    });
  }
}
