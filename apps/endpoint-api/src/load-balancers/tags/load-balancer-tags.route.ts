import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { errorResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route } from '../../http/route';
import { tagRoutes, tagsAnswer } from '../../http/tag-routes';
import { changeLoadBalancer } from '../load-balancer.handlers';
import { LOAD_BALANCERS_TAG, loadBalancerArnParam, loadBalancerNotFoundResponse } from '../load-balancer.view';

const tags = tagRoutes({
  name: 'load balancer',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  params: { loadBalancerArn: loadBalancerArnParam },
  tags: [LOAD_BALANCERS_TAG],
  responses: { 404: loadBalancerNotFoundResponse, 409: errorResponse('ConcurrentModification') },
});

/** CreateTags / DeleteTags on one of the caller's load balancers (the handler is the load balancer's one change). */
@Controller()
export class LoadBalancerTagsRoute {
  constructor(private readonly runtime: ServiceRuntime) {}

  @Route(tags.create)
  async createTags(@Input() { params, body }: InputOf<typeof tags.create>, @Ctx() ctx: RequestContext) {
    return tagsAnswer(await changeLoadBalancer(this.runtime, params.loadBalancerArn, { type: 'createTags', tags: body.tags }, ctx));
  }

  @Route(tags.delete)
  async deleteTags(@Input() { params, body }: InputOf<typeof tags.delete>, @Ctx() ctx: RequestContext) {
    return tagsAnswer(await changeLoadBalancer(this.runtime, params.loadBalancerArn, { type: 'deleteTags', tagKeys: body.tagKeys }, ctx));
  }
}
