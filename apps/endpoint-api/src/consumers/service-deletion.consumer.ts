import { payloadOf, eventTopicFor, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { EndpointServiceEvent } from '@privatelink/domain';
import { endpointServices } from '../aggregates';
import type { ServiceRuntime } from '@privatelink/platform';
import type { QuotaEdge } from '../handlers/quota-edge';
import { recordLoadBalancerUse } from '../endpoint-services/service-writes';

/**
 * Deleting → Deleted: once a service is `Deleting`, release its load balancers in the registry and
 * complete the deletion, in one transaction. Idempotent through the deciders (a Deleted service and a
 * released load balancer decide nothing), so a redelivered event changes nothing.
 */
export class ServiceDeletion {
  constructor(private readonly core: { runtime: ServiceRuntime; now(): Date; quotas: QuotaEdge }) {}

  register(): void {
    const { runtime } = this.core;
    runtime.addConsumer('service-deletion', [eventTopicFor(streamFamilies.endpointService)], async (event) => {
      const payload = payloadOf<EndpointServiceEvent>(event);
      if (payload.type !== 'endpointServiceDeleting') return;
      const context = runtime.reaction(event.metadata.correlationId, event.eventId);
      await runtime.handle(
        endpointServices,
        parseStreamId(event.streamId).aggregateId,
        { type: 'completeDeletion', now: this.core.now().toISOString() },
        context,
        {
          after: async ({ events, state }, tx) => {
            if (events.length > 0 && state) await this.core.quotas.releaseServicePlace(tx, state.owner);
            const released = [...payload.networkLoadBalancerArns, ...payload.gatewayLoadBalancerArns];
            await recordLoadBalancerUse(runtime, tx, payload.serviceId, { used: [], released }, context);
          },
        },
      );
    });
  }
}
