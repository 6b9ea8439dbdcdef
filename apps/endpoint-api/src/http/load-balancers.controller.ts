import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { DomainError, LoadBalancerState } from '@privatelink/domain';
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
import { Inject } from '@nestjs/common';
import { EndpointApiCore } from '../endpoint-api.core';
import {
  ChangeLoadBalancerTags,
  RegisterLoadBalancer,
  DeregisterLoadBalancer,
  loadBalancerStream,
} from '../handlers/load-balancer.handlers';
import { CommandResult } from '../handlers/command-result';
import { pageOfDocuments } from '../projections/queries';
import { setConsistencyToken } from './consistency';
import { loadBalancerView, LoadBalancerView, registerLoadBalancerBody } from './load-balancers.schemas';
import { createTagsBody, deleteTagsBody, tagsView } from '../endpoint-services/endpoint-services.schemas';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import { parseBody } from './validation';

const LOAD_BALANCER_FILTERS = ['load-balancer-arn', 'load-balancer-type', 'state'] as const;

export function toLoadBalancerView(s: LoadBalancerState): LoadBalancerView {
  return {
    loadBalancerArn: s.arn,
    loadBalancerType: s.loadBalancerType,
    loadBalancerName: s.name,
    region: s.region,
    ownerId: s.ownerAccountId,
    availabilityZones: s.availabilityZones,
    ipAddressType: s.ipAddressType,
    state: s.status,
    usedByServiceIds: s.usedByServiceIds,
    tags: s.tags,
    registeredAt: s.registeredAt,
  };
}

const TAG = 'provider: load balancers';
const arnParams = z.object({
  loadBalancerArn: z.string().openapi({
    description: 'The load balancer ARN, URL-encoded (its slashes as %2F)',
    example: 'arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A111122223333%3Aloadbalancer%2Fnet%2Fmy-nlb%2Fe94221227f1ba532',
  }),
});
const lbResponse = z.object({ loadBalancer: loadBalancerView }).openapi('LoadBalancerResponse');
const notFound = errorResponse(
  'InvalidLoadBalancerArn.NotFound: not registered in the caller’s account (another account’s answers the same)',
);

registerRoute({
  method: 'post',
  path: '/v1/provider/load-balancers',
  tags: [TAG],
  summary: 'Register a Network or Gateway Load Balancer (type from the ARN) with its Availability Zones',
  request: jsonBody(registerLoadBalancerBody),
  responses: {
    201: jsonResponse('registered', lbResponse),
    409: errorResponse('DuplicateLoadBalancer: already registered; ConcurrentModification'),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/load-balancers',
  tags: [TAG],
  summary: "List the caller's load balancers (ops: every account's)",
  description:
    'Filters: filter.load-balancer-arn, filter.load-balancer-type (network, gateway), filter.state (registered by default, deregistered).',
  request: {
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.load-balancer-arn': z.string().optional(),
      'filter.load-balancer-type': z.string().optional(),
      'filter.state': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ loadBalancers: z.array(loadBalancerView), nextToken: z.string().optional() }).openapi('LoadBalancerPage'),
    ),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  tags: [TAG],
  summary: 'Describe one load balancer, with the services that use it',
  request: { params: arnParams },
  responses: { 200: jsonResponse('the load balancer', lbResponse), 404: notFound },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  tags: [TAG],
  summary: 'Deregister a load balancer (refused with ResourceInUse while a service uses it)',
  request: { params: arnParams },
  responses: {
    200: jsonResponse('deregistered', lbResponse),
    404: notFound,
    409: errorResponse('ResourceInUse: used by endpoint services (details.serviceIds); ConcurrentModification'),
  },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/load-balancers/{loadBalancerArn}/tags',
  tags: [TAG],
  summary: 'Create or overwrite tags on a load balancer (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource',
  request: { params: arnParams, ...jsonBody(createTagsBody) },
  responses: { 200: jsonResponse('the load balancer’s tags now', tagsView), 404: notFound, 409: errorResponse('ConcurrentModification') },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/load-balancers/{loadBalancerArn}/tags',
  tags: [TAG],
  summary: 'Delete tags from a load balancer by key (DeleteTags); absent keys are ignored',
  request: { params: arnParams, ...jsonBody(deleteTagsBody) },
  responses: { 200: jsonResponse('the load balancer’s tags now', tagsView), 404: notFound, 409: errorResponse('ConcurrentModification') },
});

