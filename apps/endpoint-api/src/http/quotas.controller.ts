import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import {
  ApproveQuotaIncreaseRequestPayload,
  DenyQuotaIncreaseRequestPayload,
  SetConnectionLimitPayload,
  SubmitQuotaIncreaseRequestPayload,
  quotaGuardCommands,
} from '@privatelink/contracts';
import {
  DomainError,
  EndpointServiceState,
  LedgerScope,
  QuotaCode,
  QuotaIncreaseRequestState,
  anyPrincipalMatches,
  assertQuotaIncreaseRequestId,
  assertServiceId,
  consumerOfPrincipal,
  defaultQuotaLimit,
  endpointServiceDecider,
  invalid,
  parsePrincipal,
  quotaIncreaseRequestId,
  quotaLedgerId,
  resolveRequestScope,
  validateLimitValue,
} from '@privatelink/domain';
import {
  Ctx,
  PageTokens,
  PLATFORM_CONFIG,
  PlatformConfig,
  RequestContext,
  Roles,
  parseMaxResults,
  registerRoute,
  z,
} from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { endpointServiceStream, ownService, serviceNotFound } from '../endpoint-services/service-writes';
import { QuotaLedgerDoc } from '../projections/quotas.projection';
import { nearLimitLedgers } from '../projections/near-limit';
import { pageOfDocuments } from '../projections/queries';
import { setConsistencyToken } from './consistency';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import {
  approveBody,
  connectionLimitBody,
  connectionLimitView,
  denyBody,
  increaseRequestBody,
  quotaIncreaseRequestView,
  quotaView,
  toIncreaseRequestView,
  toQuotaView,
} from './quotas.schemas';
import { parseBody, parseOptionalBody, parseQueryValue } from './validation';

// ── API document ─────────────────────────────────────────────────────────────────────────────────

const TAG = 'quotas';
const page = (name: string, item: z.ZodTypeAny, key: string) =>
  z.object({ [key]: z.array(item), nextToken: z.string().optional() }).openapi(name);
const pageQuery = z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() });
const requestAnswer = z.object({ quotaIncreaseRequest: quotaIncreaseRequestView });
const requestIdParams = z.object({ requestId: z.string().openapi({ example: 'qir-0123456789abcdef0' }) });
const unavailable = errorResponse('Unavailable: quota-guard did not answer in time (the request may still be carried out)');

