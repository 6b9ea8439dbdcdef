import { payloadOf, streamFamilies, parseStreamId } from '@privatelink/contracts';
import { DocumentProjection } from '@privatelink/projections';
import { LoadBalancerEvent, LoadBalancerState, evolveLoadBalancer } from '@privatelink/domain';

/** The provider's load balancers as the API lists them: the decider's own state, folded from its events. */
export const loadBalancersProjection: DocumentProjection<LoadBalancerState> = {
  name: 'load-balancers',
  families: [streamFamilies.loadBalancer],
  table: 'rm_load_balancers',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) => evolveLoadBalancer(doc ?? null, payloadOf<LoadBalancerEvent>(event)) ?? undefined,
};
