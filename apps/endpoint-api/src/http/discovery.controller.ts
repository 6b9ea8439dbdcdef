import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import {
  DomainError,
  EndpointServiceState,
  assertZoneId,
  mayConnect,
  publicServiceWarning,
  sharedAvailabilityZoneIds,
} from '@privatelink/domain';
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
import { discoverableBy, pageOfDocuments } from '../projections/queries';
import { toEndpointServiceView } from './endpoint-services.controller';
import { consumerServiceView, endpointServiceView } from './endpoint-services.schemas';
import { jsonResponse } from './openapi-helpers';
import { PrivateDnsVerificationDoc, verificationStateOf, verificationsOf } from '../projections/private-dns-verifications.projection';

const CONSUMER_FILTERS = ['service-id', 'service-name', 'service-type', 'owner'] as const;
const MAX_ZONE_IDS = 64;

type ConsumerServiceView = z.infer<typeof consumerServiceView>;

/**
 * What a consumer sees of a service. Zone ids are the cross-account identity ("use the Availability
 * Zone ID to uniquely and consistently identify the endpoint service Availability Zone"); zone names
 * are mapped per account, so the consumer is shown ids only. The private DNS name's verification is the
 * dns-verifier's (`verification`, its read model here); until it reports, a set name is `pendingVerification`.
 */
export function toConsumerServiceView(
  s: EndpointServiceState,
  zoneIds?: string[],
  verification?: PrivateDnsVerificationDoc,
): ConsumerServiceView {
  return {
    serviceId: s.serviceId,
    serviceName: s.serviceName,
    serviceType: s.serviceType,
    owner: s.owner,
    availabilityZoneIds: zoneIds ? sharedAvailabilityZoneIds(s, zoneIds) : s.availabilityZoneIds,
    baseEndpointDnsNames: s.baseEndpointDnsNames,
    acceptanceRequired: s.acceptanceRequired,
    privateDnsName: s.privateDnsName,
    privateDnsNameVerificationState: verificationStateOf(s, verification),
    supportedIpAddressTypes: s.supportedIpAddressTypes,
    payerResponsibility: s.payerResponsibility ?? undefined,
  };
}

/** `?zoneIds=use1-az1,use1-az2` (or repeated): the consumer's zone ids, each validated. */
function parseZoneIds(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length === 0 || values.length > MAX_ZONE_IDS) {
    throw new DomainError('InvalidParameterValue', `zoneIds: give 1 to ${MAX_ZONE_IDS} zone ids`, 'zoneIds');
  }
  return [...new Set(values.map((v, i) => assertZoneId(v, `zoneIds[${i}]`)))];
}

registerRoute({
  method: 'get',
  path: '/v1/consumer/endpoint-services',
  tags: ['consumer: discovery'],
  summary: 'The endpoint services the calling consumer may connect to (DescribeVpcEndpointServices)',
  description:
    'Exactly the Available services whose allowed principals include *, the caller’s account root or the caller’s own user or role ARN. ' +
    'With zoneIds, only services sharing at least one zone, showing only the shared zones. Filters: filter.service-id, filter.service-name, filter.service-type, filter.owner.',
  request: {
    query: z.object({
      zoneIds: z.string().optional().openapi({ example: 'use1-az1,use1-az2', description: 'The consumer’s zone ids, comma separated' }),
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.service-id': z.string().optional(),
      'filter.service-name': z.string().optional(),
      'filter.service-type': z.string().optional(),
      'filter.owner': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ serviceDetails: z.array(consumerServiceView), nextToken: z.string().optional() }).openapi('ServiceDetailPage'),
    ),
  },
});

registerRoute({
  method: 'get',
  path: '/v1/ops/public-endpoint-services',
  tags: ['ops'],
  summary: 'Endpoint services that are public: * allowed and acceptance not required (the guide’s warning case)',
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: {
    200: jsonResponse(
      'a page',
      z
        .object({
          serviceConfigurations: z.array(endpointServiceView),
          nextToken: z.string().optional(),
          warning: z.string().optional().openapi({ description: 'The guide’s note on public services, when the page is not empty' }),
        })
        .openapi('PublicServicePage'),
    ),
  },
});

@Controller('v1/consumer/endpoint-services')
@Roles('consumer')
export class ConsumerEndpointServicesController {
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
    const filters = parseFilters(query, CONSUMER_FILTERS);
    const zoneIds = parseZoneIds(query.zoneIds);
    const caller = ctx.caller.principal;
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = discoverableBy(ctx.caller, params);
    if (zoneIds)
      where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements_text(doc->'availabilityZoneIds') z WHERE z = ANY(${param(zoneIds)}))`);
    const columns: Record<string, string> = {
      'service-id': 'id',
      'service-name': 'service_name',
      'service-type': 'service_type',
      owner: 'owner_account_id',
    };
    for (const [name, values] of filters) where.push(`${columns[name]} = ANY(${param(values)})`);
    const page = await pageOfDocuments<EndpointServiceState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_services',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['consumer-services', caller, zoneIds ?? null, [...filters]]),
    });
    // The domain's rule decides; the query only finds the candidates efficiently.
    const visible = page.items.filter((s) => mayConnect(s, caller));
    const verifications = await verificationsOf(
      this.core.runtime.db,
      visible.filter((s) => s.privateDnsName).map((s) => s.serviceId),
    );
    return {
      serviceDetails: visible.map((s) => toConsumerServiceView(s, zoneIds, verifications.get(s.serviceId))),
      nextToken: page.nextToken,
    };
  }
}

@Controller('v1/ops')
@Roles('ops')
export class OpsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get('public-endpoint-services')
  async publicServices(@Query() query: Record<string, unknown>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const page = await pageOfDocuments<EndpointServiceState>(this.core.runtime.db, this.tokens, {
      table: 'rm_endpoint_services',
      where: ['is_public'],
      params: [],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['public-services']),
    });
    const verifications = await verificationsOf(
      this.core.runtime.db,
      page.items.map((s) => s.serviceId),
    );
    return {
      serviceConfigurations: page.items.map((s) => toEndpointServiceView(s, verifications.get(s.serviceId))),
      nextToken: page.nextToken,
      warning: page.items.length > 0 ? publicServiceWarning(page.items[0]) : undefined,
    };
  }
}
