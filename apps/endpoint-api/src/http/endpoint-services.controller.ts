import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import { AllowedPrincipal, EndpointServiceState, assertServiceId, publicServiceWarning } from '@privatelink/domain';
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
import { CreateEndpointService } from '../handlers/endpoint-service.handlers';
import {
  AddAllowedPrincipals,
  CreateServiceTags,
  DeleteEndpointService,
  DeleteEndpointServices,
  DeleteServicesResult,
  DeleteServiceTags,
  ModifyEndpointService,
  RemoveAllowedPrincipals,
  SetPayerResponsibility,
} from '../handlers/endpoint-service-changes.handlers';
import { CommandResult } from '../handlers/command-result';
import { ServiceWrite, ownService } from '../handlers/service-writes';
import { pageOfDocuments } from '../projections/queries';
import { setConsistencyToken, setConsistencyTokens } from './consistency';
import {
  addPermissionsBody,
  addPermissionsResponse,
  createEndpointServiceBody,
  createTagsBody,
  deleteServicesBody,
  deleteServicesResponse,
  deleteTagsBody,
  endpointServiceView,
  EndpointServiceView,
  modifyEndpointServiceBody,
  payerResponsibilityBody,
  permissionsView,
  removePermissionsBody,
  removePermissionsResponse,
  serviceResponse,
  tagsView,
} from './endpoint-services.schemas';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import { parseBody } from './validation';
import {
  PrivateDnsVerificationDoc,
  privateDnsNameConfigurationOf,
  verificationsOf,
} from '../projections/private-dns-verifications.projection';

const SERVICE_FILTERS = ['service-id', 'service-name', 'service-state', 'service-type', 'tag:<key>', 'tag-key'] as const;
const PERMISSION_FILTERS = ['principal', 'principal-type'] as const;

/** The API's view of a service; `verification` is dns-verifier's verification of its private DNS name, if any. */
export function toEndpointServiceView(s: EndpointServiceState, verification?: PrivateDnsVerificationDoc): EndpointServiceView {
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
    privateDnsNameConfiguration: privateDnsNameConfigurationOf(s, verification),
    supportedIpAddressTypes: s.supportedIpAddressTypes,
    payerResponsibility: s.payerResponsibility ?? undefined,
    autoAcceptPrincipals: s.autoAcceptPrincipals ?? [],
    tags: s.tags,
    createdAt: s.createdAt,
  };
}

const principalView = (p: AllowedPrincipal) => ({
  principal: p.principal,
  principalType: p.principalType,
  servicePermissionId: p.servicePermissionId,
});
const serviceAnswer = (s: EndpointServiceState, verification?: PrivateDnsVerificationDoc) => ({
  serviceConfiguration: toEndpointServiceView(s, verification),
  warning: publicServiceWarning(s),
});

// ── API document ─────────────────────────────────────────────────────────────────────────────────

const TAG = 'provider: endpoint services';
const serviceParams = z.object({ serviceId: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }) });
const notFound = errorResponse(
  'InvalidVpcEndpointServiceId.NotFound: no such service in the caller’s account (another account’s service answers the same)',
);
const conflict = (what: string) =>
  errorResponse(`${what}; ConcurrentModification when other requests changed the service at the same time`);

registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services',
  tags: [TAG],
  summary: 'Create an endpoint service configuration (Interface with NLBs, or GatewayLoadBalancer with GWLBs)',
  description:
    'CreateVpcEndpointServiceConfiguration. acceptanceRequired defaults to true. The same clientToken with the same body answers the first result (200); ' +
    'with another body IdempotentParameterMismatch. Unknown load balancers, or another account’s, are a 400 naming the entry.',
  request: jsonBody(createEndpointServiceBody),
  responses: {
    200: jsonResponse('a replay of the same clientToken and body: the first result', serviceResponse),
    201: jsonResponse('created; serviceState is Pending until the service is Available', serviceResponse),
    409: conflict('IdempotentParameterMismatch'),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services',
  tags: [TAG],
  summary: "Describe the caller's endpoint service configurations (ops: every account's)",
  description:
    'Filters: filter.service-id, filter.service-name, filter.service-state, filter.service-type, filter.tag:<key>, filter.tag-key. Deleted services are gone.',
  request: {
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.service-id': z.string().optional(),
      'filter.service-name': z.string().optional(),
      'filter.service-state': z.string().optional(),
      'filter.service-type': z.string().optional(),
      'filter.tag-key': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z
        .object({ serviceConfigurations: z.array(endpointServiceView), nextToken: z.string().optional() })
        .openapi('ServiceConfigurationPage'),
    ),
  },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}',
  tags: [TAG],
  summary: 'Describe one endpoint service configuration',
  request: { params: serviceParams },
  responses: { 200: jsonResponse('the service', serviceResponse), 404: notFound },
});
registerRoute({
  method: 'patch',
  path: '/v1/provider/endpoint-services/{serviceId}',
  tags: [TAG],
  summary: 'Modify an endpoint service configuration (ModifyVpcEndpointServiceConfiguration)',
  description:
    'Add/remove load balancers of the service’s own type (zones are recomputed; removal refused with IncorrectState while endpoints are attached; ' +
    'the service keeps at least one), toggle acceptanceRequired, set/change/remove the private DNS name (removal only without connections), ' +
    'add/remove supported IP address types (ipv6 needs dualstack load balancers), add/remove autoAcceptPrincipals. All or nothing.',
  request: { params: serviceParams, ...jsonBody(modifyEndpointServiceBody) },
  responses: {
    200: jsonResponse('the service after the change', serviceResponse),
    404: notFound,
    409: conflict('IncorrectState (endpoints attached, service being deleted)'),
  },
});
registerRoute({
  method: 'put',
  path: '/v1/provider/endpoint-services/{serviceId}/payer-responsibility',
  tags: [TAG],
  summary: 'Hand payer responsibility to the service owner (ModifyVpcEndpointServicePayerResponsibility; one way, ServiceOwner only)',
  request: { params: serviceParams, ...jsonBody(payerResponsibilityBody) },
  responses: { 200: jsonResponse('the service after the change', serviceResponse), 404: notFound, 409: conflict('IncorrectState') },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}',
  tags: [TAG],
  summary: 'Delete an endpoint service configuration: Deleting now, Deleted when its load balancers are released',
  request: { params: serviceParams },
  responses: {
    200: jsonResponse('deletion started: serviceState is Deleting', serviceResponse),
    404: notFound,
    409: conflict(
      'IncorrectState: pendingAcceptance or available connections exist (details.vpcEndpointIds lists them); reject them first',
    ),
  },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services:delete',
  tags: [TAG],
  summary: 'Delete several endpoint service configurations (DeleteVpcEndpointServiceConfigurations): per-id failures in unsuccessful',
  request: jsonBody(deleteServicesBody),
  responses: { 200: jsonResponse('the ids that could not be deleted, with the reason', deleteServicesResponse) },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  tags: [TAG],
  summary: 'Describe the allowed principals (DescribeVpcEndpointServicePermissions)',
  description: 'Filters: filter.principal, filter.principal-type (All, Account, User, Role).',
  request: {
    params: serviceParams,
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.principal': z.string().optional(),
      'filter.principal-type': z.string().optional(),
    }),
  },
  responses: { 200: jsonResponse('a page of allowed principals', permissionsView), 404: notFound },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  tags: [TAG],
  summary: 'Allow principals to connect (ModifyVpcEndpointServicePermissions --add-allowed-principals)',
  description:
    'Idempotent: principals already allowed are listed in alreadyPresent. ARNs with paths are refused. warning is set when the service becomes public.',
  request: { params: serviceParams, ...jsonBody(addPermissionsBody) },
  responses: {
    200: jsonResponse('the outcome and the allowed principals now', addPermissionsResponse),
    404: notFound,
    409: conflict('IncorrectState'),
  },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  tags: [TAG],
  summary: 'Remove allowed principals (ModifyVpcEndpointServicePermissions --remove-allowed-principals)',
  description: 'Idempotent: principals that were not allowed are listed in alreadyAbsent.',
  request: { params: serviceParams, ...jsonBody(removePermissionsBody) },
  responses: {
    200: jsonResponse('the outcome and the allowed principals now', removePermissionsResponse),
    404: notFound,
    409: conflict('IncorrectState'),
  },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/tags',
  tags: [TAG],
  summary: 'Create or overwrite tags on a service (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource',
  request: { params: serviceParams, ...jsonBody(createTagsBody) },
  responses: { 200: jsonResponse('the service’s tags now', tagsView), 404: notFound, 409: conflict('IncorrectState') },
});
registerRoute({
  method: 'delete',
  path: '/v1/provider/endpoint-services/{serviceId}/tags',
  tags: [TAG],
  summary: 'Delete tags from a service by key (DeleteTags); absent keys are ignored',
  request: { params: serviceParams, ...jsonBody(deleteTagsBody) },
  responses: { 200: jsonResponse('the service’s tags now', tagsView), 404: notFound, 409: conflict('IncorrectState') },
});

