import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DomainError, assertServiceId, assertVpcEndpointId, endpointServiceDecider } from '@privatelink/domain';
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
import { endpointServiceStream, serviceNotFound } from '../endpoint-services/service-writes';
import { hasHistory, historyPage } from '../history/history';
import { errorResponse, jsonResponse } from './openapi-helpers';

const historyEntry = z
  .object({
    eventId: z.string(),
    streamId: z.string().openapi({ example: 'endpoint-service-vpce-svc-0123456789abcdef0' }),
    streamVersion: z.number().int(),
    type: z.string().openapi({ example: 'endpointServicePrincipalsAllowed' }),
    occurredAt: z.string(),
    principal: z.string().openapi({ description: 'Who wrote it: a principal ARN, or service:<name> for a service’s own reaction' }),
    correlationId: z.string().nullable().openapi({ description: 'The x-correlation-id (or request id) of the request that started it' }),
    causationId: z.string().nullable(),
    summary: z.string().openapi({ example: 'principals allowed: arn:aws:iam::444455556666:root' }),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('HistoryEntry');

const historyPageView = z.object({ events: z.array(historyEntry), nextToken: z.string().optional() }).openapi('HistoryPage');
const pageQuery = z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() });
const describe =
  'Every event of the resource’s streams from the event stores, oldest first (one stream’s events in version order), with who wrote it, ' +
  'its correlation id and a readable summary. Paginated with maxResults (5–1000, default 100) and nextToken.';

registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/history',
  tags: ['history'],
  summary: 'The history of an endpoint service: its configuration and its private DNS name verification',
  description: `${describe} A provider sees its own account’s services only (another account’s is 404, as for the service itself); ops any.`,
  request: { params: z.object({ serviceId: z.string() }), query: pageQuery },
  responses: { 200: jsonResponse('a page of events', historyPageView), 404: errorResponse('InvalidVpcEndpointServiceId.NotFound') },
});

registerRoute({
  method: 'get',
  path: '/v1/consumer/endpoints/{vpcEndpointId}/history',
  tags: ['history'],
  summary: 'The history of a VPC endpoint (its connection to a service, every workflow step)',
  description: `${describe} A consumer sees its own account’s endpoints only; ops any.`,
  request: { params: z.object({ vpcEndpointId: z.string() }), query: pageQuery },
  responses: { 200: jsonResponse('a page of events', historyPageView), 404: errorResponse('InvalidVpcEndpointId.NotFound') },
});

registerRoute({
  method: 'get',
  path: '/v1/ops/history/{resourceId}',
  tags: ['history', 'ops'],
  summary: 'The history of any resource by its id (service, endpoint, load balancer ARN, notification, delivery, quota ledger or request)',
  description: `${describe} Ops only. A resource no event names is 404.`,
  request: { params: z.object({ resourceId: z.string() }), query: pageQuery },
  responses: { 200: jsonResponse('a page of events', historyPageView), 404: errorResponse('InvalidResourceId.NotFound') },
});

/** Resource ids are the streams' aggregate ids: ids, ARNs, quota ledger keys; printable, bounded. */
function assertResourceId(value: string): string {
  if (!/^[\x21-\x7e]{1,512}$/.test(value))
    throw new DomainError('InvalidParameterValue', 'resourceId: give a resource id (1 to 512 printable characters)', 'resourceId');
  return value;
}

function page(query: Record<string, unknown>) {
  return { maxResults: parseMaxResults(query.maxResults), nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined };
}

@Controller('v1')
export class HistoryController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get('provider/endpoint-services/:serviceId/history')
  @Roles('provider', 'ops')
  async service(@Param('serviceId') serviceId: string, @Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext) {
    assertServiceId(serviceId);
    // The edge's own event store says whose the service is (a deleted service's history stays readable).
    const { state } = await this.core.runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider);
    if (!state || (ctx.caller.role !== 'ops' && state.owner !== ctx.caller.accountId)) throw serviceNotFound(serviceId);
    return historyPage(this.core.runtime, this.tokens, serviceId, page(query));
  }

  @Get('consumer/endpoints/:vpcEndpointId/history')
  @Roles('consumer', 'ops')
  async endpoint(@Param('vpcEndpointId') vpcEndpointId: string, @Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext) {
    assertVpcEndpointId(vpcEndpointId);
    const rows: Array<{ owner: string }> = await this.core.runtime.db.query(
      `SELECT owner_account_id AS owner FROM rm_endpoint_connections WHERE id = $1`,
      [vpcEndpointId],
    );
    if (rows.length === 0 || (ctx.caller.role !== 'ops' && rows[0].owner !== ctx.caller.accountId)) {
      throw new DomainError('InvalidVpcEndpointId.NotFound', `the VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    }
    return historyPage(this.core.runtime, this.tokens, vpcEndpointId, page(query));
  }

  @Get('ops/history/:resourceId')
  @Roles('ops')
  async any(@Param('resourceId') resourceId: string, @Query() query: Record<string, unknown>) {
    assertResourceId(resourceId);
    if (!(await hasHistory(this.core.runtime, resourceId))) {
      throw new DomainError('InvalidResourceId.NotFound', `no event names the resource ${resourceId}`, 'resourceId');
    }
    return historyPage(this.core.runtime, this.tokens, resourceId, page(query));
  }
}