registerRoute({
  method: 'get',
  path: '/v1/quotas',
  tags: [TAG],
  summary: "The caller's quotas: code, scope, limit, usage, adjustable",
  description:
    'A consumer sees its VPCs (interface + Gateway Load Balancer endpoints per VPC), its Gateway Load Balancer endpoints per zone, its connections per service and the endpoint policy size; ' +
    'a provider sees its endpoint services per account, the allowed principals of each service and the connections per consumer account of its services. ' +
    'Rows with an empty scope are the defaults that apply to every scope without a value of its own (first page only).',
  request: { query: pageQuery },
  responses: { 200: jsonResponse('a page', page('QuotaPage', quotaView, 'quotas')) },
});
registerRoute({
  method: 'post',
  path: '/v1/quotas/{code}/increase-requests',
  tags: [TAG],
  summary:
    'Ask ops to change an adjustable quota of the caller (a consumer for its VPCs and connections, a provider for its account and services)',
  request: { params: z.object({ code: z.string().openapi({ example: 'vpc-endpoints-per-vpc' }) }), ...jsonBody(increaseRequestBody) },
  responses: {
    201: jsonResponse('submitted: pending', requestAnswer),
    403: errorResponse('UnauthorizedOperation: the quota is the other side’s'),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound: the scope names a service the caller does not own / may not use'),
    503: unavailable,
  },
});
registerRoute({
  method: 'get',
  path: '/v1/quotas/increase-requests',
  tags: [TAG],
  summary: "The caller's account's quota increase requests and what became of them",
  request: { query: pageQuery },
  responses: { 200: jsonResponse('a page', page('QuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests')) },
});
registerRoute({
  method: 'get',
  path: '/v1/ops/quota-increase-requests',
  tags: ['ops'],
  summary: 'Quota increase requests (filter with ?status=pending|approved|denied)',
  request: { query: pageQuery.extend({ status: z.enum(['pending', 'approved', 'denied']).optional() }) },
  responses: { 200: jsonResponse('a page', page('OpsQuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests')) },
});
registerRoute({
  method: 'post',
  path: '/v1/ops/quota-increase-requests/{requestId}:approve',
  tags: ['ops'],
  summary: 'Approve a pending request, optionally with another value (never below the usage); the limit applies at once',
  request: { params: requestIdParams, body: { required: false, content: { 'application/json': { schema: approveBody } } } },
  responses: {
    200: jsonResponse('approved', requestAnswer),
    404: errorResponse('InvalidQuotaIncreaseRequestId.NotFound'),
    409: errorResponse('IncorrectState: already approved or denied'),
    503: unavailable,
  },
});
registerRoute({
  method: 'post',
  path: '/v1/ops/quota-increase-requests/{requestId}:deny',
  tags: ['ops'],
  summary: 'Deny a pending request, saying why',
  request: { params: requestIdParams, ...jsonBody(denyBody) },
  responses: {
    200: jsonResponse('denied', requestAnswer),
    404: errorResponse('InvalidQuotaIncreaseRequestId.NotFound'),
    409: errorResponse('IncorrectState: already approved or denied'),
    503: unavailable,
  },
});
registerRoute({
  method: 'get',
  path: '/v1/ops/quotas',
  tags: ['ops'],
  summary: 'Scopes at or above 80 % of the limit that applies to them (their own, the provider’s * limit, or the default), in id order',
  request: { query: pageQuery },
  responses: { 200: jsonResponse('a page', page('NearLimitQuotaPage', quotaView, 'quotas')) },
});
registerRoute({
  method: 'put',
  path: '/v1/provider/endpoint-services/{serviceId}/connection-limits',
  tags: [TAG],
  summary:
    'Set (or, with limit null, remove) the connections a principal’s account may have to the service; * sets the default of every account',
  description: 'Existing connections are kept when a limit is set below them; new requests beyond it fail with QuotaExceeded.',
  request: { params: z.object({ serviceId: z.string() }), ...jsonBody(connectionLimitBody) },
  responses: {
    200: jsonResponse('set', z.object({ connectionLimit: connectionLimitView })),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
    503: unavailable,
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/connection-limits',
  tags: [TAG],
  summary: 'Connections per consumer account of the service: each account’s limit and usage',
  request: { params: z.object({ serviceId: z.string() }), query: pageQuery },
  responses: {
    200: jsonResponse('a page', page('ConnectionLimitPage', connectionLimitView, 'connectionLimits')),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
  },
});

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

const CONNECTIONS_PER_CONSUMER: QuotaCode = 'connections-per-consumer-per-service';

async function serviceState(core: EndpointApiCore, serviceId: string): Promise<EndpointServiceState | null> {
  return (await core.runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider)).state;
}

/** Ledger rows as the API shows them, with the limit that applies to each. */
export async function quotaViews(core: EndpointApiCore, docs: QuotaLedgerDoc[]) {
  const everyone = await core.quotas.everyoneLimits([
    ...new Set(docs.filter((d) => d.code === CONNECTIONS_PER_CONSUMER).map((d) => d.scope.serviceId!)),
  ]);
  return docs.map((d) =>
    toQuotaView(d.code, d.scope, core.quotas.effectiveLimit(d.code, d.limit, everyone.get(d.scope.serviceId ?? '')), d.usage),
  );
}

function requesterRole(ctx: RequestContext): 'consumer' | 'provider' {
  if (ctx.caller.role === 'ops')
    throw new DomainError('UnauthorizedOperation', 'ops approves and denies quota increase requests; it does not submit them');
  return ctx.caller.role;
}

// ── the caller's quotas and requests ─────────────────────────────────────────────────────────────

