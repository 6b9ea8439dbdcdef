import { Controller } from '@nestjs/common';
import { publicServiceWarning } from '@privatelink/domain';
import { Ctx, PageTokens, RequestContext, parseFilters } from '@privatelink/platform';
import { serviceIdParam } from '../../http/params';
import { keysetPage, listRoute, pageAnswer } from '../../http/list-route';
import { InputOf, Input, Route } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { principalView } from '../endpoint-service.view';
import { SERVICES_TAG, permissionsView, serviceNotFoundResponse } from '../endpoint-services.schemas';

const PERMISSION_FILTERS = ['principal', 'principal-type'] as const;

const route = listRoute({
  path: '/v1/provider/endpoint-services/{serviceId}/permissions',
  roles: ['provider', 'ops'],
  tags: [SERVICES_TAG],
  summary: 'Describe the allowed principals (DescribeVpcEndpointServicePermissions)',
  params: { serviceId: serviceIdParam },
  filters: PERMISSION_FILTERS,
  filterNotes: { 'principal-type': 'All, Account, User, Role' },
  page: permissionsView,
  pageDescription: 'a page of allowed principals',
  responses: { 404: serviceNotFoundResponse },
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
    const page = await keysetPage(
      this.tokens,
      query,
      JSON.stringify(['permissions', serviceId, [...filters]]),
      (after, limit) =>
        service.allowedPrincipals
          .filter((p) => !filters.has('principal') || filters.get('principal')!.includes(p.principal))
          .filter((p) => !filters.has('principal-type') || filters.get('principal-type')!.includes(p.principalType))
          .filter((p) => after === null || p.servicePermissionId > after)
          .sort((a, b) => (a.servicePermissionId < b.servicePermissionId ? -1 : 1))
          .slice(0, limit),
      (p) => p.servicePermissionId,
    );
    return { ...pageAnswer('allowedPrincipals', page, principalView), warning: publicServiceWarning(service) };
  }
}
