import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { SERVICES_TAG, conflictResponse, serviceResponse } from '../endpoint-services.schemas';
import { CreateEndpointServiceHandler } from './create-endpoint-service.handler';
import { createEndpointServiceBody } from './create-endpoint-service.schema';

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Create an endpoint service configuration (Interface with NLBs, or GatewayLoadBalancer with GWLBs)',
  description:
    'CreateVpcEndpointServiceConfiguration. acceptanceRequired defaults to true. The same clientToken with the same body answers the first result (200); ' +
    'with another body IdempotentParameterMismatch. Unknown load balancers, or another account’s, are a 400 naming the entry.',
  body: createEndpointServiceBody,
  responses: {
    200: jsonResponse('a replay of the same clientToken and body: the first result', serviceResponse),
    201: jsonResponse('created; serviceState is Pending until the service is Available', serviceResponse),
    409: conflictResponse('IdempotentParameterMismatch'),
  },
});

@Controller()
export class CreateEndpointServiceRoute {
  constructor(
    private readonly handler: CreateEndpointServiceHandler,
    private readonly services: EndpointServiceQueries,
  ) {}

  @Route(route)
  async create(@Input() { body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(body, ctx);
    return answer(await this.services.answer(result.state), result, result.replayed ? 200 : 201);
  }
}
