import { parseStreamId, streamFamilies, payloadOf } from '@privatelink/contracts';
import { EndpointServiceEvent, EndpointServiceState, endpointServiceDecider } from '@privatelink/domain';
import { DocumentProjection } from '@privatelink/projections';

/**
 * The broker's own view of the endpoint services (state, type, owner, zones, allowed and auto-accept
 * principals, acceptance, private DNS name): the service decider's state, folded from endpoint-api's
 * events. It is what the workflow checks a request against first; the service's own stream decides last.
 */
export const brokerServicesProjection: DocumentProjection<EndpointServiceState> = {
  name: 'services',
  families: [streamFamilies.endpointService],
  table: 'cb_services',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) =>
    endpointServiceDecider.evolve(doc ?? endpointServiceDecider.initialState, payloadOf<EndpointServiceEvent>(event)) ?? undefined,
};
