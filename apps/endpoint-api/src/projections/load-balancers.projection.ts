import { streamFamilies } from '@privatelink/contracts';
import { DocumentProjection, aggregateStateProjection } from '@privatelink/projections';
import { LoadBalancerState, evolveLoadBalancer } from '@privatelink/domain';

/** The provider's load balancers as the API lists them: the decider's own state, folded from its events. */
export const loadBalancersProjection: DocumentProjection<LoadBalancerState> = aggregateStateProjection({
  name: 'load-balancers',
  family: streamFamilies.loadBalancer,
  table: 'rm_load_balancers',
  decider: { initialState: null, evolve: evolveLoadBalancer },
});
