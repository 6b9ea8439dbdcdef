import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { SERVICES_TAG, conflictResponse, serviceNotFoundResponse, serviceResponse } from '../endpoint-services.schemas';
import { ModifyEndpointServiceHandler } from './modify-endpoint-service.handler';
import { modifyEndpointServiceBody } from './modify-endpoint-service.schema';

const route = defineRoute({
  method: 'patch',
  path: '/v1/provider/endpoint-services/{serviceId}',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Modify an endpoint service configuration (ModifyVpcEndpointServiceConfiguration)',
  description:
    'Add/remove load balancers of the service’s own type (zones are recomputed; removal refused with IncorrectState while endpoints are attached; ' +
    'the service keeps at least one), toggle acceptanceRequired, set/change/remove the private DNS name (removal only without connections), ' +
    'add/remove supported IP address types (ipv6 needs dualstack load balancers), add/remove autoAcceptPrincipals. All or nothing.',
  params: { serviceId: serviceIdParam },
  body: modifyEndpointServiceBody,
  responses: {
    200: jsonResponse('the service after the change', serviceResponse),
    404: serviceNotFoundResponse,
    409: conflictResponse('IncorrectState (endpoints attached, service being deleted)'),
  },
});

@Controller()
export class ModifyEndpointServiceRoute {
  constructor(
    private readonly handler: ModifyEndpointServiceHandler,
    private readonly services: EndpointServiceQueries,
  ) {}

  @Route(route)
  async modify(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, body, ctx);
    return answer(await this.services.answer(result.state), result);
  }
}
