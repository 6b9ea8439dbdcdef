import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { registerLoadBalancerBody } from '../../http/load-balancers.schemas';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { LOAD_BALANCERS_TAG, loadBalancerResponse, toLoadBalancerView } from '../load-balancer.view';
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

@Controller()
export class RegisterLoadBalancerRoute {
  constructor(private readonly handler: RegisterLoadBalancerHandler) {}

  @Route(route)
  async register(@Input() { body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(body, ctx);
    return answer({ loadBalancer: toLoadBalancerView(result.state) }, result);
  }
}
