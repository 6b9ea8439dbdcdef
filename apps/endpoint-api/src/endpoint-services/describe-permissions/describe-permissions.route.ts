import { publicServiceWarning } from '@privatelink/domain';
import { parseFilters } from '@privatelink/platform';
import { pageAnswer } from '../../http/list-route';
import { handlerRoute } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { principalView } from '../endpoint-service.view';
import { permissionsView, serviceList } from '../endpoint-services.schemas';

const PERMISSION_FILTERS = ['principal', 'principal-type'] as const;

const route = serviceList({
  path: '/permissions',
  summary: 'Describe the allowed principals (DescribeVpcEndpointServicePermissions)',
  filters: PERMISSION_FILTERS,
  filterNotes: { 'principal-type': 'All, Account, User, Role' },
  page: permissionsView,
  pageDescription: 'a page of allowed principals',
});

/** DescribeVpcEndpointServicePermissions: the service's allowed principals, filtered, in permission id order. */
export const DescribePermissionsRoute = handlerRoute(EndpointServiceQueries, route, async (services, { params, query }, ctx) => {
  const service = await services.visibleService(params.serviceId, ctx.caller);
  const page = await services.permissions(service, parseFilters(query, PERMISSION_FILTERS), query);
  return { ...pageAnswer('allowedPrincipals', page, principalView), warning: publicServiceWarning(service) };
});
