import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { SERVICES_TAG, conflictResponse, deleteTagsBody, serviceNotFoundResponse, tagsView } from '../endpoint-services.schemas';
import { DeleteServiceTagsHandler } from './delete-tags.handler';

const route = defineRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}/tags',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Delete tags from a service by key (DeleteTags); absent keys are ignored',
  params: { serviceId: serviceIdParam },
  body: deleteTagsBody,
  responses: {
    200: jsonResponse('the service’s tags now', tagsView),
    404: serviceNotFoundResponse,
    409: conflictResponse('IncorrectState'),
  },
});

@Controller()
export class DeleteServiceTagsRoute {
  constructor(private readonly handler: DeleteServiceTagsHandler) {}

  @Route(route)
  async deleteTags(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, body.tagKeys, ctx);
    return answer({ tags: result.state.tags }, result);
  }
}
