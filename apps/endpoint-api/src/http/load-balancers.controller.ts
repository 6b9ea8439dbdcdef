import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { DomainError, LoadBalancerState } from '@privatelink/domain';
import { Ctx, PageTokens, PLATFORM_CONFIG, PlatformConfig, RequestContext, Roles, parseFilters, parseMaxResults, registerRoute, z } from '@privatelink/platform';
import { Inject } from '@nestjs/common';
import { EndpointApiCore } from '../endpoint-api.core';
import { RegisterLoadBalancer, DeregisterLoadBalancer, loadBalancerStream } from '../handlers/load-balancer.handlers';
import { CommandResult } from '../handlers/command-result';
import { pageOfDocuments } from '../projections/queries';
import { awaitConsistency, setConsistencyToken } from './consistency';
import { loadBalancerView, LoadBalancerView, registerLoadBalancerBody } from './load-balancers.schemas';
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

registerRoute({
  method: 'post',
  path: '/v1/provider/load-balancers',
  tags: ['provider: load balancers'],
  summary: 'Register a Network or Gateway Load Balancer (type from the ARN) with its Availability Zones',
  request: { body: { content: { 'application/json': { schema: registerLoadBalancerBody } } } },
  responses: { 201: { description: 'registered', content: { 'application/json': { schema: z.object({ loadBalancer: loadBalancerView }) } } } },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/load-balancers',
  tags: ['provider: load balancers'],
  summary: "List the caller's load balancers (filters: load-balancer-arn, load-balancer-type, state)",
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: {
    200: { description: 'a page', content: { 'application/json': { schema: z.object({ loadBalancers: z.array(loadBalancerView), nextToken: z.string().optional() }) } } },
  },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  tags: ['provider: load balancers'],
  summary: 'Deregister a load balancer (refused with ResourceInUse while a service uses it)',
  request: { params: z.object({ loadBalancerArn: z.string() }) },
  responses: { 200: { description: 'deregistered', content: { 'application/json': { schema: z.object({ loadBalancer: loadBalancerView }) } } } },
});

@Controller('v1/provider/load-balancers')
@Roles('provider', 'ops')
export class LoadBalancersController {
  private readonly tokens: PageTokens;

  constructor(private readonly commands: CommandBus, private readonly core: EndpointApiCore, @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {
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
  async list(@Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await awaitConsistency(req, res, this.core.loadBalancers as never, this.config.readWaitMs);
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
  async get(@Param('loadBalancerArn') arn: string, @Ctx() ctx: RequestContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await awaitConsistency(req, res, this.core.loadBalancers as never, this.config.readWaitMs);
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
}

export { loadBalancerStream };
