import { streamFamilies } from '@privatelink/contracts';
import { DocumentProjection, aggregateStateProjection } from '@privatelink/projections';
import { EndpointServiceState, endpointServiceDecider } from '@privatelink/domain';

/** Endpoint services as the API lists them: the decider's state, folded from the service's events. */
export const endpointServicesProjection: DocumentProjection<EndpointServiceState> = aggregateStateProjection({
  name: 'endpoint-services',
  family: streamFamilies.endpointService,
  table: 'rm_endpoint_services',
  decider: endpointServiceDecider,
});
