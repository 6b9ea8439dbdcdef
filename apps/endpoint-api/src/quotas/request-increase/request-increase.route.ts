import { randomBytes } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { SubmitQuotaIncreaseRequestPayload, quotaGuardCommands } from '@privatelink/contracts';
import { LedgerScope, anyPrincipalMatches, quotaIncreaseRequestId, resolveRequestScope } from '@privatelink/domain';
import { Ctx, RequestContext, ServiceRuntime, z } from '@privatelink/platform';
import { endpointServices } from '../../aggregates';
import { ownService, serviceNotFound } from '../../endpoint-services/service-writes';
import { QuotaEdge } from '../../handlers/quota-edge';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { increaseRequestBody, toIncreaseRequestView } from '../../http/quotas.schemas';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { QUOTAS_TAG, requestAnswer, requesterRole, unavailableResponse } from '../quota.view';

const route = defineRoute({
  method: 'post',
  path: '/v1/quotas/{code}/increase-requests',
  roles: ['consumer', 'provider'],
  tags: [QUOTAS_TAG],
  summary:
    'Ask ops to change an adjustable quota of the caller (a consumer for its VPCs and connections, a provider for its account and services)',
  params: { code: { schema: z.string().openapi({ example: 'vpc-endpoints-per-vpc' }) } },
  body: increaseRequestBody,
  responses: {
    201: jsonResponse('submitted: pending', requestAnswer),
    403: errorResponse('UnauthorizedOperation: the quota is the other side’s'),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound: the scope names a service the caller does not own / may not use'),
    503: unavailableResponse,
  },
});

/** A quota increase request, forwarded to quota-guard (which reads the ledger's limit and usage and decides). */
@Controller()
export class RequestIncreaseRoute {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly quotas: QuotaEdge,
  ) {}

  @Route(route)
  async submit(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const role = requesterRole(ctx);
    const account = ctx.caller.accountId;
    const { definition, scope } = resolveRequestScope(params.code, { role, accountId: account }, body.scope);
    const full: LedgerScope = { ...scope };
    if (scope.serviceId) {
      const service = (await this.runtime.load(endpointServices, scope.serviceId)).state;
      if (definition.scopeKind === 'service') {
        full.providerAccountId = ownService(service, scope.serviceId, account).owner;
      } else {
        // A consumer asks about a service it may connect to; any other answers like an unknown one.
        if (!service || service.serviceState === 'Deleted' || !anyPrincipalMatches(service.allowedPrincipals, ctx.caller.principal))
          throw serviceNotFound(scope.serviceId);
        full.providerAccountId = service.owner;
      }
    }
    const requestId = quotaIncreaseRequestId(randomBytes(9).toString('hex').slice(0, 17));
    const payload: SubmitQuotaIncreaseRequestPayload = {
      requestId,
      code: definition.code,
      scope: full as Record<string, string>,
      requester: { principal: ctx.caller.principal, accountId: account, role },
      desiredValue: body.desiredValue,
      reason: body.reason,
    };
    const result = await this.quotas.ask(quotaGuardCommands.submitQuotaIncreaseRequest, payload, ctx);
    return answer({ quotaIncreaseRequest: toIncreaseRequestView(result.request) }, { streamId: result.streamId, version: result.version });
  }
}
