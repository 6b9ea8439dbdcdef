import { registerLoadBalancerBody } from '../../http/load-balancers.schemas';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { defineRoute, handlerRoute } from '../../http/route';
import { LOAD_BALANCERS_TAG, loadBalancerAnswer, loadBalancerResponse } from '../load-balancer.view';
import { RegisterLoadBalancerHandler } from './register-load-balancer.handler';

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/load-balancers',
  roles: ['provider'],
  tags: [LOAD_BALANCERS_TAG],
  summary: 'Register a Network or Gateway Load Balancer (type from the ARN) with its Availability Zones',
  body: registerLoadBalancerBody,
  responses: {
    201: jsonResponse('registered', loadBalancerResponse),
    409: errorResponse('DuplicateLoadBalancer: already registered; ConcurrentModification'),
  },
});

export const RegisterLoadBalancerRoute = handlerRoute(RegisterLoadBalancerHandler, route, async (handler, { body }, ctx) =>
  loadBalancerAnswer(await handler.execute(body, ctx)),
);
