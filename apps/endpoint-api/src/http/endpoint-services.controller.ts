import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { DomainError, EndpointServiceState, assertServiceId, publicServiceWarning } from '@privatelink/domain';
import { Ctx, PageTokens, PLATFORM_CONFIG, PlatformConfig, RequestContext, Roles, parseFilters, parseMaxResults, registerRoute, z } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { CreateEndpointService } from '../handlers/endpoint-service.handlers';
import { CommandResult } from '../handlers/command-result';
import { pageOfDocuments } from '../projections/queries';
import { awaitConsistency, setConsistencyToken } from './consistency';
import { createEndpointServiceBody, endpointServiceView, EndpointServiceView } from './endpoint-services.schemas';
import { parseBody } from './validation';

const SERVICE_FILTERS = ['service-id', 'service-name', 'service-state', 'service-type', 'tag:<key>', 'tag-key'] as const;

export function toEndpointServiceView(s: EndpointServiceState): EndpointServiceView {
  return {
    serviceId: s.serviceId,
    serviceName: s.serviceName,
    serviceType: s.serviceType,
    serviceState: s.serviceState,
    owner: s.owner,
    acceptanceRequired: s.acceptanceRequired,
    networkLoadBalancerArns: s.networkLoadBalancerArns,
    gatewayLoadBalancerArns: s.gatewayLoadBalancerArns,
    availabilityZones: s.availabilityZones,
    availabilityZoneIds: s.availabilityZoneIds,
    baseEndpointDnsNames: s.baseEndpointDnsNames,
    privateDnsName: s.privateDnsName ?? undefined,
    supportedIpAddressTypes: s.supportedIpAddressTypes,
    payerResponsibility: s.payerResponsibility ?? undefined,
    tags: s.tags,
    createdAt: s.createdAt,
  };
}

const serviceResponse = z.object({ serviceConfiguration: endpointServiceView, warning: z.string().optional() });

registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services',
  tags: ['provider: endpoint services'],
  summary: 'Create an endpoint service configuration (Interface with NLBs, or GatewayLoadBalancer with GWLBs)',
  request: { body: { content: { 'application/json': { schema: createEndpointServiceBody } } } },
  responses: {
    201: { description: 'created; serviceState is Pending until the service is Available', content: { 'application/json': { schema: serviceResponse } } },
    404: { description: 'InvalidLoadBalancerArn.NotFound' },
    409: { description: 'IdempotentParameterMismatch, ConcurrentModification' },
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services',
  tags: ['provider: endpoint services'],
  summary: "Describe the caller's endpoint service configurations (filters: service-id, service-name, service-state, service-type, tag:<key>, tag-key)",
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: {
    200: {
      description: 'a page',
      content: { 'application/json': { schema: z.object({ serviceConfigurations: z.array(endpointServiceView), nextToken: z.string().optional() }) } },
    },
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}',
  tags: ['provider: endpoint services'],
  summary: 'Describe one endpoint service configuration',
  request: { params: z.object({ serviceId: z.string() }) },
  responses: {
    200: { description: 'the service', content: { 'application/json': { schema: serviceResponse } } },
    404: { description: 'InvalidVpcEndpointServiceId.NotFound' },
  },
});

@Controller('v1/provider/endpoint-services')
@Roles('provider', 'ops')
export class EndpointServicesController {
  private readonly tokens: PageTokens;

  constructor(private readonly commands: CommandBus, private readonly core: EndpointApiCore, @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Post()
  @Roles('provider')
  async create(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const input = parseBody(createEndpointServiceBody, body);
    const result: CommandResult<EndpointServiceState> = await this.commands.execute(new CreateEndpointService(input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    res.status(result.replayed ? 200 : 201);
    return { serviceConfiguration: toEndpointServiceView(result.state), warning: publicServiceWarning(result.state) };
  }

  @Get()
  async list(@Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await awaitConsistency(req, res, this.core.endpointServices as never, this.config.readWaitMs);
    const filters = parseFilters(query, SERVICE_FILTERS);
    const where: string[] = [`service_state <> 'Deleted'`];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    // A provider sees its own account's services; ops sees all.
    if (ctx.caller.role !== 'ops') add((p) => `owner_account_id = ${p}`, ctx.caller.accountId);
    const columns: Record<string, string> = { 'service-id': 'id', 'service-name': 'service_name', 'service-state': 'service_state', 'service-type': 'service_type' };
    for (const [name, values] of filters) {
      if (columns[name]) add((p) => `${columns[name]} = ANY(${p})`, values);
      else if (name === 'tag-key') add((p) => `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ANY(${p}))`, values);
      else if (name.startsWith('tag:')) {
        params.push(name.slice(4));
        add((p) => `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = $${params.length} AND t->>'value' = ANY(${p}))`, values);
      }
    }
    const page = await pageOfDocuments<EndpointServiceState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_services',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify([ctx.caller.accountId, [...filters]]),
    });
    return { serviceConfigurations: page.items.map(toEndpointServiceView), nextToken: page.nextToken };
  }

  @Get(':serviceId')
  async get(@Param('serviceId') serviceId: string, @Ctx() ctx: RequestContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertServiceId(serviceId, 'serviceId');
    await awaitConsistency(req, res, this.core.endpointServices as never, this.config.readWaitMs);
    const rows = await this.core.runtime.db.query(`SELECT doc FROM rm_endpoint_services WHERE id = $1`, [serviceId]);
    const service = rows[0]?.doc as EndpointServiceState | undefined;
    if (!service || service.serviceState === 'Deleted' || (ctx.caller.role !== 'ops' && service.owner !== ctx.caller.accountId)) {
      throw new DomainError('InvalidVpcEndpointServiceId.NotFound', `endpoint service ${serviceId} does not exist`, 'serviceId');
    }
    return { serviceConfiguration: toEndpointServiceView(service), warning: publicServiceWarning(service) };
  }
}
