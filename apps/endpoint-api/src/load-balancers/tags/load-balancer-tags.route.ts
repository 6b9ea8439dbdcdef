import { ServiceRuntime } from '@privatelink/platform';
import { errorResponse } from '../../http/openapi-helpers';
import { tagRoutes } from '../../http/tag-routes';
import { changeLoadBalancer } from '../load-balancer.handlers';
import { LOAD_BALANCERS_TAG, loadBalancerArnParam, loadBalancerNotFoundResponse } from '../load-balancer.view';

/** CreateTags / DeleteTags on one of the caller's load balancers (the handler is the load balancer's one change). */
export const LoadBalancerTagsRoute = tagRoutes(
  {
    name: 'load balancer',
    path: '/v1/provider/load-balancers/{loadBalancerArn}',
    param: 'loadBalancerArn',
    schema: loadBalancerArnParam,
    tags: [LOAD_BALANCERS_TAG],
    responses: { 404: loadBalancerNotFoundResponse, 409: errorResponse('ConcurrentModification') },
  },
  ServiceRuntime,
  changeLoadBalancer,
);
