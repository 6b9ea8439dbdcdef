import { streamFamilies } from '@privatelink/contracts';
import { EndpointServiceState, endpointServiceDecider } from '@privatelink/domain';
import { DocumentProjection, aggregateStateProjection } from '@privatelink/projections';

/**
 * The broker's own view of the endpoint services (state, type, owner, zones, allowed and auto-accept
 * principals, acceptance, private DNS name): the service decider's state, folded from endpoint-api's
 * events. It is what the workflow checks a request against first; the service's own stream decides last.
 */
export const brokerServicesProjection: DocumentProjection<EndpointServiceState> = aggregateStateProjection({
  name: 'services',
  family: streamFamilies.endpointService,
  table: 'cb_services',
  decider: endpointServiceDecider,
});
