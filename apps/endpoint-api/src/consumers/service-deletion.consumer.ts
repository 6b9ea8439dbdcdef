import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { EndpointServiceEvent, endpointServiceDecider } from '@privatelink/domain';
import type { EndpointApiCore } from '../endpoint-api.core';
import { recordLoadBalancerUse } from '../endpoint-services/service-writes';

/**
 * Deleting → Deleted: once a service is `Deleting`, release its load balancers in the registry and
 * complete the deletion, in one transaction. Idempotent through the deciders (a Deleted service and a
 * released load balancer decide nothing), so a redelivered event changes nothing.
 */
export class ServiceDeletion {
  constructor(private readonly core: EndpointApiCore) {}

  register(): void {
    const { runtime } = this.core;
    runtime.addConsumer('service-deletion', [eventTopicFor(streamFamilies.endpointService)], async (event) => {
      if (event.type !== 'endpointServiceDeleting') return;
      const payload = event.payload as unknown as Extract<EndpointServiceEvent, { type: 'endpointServiceDeleting' }>;
      const context = { principal: `service:${runtime.service}`, correlationId: event.metadata.correlationId, causationId: event.eventId };
      await runtime.transact(async (tx) => {
        const loaded = await runtime.store.load(event.streamId, endpointServiceDecider, { tx });
        const { state } = loaded;
        const events = endpointServiceDecider.decide({ type: 'completeDeletion', now: this.core.now().toISOString() }, state);
        await runtime.appendIn(tx, event.streamId, loaded, events, context);
        if (events.length > 0 && state) await this.core.quotas.releaseServicePlace(tx, state.owner);
        const released = [...payload.networkLoadBalancerArns, ...payload.gatewayLoadBalancerArns];
        await recordLoadBalancerUse(runtime, tx, payload.serviceId, { used: [], released }, context);
      });
    });
  }
}
