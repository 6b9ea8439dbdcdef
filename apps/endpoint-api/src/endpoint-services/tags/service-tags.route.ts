import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route } from '../../http/route';
import { tagRoutes, tagsAnswer } from '../../http/tag-routes';
import { CreateServiceTagsHandler } from '../create-tags/create-tags.handler';
import { DeleteServiceTagsHandler } from '../delete-tags/delete-tags.handler';
import { SERVICES_TAG, conflictResponse, serviceNotFoundResponse } from '../endpoint-services.schemas';

const tags = tagRoutes({
  name: 'service',
  path: '/v1/provider/endpoint-services/{serviceId}',
  params: { serviceId: serviceIdParam },
  tags: [SERVICES_TAG],
  responses: { 404: serviceNotFoundResponse, 409: conflictResponse('IncorrectState') },
});

/** CreateTags / DeleteTags on one of the provider's services (its handlers, as the EC2 tag actions use them). */
@Controller()
export class ServiceTagsRoute {
  constructor(
    private readonly create: CreateServiceTagsHandler,
    private readonly remove: DeleteServiceTagsHandler,
  ) {}

  @Route(tags.create)
  async createTags(@Input() { params, body }: InputOf<typeof tags.create>, @Ctx() ctx: RequestContext) {
    return tagsAnswer(await this.create.execute(params.serviceId, body.tags, ctx));
  }

  @Route(tags.delete)
  async deleteTags(@Input() { params, body }: InputOf<typeof tags.delete>, @Ctx() ctx: RequestContext) {
    return tagsAnswer(await this.remove.execute(params.serviceId, body.tagKeys, ctx));
  }
}
