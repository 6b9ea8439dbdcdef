import { Controller } from '@nestjs/common';
import { publicServiceWarning } from '@privatelink/domain';
import { Ctx, PageTokens, RequestContext, parseFilters, parseMaxResults, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { nextTokenOf } from '../../projections/queries';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { principalView } from '../endpoint-service.view';
import { SERVICES_TAG, permissionsView, serviceNotFoundResponse } from '../endpoint-services.schemas';

const PERMISSION_FILTERS = ['principal', 'principal-type'] as const;

const route = defineRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  roles: ['provider', 'ops'],
  tags: [SERVICES_TAG],
  summary: 'Describe the allowed principals (DescribeVpcEndpointServicePermissions)',
  description: 'Filters: filter.principal, filter.principal-type (All, Account, User, Role).',
  params: { serviceId: serviceIdParam },
  query: z.object({
    maxResults: z.string().optional(),
    nextToken: z.string().optional(),
    'filter.principal': z.string().optional(),
    'filter.principal-type': z.string().optional(),
  }),
  responses: { 200: jsonResponse('a page of allowed principals', permissionsView), 404: serviceNotFoundResponse },
});

/** DescribeVpcEndpointServicePermissions: the service's allowed principals, filtered, in permission id order. */
@Controller()
export class DescribePermissionsRoute {
  constructor(
    private readonly services: EndpointServiceQueries,
    private readonly tokens: PageTokens,
  ) {}

  @Route(route)
  async permissions(@Input() { params, query }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const { serviceId } = params;
    const service = await this.services.visibleService(serviceId, ctx.caller);
    const filters = parseFilters(query, PERMISSION_FILTERS);
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = JSON.stringify(['permissions', serviceId, [...filters]]);
    const after = this.tokens.decode(nextTokenOf(query), fingerprint);
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
}
