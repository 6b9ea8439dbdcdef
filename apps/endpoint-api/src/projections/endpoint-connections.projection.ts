import { payloadOf, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { EndpointConnectionEvent, EndpointConnectionState, endpointConnectionDecider } from '@privatelink/domain';
import { DocumentProjection } from '@privatelink/projections';

/**
 * The connections as the consumer portal, the provider and ops read them: the connection decider's state,
 * folded from connection-broker's events (endpoint-api reads only its own tables).
 */
export const endpointConnectionsProjection: DocumentProjection<EndpointConnectionState> = {
  name: 'endpoint-connections',
  families: [streamFamilies.endpointConnection],
  table: 'rm_endpoint_connections',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) =>
    endpointConnectionDecider.evolve(doc ?? endpointConnectionDecider.initialState, payloadOf<EndpointConnectionEvent>(event)) ?? undefined,
};