// ── controllers ──────────────────────────────────────────────────────────────────────────────────

@Controller('v1/provider/endpoint-services')
@Roles('provider', 'ops')
export class EndpointServicesController {
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
  async create(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const input = parseBody(createEndpointServiceBody, body);
    const result: CommandResult<EndpointServiceState> = await this.commands.execute(new CreateEndpointService(input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    res.status(result.replayed ? 200 : 201);
    return this.answer(result.state);
  }

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filters = parseFilters(query, SERVICE_FILTERS);
    const where: string[] = [`service_state <> 'Deleted'`];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // A provider sees its own account's services; ops sees all.
    if (ctx.caller.role !== 'ops') where.push(`owner_account_id = ${param(ctx.caller.accountId)}`);
    const columns: Record<string, string> = {
      'service-id': 'id',
      'service-name': 'service_name',
      'service-state': 'service_state',
      'service-type': 'service_type',
    };
    for (const [name, values] of filters) {
      if (columns[name]) where.push(`${columns[name]} = ANY(${param(values)})`);
      else if (name === 'tag-key')
        where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ANY(${param(values)}))`);
      else if (name.startsWith('tag:')) {
        const key = param(name.slice(4));
        where.push(
          `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ${key} AND t->>'value' = ANY(${param(values)}))`,
        );
      }
    }
    const page = await pageOfDocuments<EndpointServiceState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_services',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['provider-services', ctx.caller.accountId, [...filters]]),
    });
    const verifications = await verificationsOf(
      this.core.runtime.db,
      page.items.map((s) => s.serviceId),
    );
    return {
      serviceConfigurations: page.items.map((s) => toEndpointServiceView(s, verifications.get(s.serviceId))),
      nextToken: page.nextToken,
    };
  }

  @Get(':serviceId')
  async get(
    @Param('serviceId') serviceId: string,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.answer(await this.readService(serviceId, ctx, req, res));
  }

  @Patch(':serviceId')
  @Roles('provider')
  async modify(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const input = parseBody(modifyEndpointServiceBody, body);
    return this.written(res, await this.commands.execute(new ModifyEndpointService(serviceId, input, ctx)));
  }

  @Put(':serviceId/payer-responsibility')
  @Roles('provider')
  async setPayerResponsibility(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const { payerResponsibility } = parseBody(payerResponsibilityBody, body);
    return this.written(res, await this.commands.execute(new SetPayerResponsibility(serviceId, payerResponsibility, ctx)));
  }

  @Delete(':serviceId')
  @Roles('provider')
  @HttpCode(200)
  async delete(@Param('serviceId') serviceId: string, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    assertServiceId(serviceId, 'serviceId');
    return this.written(res, await this.commands.execute(new DeleteEndpointService(serviceId, ctx)));
  }

  @Get(':serviceId/permissions')
  async permissions(
    @Param('serviceId') serviceId: string,
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const service = await this.readService(serviceId, ctx, req, res);
    const filters = parseFilters(query, PERMISSION_FILTERS);
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = JSON.stringify(['permissions', serviceId, [...filters]]);
    const after = this.tokens.decode(typeof query.nextToken === 'string' ? query.nextToken : undefined, fingerprint);
    const matching = service.allowedPrincipals
      .filter((p) => !filters.has('principal') || filters.get('principal')!.includes(p.principal))
      .filter((p) => !filters.has('principal-type') || filters.get('principal-type')!.includes(p.principalType))
      .filter((p) => after === null || p.servicePermissionId > after)
      .sort((a, b) => (a.servicePermissionId < b.servicePermissionId ? -1 : 1));
    const items = matching.slice(0, maxResults);
    return {
      allowedPrincipals: items.map(principalView),
      nextToken: matching.length > maxResults ? this.tokens.encode(items[items.length - 1].servicePermissionId, fingerprint) : undefined,
      warning: publicServiceWarning(service),
    };
  }

  @Post(':serviceId/permissions')
  @Roles('provider')
  @HttpCode(200)
  async addPermissions(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const { addAllowedPrincipals } = parseBody(addPermissionsBody, body);
    const result: ServiceWrite<{ added: string[]; alreadyPresent: string[] }> = await this.commands.execute(
      new AddAllowedPrincipals(serviceId, addAllowedPrincipals, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    return {
      ...result.outcome,
      allowedPrincipals: result.state.allowedPrincipals.map(principalView),
      warning: publicServiceWarning(result.state),
    };
  }

  @Delete(':serviceId/permissions')
  @Roles('provider')
  @HttpCode(200)
  async removePermissions(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const { removeAllowedPrincipals } = parseBody(removePermissionsBody, body);
    const result: ServiceWrite<{ removed: string[]; alreadyAbsent: string[] }> = await this.commands.execute(
      new RemoveAllowedPrincipals(serviceId, removeAllowedPrincipals, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    return {
      ...result.outcome,
      allowedPrincipals: result.state.allowedPrincipals.map(principalView),
      warning: publicServiceWarning(result.state),
    };
  }

  @Post(':serviceId/tags')
  @Roles('provider')
  @HttpCode(200)
  async createTags(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const { tags } = parseBody(createTagsBody, body);
    const result: ServiceWrite<undefined> = await this.commands.execute(new CreateServiceTags(serviceId, tags, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    return { tags: result.state.tags };
  }

  @Delete(':serviceId/tags')
  @Roles('provider')
  @HttpCode(200)
  async deleteTags(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const { tagKeys } = parseBody(deleteTagsBody, body);
    const result: ServiceWrite<undefined> = await this.commands.execute(new DeleteServiceTags(serviceId, tagKeys, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    return { tags: result.state.tags };
  }

  /** One service from the read model, as the caller may see it (ops: any; provider: its own; else NotFound). */
  private async readService(serviceId: string, ctx: RequestContext, req: Request, res: Response): Promise<EndpointServiceState> {
    assertServiceId(serviceId, 'serviceId');
    const rows = await this.core.runtime.db.query(`SELECT doc FROM rm_endpoint_services WHERE id = $1`, [serviceId]);
    const service = (rows[0]?.doc ?? null) as EndpointServiceState | null;
    return ownService(service, serviceId, ctx.caller.role === 'ops' && service ? service.owner : ctx.caller.accountId);
  }

  private written(res: Response, result: CommandResult<EndpointServiceState>) {
    setConsistencyToken(res, result.streamId, result.version);
    return this.answer(result.state);
  }

  /** The service with its private DNS name's verification (read model of dns-verifier's events). */
  private async answer(s: EndpointServiceState) {
    const verification = s.privateDnsName ? (await verificationsOf(this.core.runtime.db, [s.serviceId])).get(s.serviceId) : undefined;
    return serviceAnswer(s, verification);
  }
}

/** `POST /v1/provider/endpoint-services:delete`: a custom method, as Google-style APIs name batch verbs. */
@Controller('v1/provider')
@Roles('provider')
export class EndpointServicesBatchController {
  constructor(private readonly commands: CommandBus) {}

  @Post('endpoint-services\\:delete')
  @HttpCode(200)
  async deleteMany(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { serviceIds } = parseBody(deleteServicesBody, body);
    const { unsuccessful, written }: DeleteServicesResult = await this.commands.execute(new DeleteEndpointServices(serviceIds, ctx));
    setConsistencyTokens(res, written);
    return { unsuccessful };
  }
}
