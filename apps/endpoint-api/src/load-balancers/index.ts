// Imported in the order of the API document (each route registers its entry as its file loads).
import { LoadBalancerQueries } from './load-balancer.queries';
import { RegisterLoadBalancerHandler } from './register/register-load-balancer.handler';
import { RegisterLoadBalancerRoute } from './register/register-load-balancer.route';
import { DescribeLoadBalancersRoute } from './describe/describe-load-balancers.route';
import { DeregisterLoadBalancerHandler } from './deregister/deregister-load-balancer.handler';
import { DeregisterLoadBalancerRoute } from './deregister/deregister-load-balancer.route';
import { LoadBalancerTagsRoute } from './tags/load-balancer-tags.route';

/** The load balancers' use cases. */
export const loadBalancerUseCases = {
  routes: [RegisterLoadBalancerRoute, DescribeLoadBalancersRoute, DeregisterLoadBalancerRoute, LoadBalancerTagsRoute],
  providers: [LoadBalancerQueries, RegisterLoadBalancerHandler, DeregisterLoadBalancerHandler],
};
