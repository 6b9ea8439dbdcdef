import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, z } from '@privatelink/platform';
import { batchBody, batchId } from '../../http/common.schemas';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { SERVICES_TAG, conflictResponse, serviceNotFoundResponse, serviceResponse } from '../endpoint-services.schemas';
import { DeleteEndpointServiceHandler } from './delete-endpoint-service.handler';

export const deleteServicesBody = batchBody('serviceIds', batchId(), 'DeleteEndpointServicesRequest');

export const deleteServicesResponse = z
  .object({
    unsuccessful: z.array(
      z.object({
        resourceId: z.string(),
        error: z.object({ code: z.string().openapi({ example: 'IncorrectState' }), message: z.string() }),
      }),
    ),
  })
  .openapi('DeleteEndpointServicesResponse');

const deleteOne = defineRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Delete an endpoint service configuration: Deleting now, Deleted when its load balancers are released',
  params: { serviceId: serviceIdParam },
  responses: {
    200: jsonResponse('deletion started: serviceState is Deleting', serviceResponse),
    404: serviceNotFoundResponse,
    409: conflictResponse(
      'IncorrectState: pendingAcceptance or available connections exist (details.vpcEndpointIds lists them); reject them first',
    ),
  },
});

/** `POST /v1/provider/endpoint-services:delete`: a custom method, as Google-style APIs name batch verbs. */
const deleteMany = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services:delete',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Delete several endpoint service configurations (DeleteVpcEndpointServiceConfigurations): per-id failures in unsuccessful',
  body: deleteServicesBody,
  responses: { 200: jsonResponse('the ids that could not be deleted, with the reason', deleteServicesResponse) },
});

@Controller()
export class DeleteEndpointServiceRoute {
  constructor(
    private readonly handler: DeleteEndpointServiceHandler,
    private readonly services: EndpointServiceQueries,
  ) {}

  @Route(deleteOne)
  async delete(@Input() { params }: InputOf<typeof deleteOne>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, ctx);
    return answer(await this.services.answer(result.state), result);
  }

  @Route(deleteMany)
  async deleteMany(@Input() { body }: InputOf<typeof deleteMany>, @Ctx() ctx: RequestContext) {
    const { unsuccessful, written } = await this.handler.executeMany(body.serviceIds, ctx);
    return answer({ unsuccessful }, written);
  }
}
