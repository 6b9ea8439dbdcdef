import { payloadOf, streamFamilies, parseStreamId } from '@privatelink/contracts';
import { DocumentProjection } from '@privatelink/projections';
import { EndpointServiceEvent, EndpointServiceState, endpointServiceDecider } from '@privatelink/domain';

/** Endpoint services as the API lists them: the decider's state, folded from the service's events. */
export const endpointServicesProjection: DocumentProjection<EndpointServiceState> = {
  name: 'endpoint-services',
  families: [streamFamilies.endpointService],
  table: 'rm_endpoint_services',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) =>
    endpointServiceDecider.evolve(doc ?? endpointServiceDecider.initialState, payloadOf<EndpointServiceEvent>(event)) ?? undefined,
};
