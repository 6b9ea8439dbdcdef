import { Controller } from '@nestjs/common';
import { validateEndpointChanges } from '@privatelink/domain';
import { Ctx, RequestContext } from '@privatelink/platform';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { NetworkQueries } from '../../network/network.queries';
import { itemAnswer } from '../broker';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import { ENDPOINTS_TAG, endpointNotFoundResponse, inProgressResponse, vpcEndpointResponse } from '../endpoint-connections.schemas';
import { ModifyVpcEndpointHandler } from './modify-endpoint.handler';
import { ModifyVpcEndpointInput, modifyVpcEndpointBody } from './modify-endpoint.schema';

const route = defineRoute({
  method: 'patch',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Modify a VPC endpoint (ModifyVpcEndpoint): subnets, security groups, private DNS option, policy, tags',
  description:
    'Interface endpoints: one subnet per zone, only zones the service offers, at least one subnet; a subnet named by id alone must be a ' +
    'registered subnet of the endpoint’s VPC (its zone is taken from the network inventory). Gateway Load Balancer endpoints: the subnet never changes, ' +
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
  constructor(
    private readonly handler: ModifyVpcEndpointHandler,
    private readonly network: NetworkQueries,
    private readonly endpoints: EndpointConnectionQueries,
  ) {}

  @Route(route)
  async modify(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const changes = await this.withSubnetZones(params.vpcEndpointId, body, ctx);
    // Every rule that needs no state, before the change is queued for connection-broker.
    validateEndpointChanges(changes);
    const { result } = await this.handler.execute(params.vpcEndpointId, changes, ctx);
    return itemAnswer(params.vpcEndpointId, result);
  }

  /**
   * Added subnets named by id alone (AddSubnetIds on the EC2 wire) take their zone from the network inventory:
   * the caller's own, in the endpoint's VPC (an endpoint never changes VPC, so its read-model row names it).
   * The decider then checks the zones against the service and one subnet per zone.
   */
  private async withSubnetZones(vpcEndpointId: string, body: ModifyVpcEndpointInput, ctx: RequestContext): Promise<ModifyVpcEndpointInput> {
    const added = body.addSubnets;
    if (!added?.some((s) => s.availabilityZoneId === undefined)) return body;
    const { vpcId } = await this.endpoints.consumerEndpoint(vpcEndpointId, ctx.caller);
    const addSubnets = await this.network.endpointSubnets(added, ctx.caller.accountId, vpcId, (i) => `addSubnets[${i}].subnetId`);
    return { ...body, addSubnets };
  }
}
