import { loadBalancerView } from '../../http/load-balancers.schemas';
import { jsonResponse } from '../../http/openapi-helpers';
import { collectionReads } from '../../http/list-route';
import { LoadBalancerQueries } from '../load-balancer.queries';
import {
  LOAD_BALANCERS_TAG,
  loadBalancerArnParam,
  loadBalancerNotFoundResponse,
  loadBalancerResponse,
  toLoadBalancerView,
} from '../load-balancer.view';

/** The caller's load balancers (ops: every account's), and one of them. */
export const DescribeLoadBalancersRoute = collectionReads(LoadBalancerQueries, {
  path: '/v1/provider/load-balancers',
  roles: ['provider', 'ops'],
  tags: [LOAD_BALANCERS_TAG],
  summary: "List the caller's load balancers (ops: every account's)",
  filters: ['load-balancer-arn', 'load-balancer-type', 'state'],
  filterNotes: { 'load-balancer-type': 'network, gateway', state: 'registered by default, deregistered' },
  key: 'loadBalancers',
  item: loadBalancerView,
  pageName: 'LoadBalancerPage',
  page: (loadBalancers, caller, request) => loadBalancers.list(caller, request),
  view: toLoadBalancerView,
  one: {
    param: 'loadBalancerArn',
    schema: loadBalancerArnParam,
    summary: 'Describe one load balancer, with the services that use it',
    response: jsonResponse('the load balancer', loadBalancerResponse),
    notFound: loadBalancerNotFoundResponse,
    read: async (loadBalancers, arn, caller) => ({ loadBalancer: toLoadBalancerView(await loadBalancers.visible(arn, caller)) }),
  },
});
