import { Controller } from '@nestjs/common';
import { DomainError } from '@privatelink/domain';
import { Ctx, RequestContext } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { batchAnswer, itemAnswer } from '../broker';
import {
  ENDPOINTS_TAG,
  endpointNotFoundResponse,
  inProgressResponse,
  unsuccessfulResponse,
  vpcEndpointIdsBody,
  vpcEndpointResponse,
} from '../endpoint-connections.schemas';
import { DeleteVpcEndpointsHandler } from './delete-endpoints.handler';

const deleteOne = defineRoute({
  method: 'delete',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Delete a VPC endpoint: deleting now, deleted once the service has let it go; its capacity is returned',
  params: { vpcEndpointId: vpcEndpointIdParam },
  responses: {
    200: jsonResponse('deletion started (or finished)', vpcEndpointResponse),
    202: inProgressResponse,
    404: endpointNotFoundResponse,
  },
});

/** `POST /v1/consumer/endpoints:delete`: the batch verb, like the service batch delete. */
const deleteMany = defineRoute({
  method: 'post',
  path: '/v1/consumer/endpoints:delete',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Delete several VPC endpoints (DeleteVpcEndpoints): per-id failures in unsuccessful',
  body: vpcEndpointIdsBody,
  responses: {
    200: jsonResponse('the ids that could not be deleted, with the reason', unsuccessfulResponse),
    202: jsonResponse('no answer in time: the ids are being processed', unsuccessfulResponse),
  },
});

@Controller()
export class DeleteVpcEndpointsRoute {
  constructor(private readonly handler: DeleteVpcEndpointsHandler) {}

  @Route(deleteOne)
  async delete(@Input() { params }: InputOf<typeof deleteOne>, @Ctx() ctx: RequestContext) {
    const { vpcEndpointId } = params;
    const { result } = await this.handler.execute([vpcEndpointId], ctx);
    const failed = result?.unsuccessful[0];
    if (failed) throw new DomainError(failed.error.code as never, failed.error.message, 'vpcEndpointId');
    return itemAnswer(vpcEndpointId, result?.succeeded[0]);
  }

  @Route(deleteMany)
  async deleteMany(@Input() { body }: InputOf<typeof deleteMany>, @Ctx() ctx: RequestContext) {
    const { result } = await this.handler.execute(body.vpcEndpointIds, ctx);
    return batchAnswer(body.vpcEndpointIds, result);
  }
}