@Controller('v1/provider/load-balancers')
@Roles('provider', 'ops')
export class LoadBalancersController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly commands: CommandBus,
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Post()
  @Roles('provider')
  async register(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const input = parseBody(registerLoadBalancerBody, body);
    const result: CommandResult<LoadBalancerState> = await this.commands.execute(new RegisterLoadBalancer(input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    res.status(201);
    return { loadBalancer: toLoadBalancerView(result.state) };
  }

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filters = parseFilters(query, LOAD_BALANCER_FILTERS);
    const where: string[] = [];
    const params: unknown[] = [];
    // A provider sees its own account's load balancers; ops sees all.
    if (ctx.caller.role !== 'ops') {
      params.push(ctx.caller.accountId);
      where.push(`owner_account_id = $${params.length}`);
    }
    const arns = filters.get('load-balancer-arn');
    if (arns) {
      params.push(arns);
      where.push(`id = ANY($${params.length})`);
    }
    const types = filters.get('load-balancer-type');
    if (types) {
      params.push(types);
      where.push(`doc->>'loadBalancerType' = ANY($${params.length})`);
    }
    params.push(filters.get('state') ?? ['registered']);
    where.push(`status = ANY($${params.length})`);
    const page = await pageOfDocuments<LoadBalancerState>(this.core.runtime.db, this.tokens, {
      table: 'rm_load_balancers',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify([ctx.caller.accountId, [...filters]]),
    });
    return { loadBalancers: page.items.map(toLoadBalancerView), nextToken: page.nextToken };
  }

  @Get(':loadBalancerArn')
  async get(
    @Param('loadBalancerArn') arn: string,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const rows = await this.core.runtime.db.query(`SELECT doc FROM rm_load_balancers WHERE id = $1`, [arn]);
    const lb = rows[0]?.doc as LoadBalancerState | undefined;
    if (!lb || (ctx.caller.role !== 'ops' && lb.ownerAccountId !== ctx.caller.accountId)) {
      throw new DomainError('InvalidLoadBalancerArn.NotFound', `load balancer ${arn} is not registered`, 'loadBalancerArn');
    }
    return { loadBalancer: toLoadBalancerView(lb) };
  }

  @Delete(':loadBalancerArn')
  @Roles('provider')
  @HttpCode(200)
  async deregister(@Param('loadBalancerArn') arn: string, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const result: CommandResult<LoadBalancerState> = await this.commands.execute(new DeregisterLoadBalancer(arn, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    return { loadBalancer: toLoadBalancerView(result.state) };
  }

  @Post(':loadBalancerArn/tags')
  @Roles('provider')
  @HttpCode(200)
  async createTags(
    @Param('loadBalancerArn') arn: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { tags } = parseBody(createTagsBody, body);
    const result: CommandResult<LoadBalancerState> = await this.commands.execute(
      new ChangeLoadBalancerTags(arn, { type: 'createTags', tags }, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    return { tags: result.state.tags };
  }

  @Delete(':loadBalancerArn/tags')
  @Roles('provider')
  @HttpCode(200)
  async deleteTags(
    @Param('loadBalancerArn') arn: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { tagKeys } = parseBody(deleteTagsBody, body);
    const result: CommandResult<LoadBalancerState> = await this.commands.execute(
      new ChangeLoadBalancerTags(arn, { type: 'deleteTags', tagKeys }, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    return { tags: result.state.tags };
  }
}

export { loadBalancerStream };
