import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { ConnectionBatchResult, ConnectionItemResult, parseStreamId } from '@privatelink/contracts';
import { DomainError, EndpointConnectionState, assertVpcEndpointId, validateEndpointChanges } from '@privatelink/domain';
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
import { CommandResult } from '../handlers/command-result';
import {
  CreateVpcEndpoint,
  DeleteVpcEndpoints,
  Forwarded,
  ModifyVpcEndpoint,
  connectionStream,
} from '../handlers/endpoint-connection.handlers';
import { pageOfDocuments } from '../projections/queries';
import { setConsistencyToken, setConsistencyTokens } from './consistency';
import {
  createVpcEndpointBody,
  modifyVpcEndpointBody,
  toVpcEndpointView,
  unsuccessfulResponse,
  vpcEndpointIdsBody,
  vpcEndpointResponse,
  vpcEndpointView,
} from './endpoints.schemas';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import { parseBody } from './validation';
import { NetworkQueries } from '../network/network.queries';

const ENDPOINT_FILTERS = [
  'vpc-endpoint-id',
  'vpc-endpoint-state',
  'vpc-id',
  'service-name',
  'vpc-endpoint-type',
  'ip-address-type',
  'tag:<key>',
  'tag-key',
] as const;
const FILTER_COLUMNS: Record<string, string> = {
  'vpc-endpoint-id': 'id',
  'vpc-endpoint-state': 'state',
  'vpc-id': 'vpc_id',
  'service-name': 'service_name',
  'vpc-endpoint-type': 'vpc_endpoint_type',
  'ip-address-type': 'ip_address_type',
};

// ── API document ─────────────────────────────────────────────────────────────────────────────────

const TAG = 'consumer: endpoints';
const endpointParams = z.object({ vpcEndpointId: z.string().openapi({ example: 'vpce-0c1308d7312217abc' }) });
const notFound = errorResponse(
  'InvalidVpcEndpointId.NotFound: no such endpoint of the caller’s account (another account’s answers the same)',
);
const inProgress = jsonResponse(
  'connection-broker did not answer in time: the request is being processed (read the endpoint again)',
  z.object({ vpcEndpointId: z.string(), inProgress: z.literal(true) }).openapi('InProgress'),
);

registerRoute({
  method: 'post',
  path: '/v1/consumer/endpoints',
  tags: [TAG],
  summary: 'Create a VPC endpoint to an endpoint service (CreateVpcEndpoint): answers at once with vpcEndpointState pending',
  description:
    'The acceptance workflow then checks the principal, the service state, the zones, the private DNS verification and the quota, and moves it to ' +
    'pendingAcceptance, available or failed (stateReason says why). Send the answer’s x-consistency-token on a following GET to see it. ' +
    'Send a service write’s x-consistency-token here to be validated against that write. The same clientToken and body answers the first result (200).',
  request: jsonBody(createVpcEndpointBody),
  responses: {
    200: jsonResponse('a replay of the same clientToken and body', vpcEndpointResponse),
    201: jsonResponse('requested: pending', vpcEndpointResponse),
    409: errorResponse('IdempotentParameterMismatch'),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/consumer/endpoints',
  tags: [TAG],
  summary: 'Describe the caller account’s VPC endpoints (DescribeVpcEndpoints)',
  description:
    'Filters: filter.vpc-endpoint-id, filter.vpc-endpoint-state, filter.vpc-id, filter.service-name, filter.vpc-endpoint-type, filter.ip-address-type, filter.tag:<key>, filter.tag-key.',
  request: {
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.vpc-endpoint-id': z.string().optional(),
      'filter.vpc-endpoint-state': z.string().optional(),
      'filter.vpc-id': z.string().optional(),
      'filter.service-name': z.string().optional(),
      'filter.vpc-endpoint-type': z.string().optional(),
      'filter.ip-address-type': z.string().optional(),
      'filter.tag-key': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ vpcEndpoints: z.array(vpcEndpointView), nextToken: z.string().optional() }).openapi('VpcEndpointPage'),
    ),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  tags: [TAG],
  summary: 'Describe one of the caller account’s VPC endpoints',
  request: { params: endpointParams },
  responses: { 200: jsonResponse('the endpoint', vpcEndpointResponse), 404: notFound },
});
registerRoute({
  method: 'patch',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  tags: [TAG],
  summary: 'Modify a VPC endpoint (ModifyVpcEndpoint): subnets, security groups, private DNS option, policy, tags',
  description:
    'Interface endpoints: one subnet per zone, only zones the service offers, at least one subnet. Gateway Load Balancer endpoints: the subnet never changes, ' +
    'no security groups, no policy; tags only. Only pendingAcceptance and available endpoints.',
  request: { params: endpointParams, ...jsonBody(modifyVpcEndpointBody) },
  responses: {
    200: jsonResponse('the endpoint after the change', vpcEndpointResponse),
    202: inProgress,
    404: notFound,
    409: errorResponse('IncorrectState'),
  },
});
registerRoute({
  method: 'delete',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  tags: [TAG],
  summary: 'Delete a VPC endpoint: deleting now, deleted once the service has let it go; its capacity is returned',
  request: { params: endpointParams },
  responses: { 200: jsonResponse('deletion started (or finished)', vpcEndpointResponse), 202: inProgress, 404: notFound },
});
registerRoute({
  method: 'post',
  path: '/v1/consumer/endpoints:delete',
  tags: [TAG],
  summary: 'Delete several VPC endpoints (DeleteVpcEndpoints): per-id failures in unsuccessful',
  request: jsonBody(vpcEndpointIdsBody),
  responses: {
    200: jsonResponse('the ids that could not be deleted, with the reason', unsuccessfulResponse),
    202: jsonResponse('no answer in time: the ids are being processed', unsuccessfulResponse),
  },
});

