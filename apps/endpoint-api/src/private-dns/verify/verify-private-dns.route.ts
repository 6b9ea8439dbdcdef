import { z } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { privateDnsNameConfigurationView } from '../../http/private-dns.schemas';
import { defineRoute, handlerRoute } from '../../http/route';
import { VerifyPrivateDnsHandler } from './verify-private-dns.handler';

const verifyResponse = z
  .object({
    serviceId: z.string(),
    privateDnsName: z.string(),
    privateDnsNameConfiguration: privateDnsNameConfigurationView,
    checked: z
      .boolean()
      .openapi({ description: 'false when the answer came before a check (202, or a name dns-verifier had just learnt)' }),
  })
  .openapi('StartPrivateDnsVerificationResponse');

/** The call takes no parameters besides the service id; an empty JSON object (or no body) is accepted. */
const verifyBody = z.object({}).strict().openapi('StartPrivateDnsVerificationRequest');

const route = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/private-dns:verify',
  roles: ['provider', 'ops'],
  tags: ['provider: endpoint services'],
  summary: 'Check the private DNS name’s TXT record now (StartVpcEndpointServicePrivateDnsVerification)',
  description:
    'dns-verifier asks the domain’s authoritative name servers now: the record found → verified; not found → failed with a reason; ' +
    'name servers not answering → pendingVerification (never failed for that). Answers 200 with the state after the check, or 202 with the ' +
    'current state when the check takes longer than the bounded wait. Calls repeated while a check runs share it. A service without a ' +
    'private DNS name (and any Gateway Load Balancer service) answers IncorrectState. A provider re-checks its own services; ops any service (the console’s re-check).',
  params: { serviceId: serviceIdParam },
  body: verifyBody,
  optionalBody: true,
  responses: {
    200: jsonResponse('the verification state after the check', verifyResponse),
    202: jsonResponse('the check is still running: the state known now', verifyResponse),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
    409: errorResponse('IncorrectState: the service has no private DNS name, or is being deleted'),
  },
});

/** `POST .../{serviceId}/private-dns:verify`: a provider re-checks its own services' names; ops any service's. */
export const VerifyPrivateDnsRoute = handlerRoute(VerifyPrivateDnsHandler, route, async (handler, { params }, ctx) => {
  const { status, body, written } = await handler.execute(params.serviceId, ctx);
  return answer(body, written ? [written] : [], status);
});
