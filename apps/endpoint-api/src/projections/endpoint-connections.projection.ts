import { streamFamilies } from '@privatelink/contracts';
import { EndpointConnectionState, endpointConnectionDecider } from '@privatelink/domain';
import { DocumentProjection, aggregateStateProjection } from '@privatelink/projections';

/**
 * The connections as the consumer portal, the provider and ops read them: the connection decider's state,
 * folded from connection-broker's events (endpoint-api reads only its own tables).
 */
export const endpointConnectionsProjection: DocumentProjection<EndpointConnectionState> = aggregateStateProjection({
  name: 'endpoint-connections',
  family: streamFamilies.endpointConnection,
  table: 'rm_endpoint_connections',
  decider: endpointConnectionDecider,
});
