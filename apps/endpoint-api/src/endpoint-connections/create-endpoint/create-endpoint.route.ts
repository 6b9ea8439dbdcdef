import { Controller } from '@nestjs/common';
import { parseStreamId } from '@privatelink/contracts';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { ENDPOINTS_TAG, toVpcEndpointView, vpcEndpointResponse } from '../endpoint-connections.schemas';
import { NetworkQueries } from '../../network/network.queries';
import { CreateVpcEndpointHandler } from './create-endpoint.handler';
import { createVpcEndpointBody } from './create-endpoint.schema';

const route = defineRoute({
  method: 'post',
  path: '/v1/consumer/endpoints',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Create a VPC endpoint to an endpoint service (CreateVpcEndpoint): answers at once with vpcEndpointState pending',
  description:
    'The acceptance workflow then checks the principal, the service state, the zones, the private DNS verification and the quota, and moves it to ' +
    'pendingAcceptance, available or failed (stateReason says why). Send the answer’s x-consistency-token on a following GET to see it. ' +
    'Send a service write’s x-consistency-token here to be validated against that write. The same clientToken and body answers the first result (200).',
  body: createVpcEndpointBody,
  responses: {
    200: jsonResponse('a replay of the same clientToken and body', vpcEndpointResponse),
    201: jsonResponse('requested: pending', vpcEndpointResponse),
    409: errorResponse('IdempotentParameterMismatch'),
  },
});

@Controller()
export class CreateVpcEndpointRoute {
  constructor(
    private readonly handler: CreateVpcEndpointHandler,
    private readonly network: NetworkQueries,
  ) {}

  @Route(route)
  async create(@Input() { body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    // Subnets named by id alone take their zone from the network inventory.
    const subnets =
      body.subnets && (await this.network.endpointSubnets(body.subnets, ctx.caller.accountId, body.vpcId, (i) => `subnets[${i}].subnetId`));
    // Validated against the service as a write of the caller left it (e.g. just allowed), when it says so.
    const result = await this.handler.execute({ ...body, subnets }, ctx);
    const status = result.replayed ? 200 : 201;
    // A replay whose first request the read model does not have yet: its id, still pending.
    if (!result.state)
      return answer(
        { vpcEndpoint: { vpcEndpointId: parseStreamId(result.streamId).aggregateId, vpcEndpointState: 'pending' } },
        result,
        status,
      );
    return answer({ vpcEndpoint: toVpcEndpointView(result.state) }, result, status);
  }
}
