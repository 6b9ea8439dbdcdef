import { z } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { handlerRoute } from '../../http/route';
import { permissionsAnswer } from '../endpoint-service.view';
import { addPermissionsResponse, principalList, serviceChange } from '../endpoint-services.schemas';
import { AddAllowedPrincipalsHandler } from './add-allowed-principals.handler';

export const addPermissionsBody = z
  .object({
    addAllowedPrincipals: principalList.openapi({
      description: 'arn:aws:iam::<account>:root (Account), …:user/<name> (User), …:role/<name> (Role) or * (All)',
      example: ['arn:aws:iam::444455556666:root'],
    }),
  })
  .strict()
  .openapi('AddAllowedPrincipalsRequest');

const route = serviceChange({
  method: 'post',
  path: '/permissions',
  summary: 'Allow principals to connect (ModifyVpcEndpointServicePermissions --add-allowed-principals)',
  description:
    'Idempotent: principals already allowed are listed in alreadyPresent. ARNs with paths are refused. warning is set when the service becomes public.',
  body: addPermissionsBody,
  responses: { 200: jsonResponse('the outcome and the allowed principals now', addPermissionsResponse) },
});

export const AddAllowedPrincipalsRoute = handlerRoute(AddAllowedPrincipalsHandler, route, async (handler, { params, body }, ctx) => {
  const result = await handler.execute(params.serviceId, body.addAllowedPrincipals, ctx);
  return answer(permissionsAnswer(result.outcome, result.state), result);
});
