import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { batchAnswer, decisionResponses } from '../broker';
import { CONNECTIONS_TAG, vpcEndpointIdsBody } from '../endpoint-connections.schemas';
import { DecideConnectionsHandler } from '../decide-connections.handler';

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/connections:accept',
  roles: ['provider'],
  tags: [CONNECTIONS_TAG],
  summary: 'Accept pendingAcceptance connection requests (AcceptVpcEndpointConnections): each endpoint decided on its own',
  params: { serviceId: serviceIdParam },
  body: vpcEndpointIdsBody,
  responses: decisionResponses('accepted'),
});

@Controller()
export class AcceptConnectionsRoute {
  constructor(private readonly handler: DecideConnectionsHandler) {}

  @Route(route)
  async accept(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const { result } = await this.handler.execute('accept', params.serviceId, body.vpcEndpointIds, ctx);
    return batchAnswer(body.vpcEndpointIds, result);
  }
}
