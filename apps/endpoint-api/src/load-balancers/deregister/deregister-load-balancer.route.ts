import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import {
  LOAD_BALANCERS_TAG,
  loadBalancerArnParam,
  loadBalancerNotFoundResponse,
  loadBalancerResponse,
  toLoadBalancerView,
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

@Controller()
export class DeregisterLoadBalancerRoute {
  constructor(private readonly handler: DeregisterLoadBalancerHandler) {}

  @Route(route)
  async deregister(@Input() { params }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.loadBalancerArn, ctx);
    return answer({ loadBalancer: toLoadBalancerView(result.state) }, result);
  }
}
