import { z } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { handlerRoute } from '../../http/route';
import { permissionsAnswer } from '../endpoint-service.view';
import { permissionsChange, principalList, serviceChange } from '../endpoint-services.schemas';
import { unsuccessfulItem } from '../../endpoint-connections/endpoint-connections.schemas';
import { RemoveAllowedPrincipalsHandler } from './remove-allowed-principals.handler';

export const removePermissionsBody = z
  .object({
    removeAllowedPrincipals: principalList.openapi({ example: ['arn:aws:iam::444455556666:root'] }),
    rejectExistingConnections: z
      .boolean()
      .optional()
      .openapi({
        description:
          'Beyond the guide: also reject the pendingAcceptance and available connections these principals requested ' +
          '(an account root covers every principal of its account, * every requester); each is rejected as a provider’s reject is',
      }),
  })
  .strict()
  .openapi('RemoveAllowedPrincipalsRequest');

const rejectedConnections = z
  .object({
    rejected: z.array(z.string()).openapi({ description: 'The connections rejected' }),
    unsuccessful: z.array(unsuccessfulItem),
    inProgress: z
      .array(z.string())
      .openapi({ description: 'No answer in time (then the status is 202): these are being rejected; read them again' }),
  })
  .openapi('RejectedConnections');

export const removePermissionsResponse = z
  .object({
    ...permissionsChange('removed', 'alreadyAbsent'),
    rejectedConnections: rejectedConnections.optional().openapi({ description: 'Present with rejectExistingConnections: true' }),
  })
  .openapi('RemoveAllowedPrincipalsResponse');

const route = serviceChange({
  method: 'delete',
  path: '/permissions',
  summary: 'Remove allowed principals (ModifyVpcEndpointServicePermissions --remove-allowed-principals)',
  description:
    'Idempotent: principals that were not allowed are listed in alreadyAbsent. With rejectExistingConnections: true (beyond the guide), ' +
    'the pendingAcceptance and available connections of the named principals are rejected too, each with a Reject notification and its capacity returned.',
  body: removePermissionsBody,
  responses: {
    200: jsonResponse('the outcome and the allowed principals now', removePermissionsResponse),
    202: jsonResponse(
      'removed; the rejection of some connections did not answer in time (rejectedConnections.inProgress)',
      removePermissionsResponse,
    ),
  },
});

export const RemoveAllowedPrincipalsRoute = handlerRoute(RemoveAllowedPrincipalsHandler, route, async (handler, { params, body }, ctx) => {
  const { serviceId } = params;
  const principals = body.removeAllowedPrincipals;
  const removal = await handler.execute(serviceId, principals, ctx);
  const removed = permissionsAnswer(removal.outcome, removal.state);
  if (!body.rejectExistingConnections) return answer(removed, removal);
  const { written, ...rejectedConnections } = await handler.rejectConnectionsOf(serviceId, principals, ctx);
  return answer({ ...removed, rejectedConnections }, [removal, ...written], rejectedConnections.inProgress.length > 0 ? 202 : 200);
});
