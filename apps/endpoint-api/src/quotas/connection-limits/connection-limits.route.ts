import { Controller, Inject } from '@nestjs/common';
import { SetConnectionLimitPayload, quotaGuardCommands } from '@privatelink/contracts';
import { consumerOfPrincipal, invalid, parsePrincipal, validateLimitValue } from '@privatelink/domain';
import { Ctx, PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime, parseMaxResults, z } from '@privatelink/platform';
import { endpointServices } from '../../aggregates';
import { ownService } from '../../endpoint-services/service-writes';
import { QuotaEdge } from '../../handlers/quota-edge';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { plainServiceIdParam } from '../../http/params';
import { connectionLimitBody, connectionLimitView } from '../../http/quotas.schemas';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { nextTokenOf } from '../../projections/queries';
import { QuotaQueries } from '../quota.queries';
import { QUOTAS_TAG, pageOf, pageQuery, unavailableResponse } from '../quota.view';

const set = defineRoute({
  method: 'put',
  path: '/v1/provider/endpoint-services/{serviceId}/connection-limits',
  roles: ['provider'],
  tags: [QUOTAS_TAG],
  summary:
    'Set (or, with limit null, remove) the connections a principal’s account may have to the service; * sets the default of every account',
  description: 'Existing connections are kept when a limit is set below them; new requests beyond it fail with QuotaExceeded.',
  params: { serviceId: plainServiceIdParam },
  body: connectionLimitBody,
  responses: {
    200: jsonResponse('set', z.object({ connectionLimit: connectionLimitView })),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
    503: unavailableResponse,
  },
});

const list = defineRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/connection-limits',
  roles: ['provider'],
  tags: [QUOTAS_TAG],
  summary: 'Connections per consumer account of the service: each account’s limit and usage',
  params: { serviceId: plainServiceIdParam },
  query: pageQuery,
  responses: {
    200: jsonResponse('a page', pageOf('ConnectionLimitPage', connectionLimitView, 'connectionLimits')),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
  },
});

/** The provider's connection limits per consumer account of one of its services (quota-guard's ledgers). */
@Controller()
export class ConnectionLimitsRoute {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly quotas: QuotaEdge,
    private readonly queries: QuotaQueries,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Route(set)
  async set(@Input() { params, body }: InputOf<typeof set>, @Ctx() ctx: RequestContext) {
    const { serviceId } = params;
    const service = ownService((await this.runtime.load(endpointServices, serviceId)).state, serviceId, ctx.caller.accountId);
    const principal = parsePrincipal(body.principal, 'principal').principal;
    if (!service.allowedPrincipals.some((p) => p.principal === principal)) {
      throw invalid(
        'principal',
        `principal: ${principal} is not on the allowlist of endpoint service ${serviceId}; allow it first (a limit is set per allowed principal)`,
      );
    }
    const limit = validateLimitValue(body.limit, 'limit', true);
    const payload: SetConnectionLimitPayload = {
      serviceId,
      providerAccountId: service.owner,
      principal,
      consumerAccountId: consumerOfPrincipal(principal),
      limit,
    };
    const result = await this.quotas.ask(quotaGuardCommands.setConnectionLimit, payload, ctx);
    await this.quotas.ledgers.waitFor(result.streamId, result.version, this.config.readWaitMs);
    return answer(
      {
        connectionLimit: {
          serviceId,
          consumerAccountId: payload.consumerAccountId,
          principal,
          limit: result.limit,
          effectiveLimit: result.effectiveLimit,
          usage: result.usage,
        },
      },
      { streamId: result.streamId, version: result.version },
    );
  }

  @Route(list)
  async list(@Input() { params, query }: InputOf<typeof list>, @Ctx() ctx: RequestContext) {
    const { serviceId } = params;
    ownService((await this.runtime.load(endpointServices, serviceId)).state, serviceId, ctx.caller.accountId);
    return this.queries.connectionLimits(serviceId, { maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) });
  }
}
