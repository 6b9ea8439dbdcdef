import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, z } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { permissionsAnswer } from '../endpoint-service.view';
import {
  SERVICES_TAG,
  conflictResponse,
  principalList,
  removePermissionsResponse,
  serviceNotFoundResponse,
} from '../endpoint-services.schemas';
import { RemoveAllowedPrincipalsHandler } from './remove-allowed-principals.handler';

export const removePermissionsBody = z
  .object({ removeAllowedPrincipals: principalList.openapi({ example: ['arn:aws:iam::444455556666:root'] }) })
  .strict()
  .openapi('RemoveAllowedPrincipalsRequest');

const route = defineRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  roles: ['provider'],
  tags: [SERVICES_TAG],
  summary: 'Remove allowed principals (ModifyVpcEndpointServicePermissions --remove-allowed-principals)',
  description: 'Idempotent: principals that were not allowed are listed in alreadyAbsent.',
  params: { serviceId: serviceIdParam },
  body: removePermissionsBody,
  responses: {
    200: jsonResponse('the outcome and the allowed principals now', removePermissionsResponse),
    404: serviceNotFoundResponse,
    409: conflictResponse('IncorrectState'),
  },
});

@Controller()
export class RemoveAllowedPrincipalsRoute {
  constructor(private readonly handler: RemoveAllowedPrincipalsHandler) {}

  @Route(route)
  async removePermissions(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, body.removeAllowedPrincipals, ctx);
    return answer(permissionsAnswer(result.outcome, result.state), result);
  }
}
