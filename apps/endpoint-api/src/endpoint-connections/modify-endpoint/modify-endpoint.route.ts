import { Controller } from '@nestjs/common';
import { validateEndpointChanges } from '@privatelink/domain';
import { Ctx, RequestContext } from '@privatelink/platform';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { itemAnswer } from '../broker';
import { ENDPOINTS_TAG, endpointNotFoundResponse, inProgressResponse, vpcEndpointResponse } from '../endpoint-connections.schemas';
import { ModifyVpcEndpointHandler } from './modify-endpoint.handler';
import { modifyVpcEndpointBody } from './modify-endpoint.schema';

const route = defineRoute({
  method: 'patch',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Modify a VPC endpoint (ModifyVpcEndpoint): subnets, security groups, private DNS option, policy, tags',
  description:
    'Interface endpoints: one subnet per zone, only zones the service offers, at least one subnet. Gateway Load Balancer endpoints: the subnet never changes, ' +
    'no security groups, no policy; tags only. Only pendingAcceptance and available endpoints.',
  params: { vpcEndpointId: vpcEndpointIdParam },
  body: modifyVpcEndpointBody,
  responses: {
    200: jsonResponse('the endpoint after the change', vpcEndpointResponse),
    202: inProgressResponse,
    404: endpointNotFoundResponse,
    409: errorResponse('IncorrectState'),
  },
});

@Controller()
export class ModifyVpcEndpointRoute {
  constructor(private readonly handler: ModifyVpcEndpointHandler) {}

  @Route(route)
  async modify(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    // Every rule that needs no state, before the change is queued for connection-broker.
    validateEndpointChanges(body);
    const { result } = await this.handler.execute(params.vpcEndpointId, body, ctx);
    return itemAnswer(params.vpcEndpointId, result);
  }
}
