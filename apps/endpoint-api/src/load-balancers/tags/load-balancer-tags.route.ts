import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { createTagsBody, deleteTagsBody, tagsView } from '../../endpoint-services/endpoint-services.schemas';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { changeLoadBalancer } from '../load-balancer.handlers';
import { LOAD_BALANCERS_TAG, loadBalancerArnParam, loadBalancerNotFoundResponse } from '../load-balancer.view';

const responses = {
  200: jsonResponse('the load balancer’s tags now', tagsView),
  404: loadBalancerNotFoundResponse,
  409: errorResponse('ConcurrentModification'),
};

const createTags = defineRoute({
  method: 'post',
  path: '/v1/provider/load-balancers/{loadBalancerArn}/tags',
  roles: ['provider'],
  tags: [LOAD_BALANCERS_TAG],
  summary: 'Create or overwrite tags on a load balancer (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource',
  params: { loadBalancerArn: loadBalancerArnParam },
  body: createTagsBody,
  responses,
});

const deleteTags = defineRoute({
  method: 'delete',
  path: '/v1/provider/load-balancers/{loadBalancerArn}/tags',
  roles: ['provider'],
  tags: [LOAD_BALANCERS_TAG],
  summary: 'Delete tags from a load balancer by key (DeleteTags); absent keys are ignored',
  params: { loadBalancerArn: loadBalancerArnParam },
  body: deleteTagsBody,
  responses,
});

/** CreateTags / DeleteTags on one of the caller's load balancers (the handler is the load balancer's one change). */
@Controller()
export class LoadBalancerTagsRoute {
  constructor(private readonly runtime: ServiceRuntime) {}

  @Route(createTags)
  async createTags(@Input() { params, body }: InputOf<typeof createTags>, @Ctx() ctx: RequestContext) {
    const result = await changeLoadBalancer(this.runtime, params.loadBalancerArn, { type: 'createTags', tags: body.tags }, ctx);
    return answer({ tags: result.state.tags }, result);
  }

  @Route(deleteTags)
  async deleteTags(@Input() { params, body }: InputOf<typeof deleteTags>, @Ctx() ctx: RequestContext) {
    const result = await changeLoadBalancer(this.runtime, params.loadBalancerArn, { type: 'deleteTags', tagKeys: body.tagKeys }, ctx);
    return answer({ tags: result.state.tags }, result);
  }
}