@Controller('v1/quotas')
@Roles('consumer', 'provider')
export class QuotasController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const account = ctx.caller.accountId;
    const role = requesterRole(ctx);
    const nextToken = typeof query.nextToken === 'string' ? query.nextToken : undefined;
    const { defaults } = this.core.quotas;
    const where =
      role === 'consumer' ? ['consumer_account_id = $1'] : ['provider_account_id = $1', `code <> 'endpoint-services-per-account'`];
    const result = await pageOfDocuments<QuotaLedgerDoc>(this.core.runtime.db, this.tokens, {
      table: 'rm_quota_ledgers',
      where,
      params: [account],
      maxResults: parseMaxResults(query.maxResults),
      nextToken,
      fingerprint: JSON.stringify(['quotas', account, role]),
    });
    const first: ReturnType<typeof toQuotaView>[] = [];
    if (!nextToken) {
      if (role === 'consumer') {
        for (const code of [
          'vpc-endpoints-per-vpc',
          'gwlb-endpoints-per-zone-per-service-per-vpc',
          'endpoint-policy-size',
        ] as QuotaCode[]) {
          first.push(toQuotaView(code, {}, defaultQuotaLimit(code, defaults), null));
        }
      } else {
        const id = quotaLedgerId('endpoint-services-per-account', { providerAccountId: account });
        const rows: Array<{ doc: QuotaLedgerDoc }> = await this.core.runtime.db.query(`SELECT doc FROM rm_quota_ledgers WHERE id = $1`, [
          id,
        ]);
        const own = rows[0]?.doc;
        const code: QuotaCode = 'endpoint-services-per-account';
        first.push(
          toQuotaView(code, { providerAccountId: account }, this.core.quotas.effectiveLimit(code, own?.limit ?? null), own?.usage ?? 0),
        );
        first.push(toQuotaView('allowed-principals-per-service', {}, defaultQuotaLimit('allowed-principals-per-service', defaults), null));
      }
    }
    return { quotas: [...first, ...(await quotaViews(this.core, result.items))], nextToken: result.nextToken };
  }

  @Get('increase-requests')
  async requests(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await pageOfDocuments<QuotaIncreaseRequestState>(this.core.runtime.db, this.tokens, {
      table: 'rm_quota_increase_requests',
      where: ['requester_account_id = $1'],
      params: [ctx.caller.accountId],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['quota-requests', ctx.caller.accountId]),
    });
    return { quotaIncreaseRequests: result.items.map(toIncreaseRequestView), nextToken: result.nextToken };
  }

  /** A quota increase request, forwarded to quota-guard (which reads the ledger's limit and usage and decides). */
  @Post(':code/increase-requests')
  async submit(@Param('code') code: string, @Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const input = parseBody(increaseRequestBody, body);
    const role = requesterRole(ctx);
    const account = ctx.caller.accountId;
    const { definition, scope } = resolveRequestScope(code, { role, accountId: account }, input.scope);
    const full: LedgerScope = { ...scope };
    if (scope.serviceId) {
      const service = await serviceState(this.core, scope.serviceId);
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
      desiredValue: input.desiredValue,
      reason: input.reason,
    };
    const result = await this.core.quotas.ask(quotaGuardCommands.submitQuotaIncreaseRequest, requestId, payload, ctx);
    setConsistencyToken(res, result.streamId, result.version);
    res.status(201);
    return { quotaIncreaseRequest: toIncreaseRequestView(result.request) };
  }
}

// ── ops ──────────────────────────────────────────────────────────────────────────────────────────

