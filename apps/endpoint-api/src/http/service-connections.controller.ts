import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { ConnectionBatchResult } from '@privatelink/contracts';
import { EndpointConnectionState, EndpointServiceState, assertServiceId } from '@privatelink/domain';
import {
  Ctx,
  PageTokens,
  PLATFORM_CONFIG,
  PlatformConfig,
  RequestContext,
  Roles,
  parseFilters,
  parseMaxResults,
  registerRoute,
  z,
} from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { DecideConnections, Forwarded } from '../handlers/endpoint-connection.handlers';
import { ownService } from '../endpoint-services/service-writes';
import { pageOfDocuments } from '../projections/queries';
import { batchAnswer } from './consumer-endpoints.controller';
import {
  connectionsSummaryView,
  toConnectionView,
  unsuccessfulResponse,
  vpcEndpointConnectionView,
  vpcEndpointIdsBody,
} from './endpoints.schemas';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import { parseBody } from './validation';

const CONNECTION_FILTERS = ['vpc-endpoint-state', 'vpc-endpoint-owner', 'vpc-endpoint-id', 'ip-address-type'] as const;
const FILTER_COLUMNS: Record<string, string> = {
  'vpc-endpoint-state': 'state',
  'vpc-endpoint-owner': 'owner_account_id',
  'vpc-endpoint-id': 'id',
  'ip-address-type': 'ip_address_type',
};

// ── API document ─────────────────────────────────────────────────────────────────────────────────

const TAG = 'provider: endpoint connections';
const serviceParams = z.object({ serviceId: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }) });
const serviceNotFound = errorResponse(
  'InvalidVpcEndpointServiceId.NotFound: no such service in the caller’s account (another account’s service answers the same)',
);
const decisionResponses = (verb: string) => ({
  200: jsonResponse(
    `the ids that could not be ${verb}, with the reason (InvalidVpcEndpointId.NotFound, IncorrectState)`,
    unsuccessfulResponse,
  ),
  202: jsonResponse('no answer in time: the ids are being processed', unsuccessfulResponse),
  404: serviceNotFound,
});

registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/connections',
  tags: [TAG],
  summary: 'Describe the endpoint connections to a service (DescribeVpcEndpointConnections), with the consumers’ request messages',
  description:
    'Filters: filter.vpc-endpoint-state (e.g. pendingAcceptance), filter.vpc-endpoint-owner, filter.vpc-endpoint-id, filter.ip-address-type.',
  request: {
    params: serviceParams,
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.vpc-endpoint-state': z.string().optional(),
      'filter.vpc-endpoint-owner': z.string().optional(),
      'filter.vpc-endpoint-id': z.string().optional(),
      'filter.ip-address-type': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z
        .object({ vpcEndpointConnections: z.array(vpcEndpointConnectionView), nextToken: z.string().optional() })
        .openapi('VpcEndpointConnectionPage'),
    ),
    404: serviceNotFound,
  },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/connections:accept',
  tags: [TAG],
  summary: 'Accept pendingAcceptance connection requests (AcceptVpcEndpointConnections): each endpoint decided on its own',
  request: { params: serviceParams, ...jsonBody(vpcEndpointIdsBody) },
  responses: decisionResponses('accepted'),
});
registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/connections:reject',
  tags: [TAG],
  summary:
    'Reject connections, pendingAcceptance or already available (RejectVpcEndpointConnections); a provider never deletes a consumer’s endpoint',
  request: { params: serviceParams, ...jsonBody(vpcEndpointIdsBody) },
  responses: decisionResponses('rejected'),
});
registerRoute({
  method: 'get',
  path: '/v1/ops/connections/summary',
  tags: ['ops'],
  summary: 'Connections per service: counts by state and the age of the oldest pendingAcceptance request',
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: { 200: jsonResponse('a page of services', connectionsSummaryView) },
});

// ── controllers ──────────────────────────────────────────────────────────────────────────────────

@Controller('v1/provider/endpoint-services')
@Roles('provider', 'ops')
export class ServiceConnectionsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly commands: CommandBus,
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get(':serviceId/connections')
  async list(
    @Param('serviceId') serviceId: string,
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const rows = await this.core.runtime.db.query(`SELECT doc FROM rm_endpoint_services WHERE id = $1`, [serviceId]);
    const service = (rows[0]?.doc ?? null) as EndpointServiceState | null;
    // A provider sees its own services' connections; ops any service's.
    ownService(service, serviceId, ctx.caller.role === 'ops' && service ? service.owner : ctx.caller.accountId);
    const filters = parseFilters(query, CONNECTION_FILTERS);
    const params: unknown[] = [serviceId];
    const where = ['service_id = $1'];
    for (const [name, values] of filters) {
      params.push(values);
      where.push(`${FILTER_COLUMNS[name]} = ANY($${params.length})`);
    }
    const page = await pageOfDocuments<EndpointConnectionState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_connections',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['service-connections', serviceId, [...filters]]),
    });
    return { vpcEndpointConnections: page.items.map(toConnectionView), nextToken: page.nextToken };
  }

  @Post(':serviceId/connections\\:accept')
  @Roles('provider')
  @HttpCode(200)
  accept(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.decide('accept', serviceId, body, ctx, res);
  }

  @Post(':serviceId/connections\\:reject')
  @Roles('provider')
  @HttpCode(200)
  reject(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.decide('reject', serviceId, body, ctx, res);
  }

  private async decide(decision: 'accept' | 'reject', serviceId: string, body: unknown, ctx: RequestContext, res: Response) {
    assertServiceId(serviceId, 'serviceId');
    const { vpcEndpointIds } = parseBody(vpcEndpointIdsBody, body);
    const { result }: Forwarded<ConnectionBatchResult> = await this.commands.execute(
      new DecideConnections(decision, serviceId, vpcEndpointIds, ctx),
    );
    return batchAnswer(res, vpcEndpointIds, result);
  }
}

interface SummaryRow {
  id: string;
  owner: string;
  counts: Record<string, number>;
  oldest: string | null;
}

/** Ops: how the connections of every service stand, one row per service (keyset pages by service id). */
@Controller('v1/ops/connections')
@Roles('ops')
export class OpsConnectionsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get('summary')
  async summary(@Query() query: Record<string, unknown>) {
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = JSON.stringify(['connections-summary']);
    const after = this.tokens.decode(typeof query.nextToken === 'string' ? query.nextToken : undefined, fingerprint);
    const rows: SummaryRow[] = await this.core.runtime.db.query(
      `SELECT service_id AS id, max(service_owner) AS owner, jsonb_object_agg(state, n) AS counts, min(oldest) AS oldest
       FROM (SELECT service_id, service_owner, state, count(*)::int AS n,
                    min(pending_acceptance_since) FILTER (WHERE state = 'pendingAcceptance') AS oldest
             FROM rm_endpoint_connections
             WHERE $1::text IS NULL OR service_id > $1::text
             GROUP BY service_id, service_owner, state) per_state
       GROUP BY service_id ORDER BY service_id LIMIT $2`,
      [after, maxResults + 1],
    );
    const page = rows.slice(0, maxResults);
    const now = this.core.now().getTime();
    return {
      services: page.map((r) => ({
        serviceId: r.id,
        serviceOwner: r.owner,
        counts: r.counts,
        oldestPendingAcceptanceSince: r.oldest,
        oldestPendingAcceptanceAgeSeconds: r.oldest ? Math.max(0, Math.floor((now - Date.parse(r.oldest)) / 1000)) : null,
      })),
      nextToken: rows.length > maxResults ? this.tokens.encode(page[page.length - 1].id, fingerprint) : undefined,
    };
  }
}
