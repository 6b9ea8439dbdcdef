import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { batchAnswer, decisionResponses } from '../broker';
import { CONNECTIONS_TAG, vpcEndpointIdsBody } from '../endpoint-connections.schemas';
import { DecideConnectionsHandler } from '../decide-connections.handler';

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/connections:reject',
  roles: ['provider'],
  tags: [CONNECTIONS_TAG],
  summary:
    'Reject connections, pendingAcceptance or already available (RejectVpcEndpointConnections); a provider never deletes a consumer’s endpoint',
  params: { serviceId: serviceIdParam },
  body: vpcEndpointIdsBody,
  responses: decisionResponses('rejected'),
});

@Controller()
export class RejectConnectionsRoute {
  constructor(private readonly handler: DecideConnectionsHandler) {}

  @Route(route)
  async reject(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const { result } = await this.handler.execute('reject', params.serviceId, body.vpcEndpointIds, ctx);
    return batchAnswer(body.vpcEndpointIds, result);
  }
}