@Controller('v1/ops')
@Roles('ops')
export class OpsQuotasController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  /** Scopes at or above 80 % of the limit that applies to them (their own, the provider's `*`, or the default). */
  @Get('quotas')
  async nearLimit(@Query() query: Record<string, unknown>) {
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = 'near-limit';
    const after = this.tokens.decode(typeof query.nextToken === 'string' ? query.nextToken : undefined, fingerprint);
    const rows = await nearLimitLedgers(this.core, { after, limit: maxResults + 1 });
    const items = rows.slice(0, maxResults);
    return {
      quotas: items.map((r) => toQuotaView(r.doc.code, r.doc.scope, r.effective, r.doc.usage)),
      nextToken: rows.length > maxResults ? this.tokens.encode(rows[maxResults - 1].id, fingerprint) : undefined,
    };
  }

  @Get('quota-increase-requests')
  async requests(@Query() query: Record<string, unknown>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const status = parseQueryValue(z.enum(['pending', 'approved', 'denied']).optional(), query.status, 'status');
    const result = await pageOfDocuments<QuotaIncreaseRequestState>(this.core.runtime.db, this.tokens, {
      table: 'rm_quota_increase_requests',
      where: status ? ['status = $1'] : [],
      params: status ? [status] : [],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['ops-quota-requests', status ?? null]),
    });
    return { quotaIncreaseRequests: result.items.map(toIncreaseRequestView), nextToken: result.nextToken };
  }

  /** Ops approves (its only writes are these decisions): the new limit is in the edge's read model before the answer. */
  @Post('quota-increase-requests/:requestId\\:approve')
  @HttpCode(200)
  async approve(
    @Param('requestId') requestId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertQuotaIncreaseRequestId(requestId);
    const { value } = parseOptionalBody(approveBody, body);
    const result = await this.core.quotas.ask(
      quotaGuardCommands.approveQuotaIncreaseRequest,
      requestId,
      { requestId, value } satisfies ApproveQuotaIncreaseRequestPayload,
      ctx,
    );
    await this.core.quotas.ledgers.waitFor(result.ledger.streamId, result.ledger.version, this.config.readWaitMs);
    setConsistencyToken(res, result.streamId, result.version);
    return { quotaIncreaseRequest: toIncreaseRequestView(result.request) };
  }

  @Post('quota-increase-requests/:requestId\\:deny')
  @HttpCode(200)
  async deny(
    @Param('requestId') requestId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertQuotaIncreaseRequestId(requestId);
    const { reason } = parseBody(denyBody, body);
    const result = await this.core.quotas.ask(
      quotaGuardCommands.denyQuotaIncreaseRequest,
      requestId,
      { requestId, reason } satisfies DenyQuotaIncreaseRequestPayload,
      ctx,
    );
    setConsistencyToken(res, result.streamId, result.version);
    return { quotaIncreaseRequest: toIncreaseRequestView(result.request) };
  }
}

// ── the provider's connection limits per consumer ────────────────────────────────────────────────

@Controller('v1/provider/endpoint-services')
@Roles('provider')
export class ConnectionLimitsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Put(':serviceId/connection-limits')
  async set(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const input = parseBody(connectionLimitBody, body);
    const service = ownService(await serviceState(this.core, serviceId), serviceId, ctx.caller.accountId);
    const principal = parsePrincipal(input.principal, 'principal').principal;
    if (!service.allowedPrincipals.some((p) => p.principal === principal)) {
      throw invalid(
        'principal',
        `principal: ${principal} is not on the allowlist of endpoint service ${serviceId}; allow it first (a limit is set per allowed principal)`,
      );
    }
    const limit = validateLimitValue(input.limit, 'limit', true);
    const payload: SetConnectionLimitPayload = {
      serviceId,
      providerAccountId: service.owner,
      principal,
      consumerAccountId: consumerOfPrincipal(principal),
      limit,
    };
    const result = await this.core.quotas.ask(quotaGuardCommands.setConnectionLimit, serviceId, payload, ctx);
    await this.core.quotas.ledgers.waitFor(result.streamId, result.version, this.config.readWaitMs);
    setConsistencyToken(res, result.streamId, result.version);
    return {
      connectionLimit: {
        serviceId,
        consumerAccountId: payload.consumerAccountId,
        principal,
        limit: result.limit,
        effectiveLimit: result.effectiveLimit,
        usage: result.usage,
      },
    };
  }

  @Get(':serviceId/connection-limits')
  async list(@Param('serviceId') serviceId: string, @Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext) {
    assertServiceId(serviceId, 'serviceId');
    ownService(await serviceState(this.core, serviceId), serviceId, ctx.caller.accountId);
    const result = await pageOfDocuments<QuotaLedgerDoc>(this.core.runtime.db, this.tokens, {
      table: 'rm_quota_ledgers',
      where: ['service_id = $1', 'code = $2'],
      params: [serviceId, CONNECTIONS_PER_CONSUMER],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['connection-limits', serviceId]),
    });
    const everyone = (await this.core.quotas.everyoneLimits([serviceId])).get(serviceId) ?? null;
    return {
      connectionLimits: result.items.map((d) => ({
        serviceId,
        consumerAccountId: d.scope.consumerAccountId!,
        limit: d.limit,
        effectiveLimit: d.scope.consumerAccountId === '*' ? d.limit : this.core.quotas.effectiveLimit(d.code, d.limit, everyone),
        usage: d.usage,
      })),
      nextToken: result.nextToken,
    };
  }
}

/** Every quota controller, for the module. */
export const QUOTA_CONTROLLERS = [QuotasController, OpsQuotasController, ConnectionLimitsController];
