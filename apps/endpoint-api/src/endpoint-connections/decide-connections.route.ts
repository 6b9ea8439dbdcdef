import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { serviceIdParam } from '../http/params';
import { InputOf, Input, Route, defineRoute } from '../http/route';
import { batchAnswer, decisionResponses } from './broker';
import { CONNECTIONS_TAG, vpcEndpointIdsBody } from './endpoint-connections.schemas';
import { DecideConnectionsHandler } from './decide-connections.handler';

/** `POST .../{serviceId}/connections:<decision>`: the named endpoints, each decided on its own. */
const decisionRoute = (decision: 'accept' | 'reject', summary: string) =>
  defineRoute({
    method: 'post',
    path: `/v1/provider/endpoint-services/{serviceId}/connections:${decision}`,
    roles: ['provider'],
    tags: [CONNECTIONS_TAG],
    summary,
    params: { serviceId: serviceIdParam },
    body: vpcEndpointIdsBody,
    responses: decisionResponses(`${decision}ed`),
  });

const accept = decisionRoute(
  'accept',
  'Accept pendingAcceptance connection requests (AcceptVpcEndpointConnections): each endpoint decided on its own',
);
const reject = decisionRoute(
  'reject',
  'Reject connections, pendingAcceptance or already available (RejectVpcEndpointConnections); a provider never deletes a consumer’s endpoint',
);

/** AcceptVpcEndpointConnections and RejectVpcEndpointConnections: the provider's decisions on its service's connections. */
@Controller()
export class DecideConnectionsRoute {
  constructor(private readonly handler: DecideConnectionsHandler) {}

  @Route(accept)
  accept(@Input() input: InputOf<typeof accept>, @Ctx() ctx: RequestContext) {
    return this.decide('accept', input, ctx);
  }

  @Route(reject)
  reject(@Input() input: InputOf<typeof reject>, @Ctx() ctx: RequestContext) {
    return this.decide('reject', input, ctx);
  }

  private async decide(decision: 'accept' | 'reject', { params, body }: InputOf<typeof accept>, ctx: RequestContext) {
    const { result } = await this.handler.execute(decision, params.serviceId, body.vpcEndpointIds, ctx);
    return batchAnswer(body.vpcEndpointIds, result);
  }
}