// ── controllers ──────────────────────────────────────────────────────────────────────────────────

/** The consumer self-service portal's endpoints: a consumer sees and changes only its own account's. */
@Controller('v1/consumer/endpoints')
@Roles('consumer')
export class ConsumerEndpointsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly commands: CommandBus,
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly network: NetworkQueries,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Post()
  async create(@Body() body: unknown, @Ctx() ctx: RequestContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const parsed = parseBody(createVpcEndpointBody, body);
    // Subnets named by id alone take their zone from the network inventory.
    const subnets =
      parsed.subnets &&
      (await this.network.endpointSubnets(parsed.subnets, ctx.caller.accountId, parsed.vpcId, (i) => `subnets[${i}].subnetId`));
    const input = { ...parsed, subnets };
    // Validated against the service as a write of the caller left it (e.g. just allowed), when it says so.
    const result: CommandResult<EndpointConnectionState | null> = await this.commands.execute(new CreateVpcEndpoint(input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    res.status(result.replayed ? 200 : 201);
    // A replay whose first request the read model does not have yet: its id, still pending.
    if (!result.state) return { vpcEndpoint: { vpcEndpointId: parseStreamId(result.streamId).aggregateId, vpcEndpointState: 'pending' } };
    return { vpcEndpoint: toVpcEndpointView(result.state) };
  }

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filters = parseFilters(query, ENDPOINT_FILTERS);
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`owner_account_id = ${param(ctx.caller.accountId)}`];
    for (const [name, values] of filters) {
      if (FILTER_COLUMNS[name]) where.push(`${FILTER_COLUMNS[name]} = ANY(${param(values)})`);
      else if (name === 'tag-key')
        where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ANY(${param(values)}))`);
      else if (name.startsWith('tag:')) {
        const key = param(name.slice(4));
        where.push(
          `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ${key} AND t->>'value' = ANY(${param(values)}))`,
        );
      }
    }
    const page = await pageOfDocuments<EndpointConnectionState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_connections',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['consumer-endpoints', ctx.caller.accountId, [...filters]]),
    });
    return { vpcEndpoints: page.items.map(toVpcEndpointView), nextToken: page.nextToken };
  }

  @Get(':vpcEndpointId')
  async get(
    @Param('vpcEndpointId') vpcEndpointId: string,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertVpcEndpointId(vpcEndpointId);
    const rows = await this.core.runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1 AND owner_account_id = $2`, [
      vpcEndpointId,
      ctx.caller.accountId,
    ]);
    if (rows.length === 0)
      throw new DomainError('InvalidVpcEndpointId.NotFound', `the VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    return { vpcEndpoint: toVpcEndpointView(rows[0].doc) };
  }

  @Patch(':vpcEndpointId')
  async modify(
    @Param('vpcEndpointId') vpcEndpointId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertVpcEndpointId(vpcEndpointId);
    const changes = parseBody(modifyVpcEndpointBody, body);
    // Every rule that needs no state, before the change is queued for connection-broker.
    validateEndpointChanges(changes);
    const { result }: Forwarded<ConnectionItemResult> = await this.commands.execute(new ModifyVpcEndpoint(vpcEndpointId, changes, ctx));
    return this.itemAnswer(res, vpcEndpointId, result);
  }

  @Delete(':vpcEndpointId')
  @HttpCode(200)
  async delete(@Param('vpcEndpointId') vpcEndpointId: string, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    assertVpcEndpointId(vpcEndpointId);
    const { result }: Forwarded<ConnectionBatchResult> = await this.commands.execute(new DeleteVpcEndpoints([vpcEndpointId], ctx));
    const failed = result?.unsuccessful[0];
    if (failed) throw new DomainError(failed.error.code as never, failed.error.message, 'vpcEndpointId');
    return this.itemAnswer(res, vpcEndpointId, result?.succeeded[0]);
  }

  private itemAnswer(res: Response, vpcEndpointId: string, item: ConnectionItemResult | undefined) {
    if (!item) {
      res.status(202);
      return { vpcEndpointId, inProgress: true };
    }
    setConsistencyToken(res, connectionStream(vpcEndpointId), item.version);
    return { vpcEndpoint: toVpcEndpointView(item.endpoint as unknown as EndpointConnectionState) };
  }
}

/** `POST /v1/consumer/endpoints:delete`: the batch verb, like the service batch delete. */
@Controller('v1/consumer')
@Roles('consumer')
export class ConsumerEndpointsBatchController {
  constructor(private readonly commands: CommandBus) {}

  @Post('endpoints\\:delete')
  @HttpCode(200)
  async deleteMany(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { vpcEndpointIds } = parseBody(vpcEndpointIdsBody, body);
    const { result }: Forwarded<ConnectionBatchResult> = await this.commands.execute(new DeleteVpcEndpoints(vpcEndpointIds, ctx));
    return batchAnswer(res, vpcEndpointIds, result);
  }
}

/**
 * `{unsuccessful}` as EC2 answers batches, and the consistency token of every endpoint it changed; without
 * an answer in time, 202 and the ids are `inProgress`.
 */
export function batchAnswer(res: Response, ids: string[], result: ConnectionBatchResult | undefined) {
  if (!result) {
    res.status(202);
    return { unsuccessful: [], inProgress: [...new Set(ids)] };
  }
  setConsistencyTokens(
    res,
    result.succeeded.map((item) => ({ streamId: connectionStream(item.vpcEndpointId), version: item.version })),
  );
  return { unsuccessful: result.unsuccessful };
}
