import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { defineRoute, handlerRoute } from '../../http/route';
import {
  LOAD_BALANCERS_TAG,
  loadBalancerAnswer,
  loadBalancerArnParam,
  loadBalancerNotFoundResponse,
  loadBalancerResponse,
} from '../load-balancer.view';
import { DeregisterLoadBalancerHandler } from './deregister-load-balancer.handler';

const route = defineRoute({
  method: 'delete',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  roles: ['provider'],
  tags: [LOAD_BALANCERS_TAG],
  summary: 'Deregister a load balancer (refused with ResourceInUse while a service uses it)',
  params: { loadBalancerArn: loadBalancerArnParam },
  responses: {
    200: jsonResponse('deregistered', loadBalancerResponse),
    404: loadBalancerNotFoundResponse,
    409: errorResponse('ResourceInUse: used by endpoint services (details.serviceIds); ConcurrentModification'),
  },
});

export const DeregisterLoadBalancerRoute = handlerRoute(DeregisterLoadBalancerHandler, route, async (handler, { params }, ctx) =>
  loadBalancerAnswer(await handler.execute(params.loadBalancerArn, ctx)),
);
