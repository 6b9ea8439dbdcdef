import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { SERVICES_TAG, conflictResponse, createTagsBody, serviceNotFoundResponse, tagsView } from '../endpoint-services.schemas';
import { CreateServiceTagsHandler } from './create-tags.handler';

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/tags',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Create or overwrite tags on a service (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource',
  params: { serviceId: serviceIdParam },
  body: createTagsBody,
  responses: {
    200: jsonResponse('the service’s tags now', tagsView),
    404: serviceNotFoundResponse,
    409: conflictResponse('IncorrectState'),
  },
});

@Controller()
export class CreateServiceTagsRoute {
  constructor(private readonly handler: CreateServiceTagsHandler) {}

  @Route(route)
  async createTags(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, body.tags, ctx);
    return answer({ tags: result.state.tags }, result);
  }
}
