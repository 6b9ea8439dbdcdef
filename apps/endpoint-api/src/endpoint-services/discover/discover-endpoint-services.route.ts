import { Controller } from '@nestjs/common';
import { DomainError, assertZoneId } from '@privatelink/domain';
import { Ctx, RequestContext, parseFilters, parseMaxResults, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { nextTokenOf } from '../../projections/queries';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { consumerServiceView, toConsumerServiceView } from '../endpoint-service.view';

const CONSUMER_FILTERS = ['service-id', 'service-name', 'service-type', 'owner'] as const;
const MAX_ZONE_IDS = 64;

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

const route = defineRoute({
  method: 'get',
  path: '/v1/consumer/endpoint-services',
  roles: ['consumer'],
  tags: ['consumer: discovery'],
  summary: 'The endpoint services the calling consumer may connect to (DescribeVpcEndpointServices)',
  description:
    'Exactly the Available services whose allowed principals include *, the caller’s account root or the caller’s own user or role ARN. ' +
    'With zoneIds, only services sharing at least one zone, showing only the shared zones. Filters: filter.service-id, filter.service-name, filter.service-type, filter.owner.',
  query: z.object({
    zoneIds: z.string().optional().openapi({ example: 'use1-az1,use1-az2', description: 'The consumer’s zone ids, comma separated' }),
    maxResults: z.string().optional(),
    nextToken: z.string().optional(),
    'filter.service-id': z.string().optional(),
    'filter.service-name': z.string().optional(),
    'filter.service-type': z.string().optional(),
    'filter.owner': z.string().optional(),
  }),
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ serviceDetails: z.array(consumerServiceView), nextToken: z.string().optional() }).openapi('ServiceDetailPage'),
    ),
  },
});

/** DescribeVpcEndpointServices: what the calling consumer may connect to. */
@Controller()
export class DiscoverEndpointServicesRoute {
  constructor(private readonly services: EndpointServiceQueries) {}

  @Route(route)
  async list(@Input() { query }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const filters = parseFilters(query, CONSUMER_FILTERS);
    const zoneIds = parseZoneIds(query.zoneIds);
    const request = { filters, zoneIds, maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) };
    const page = await this.services.discoverableServices(ctx.caller, request);
    return {
      serviceDetails: page.items.map((s) => toConsumerServiceView(s, zoneIds, page.verifications.get(s.serviceId))),
      nextToken: page.nextToken,
    };
  }
}
