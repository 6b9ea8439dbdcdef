import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { collectionReads } from '../../http/list-route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { endpointServiceView, toEndpointServiceView } from '../endpoint-service.view';
import { SERVICES_TAG, serviceNotFoundResponse, serviceResponse } from '../endpoint-services.schemas';

/** DescribeVpcEndpointServiceConfigurations: a page of the caller's services, or one of them. */
export const DescribeEndpointServicesRoute = collectionReads(EndpointServiceQueries, {
  path: '/v1/provider/endpoint-services',
  roles: ['provider', 'ops'],
  tags: [SERVICES_TAG],
  summary: "Describe the caller's endpoint service configurations (ops: every account's)",
  filters: ['service-id', 'service-name', 'service-state', 'service-type', 'tag:<key>', 'tag-key'],
  description: 'Deleted services are gone.',
  key: 'serviceConfigurations',
  item: endpointServiceView,
  pageName: 'ServiceConfigurationPage',
  page: (services, caller, request) => services.providerServices(caller, request),
  view: (s, page) => toEndpointServiceView(s, page.verifications.get(s.serviceId)),
  one: {
    param: 'serviceId',
    schema: serviceIdParam,
    summary: 'Describe one endpoint service configuration',
    response: jsonResponse('the service', serviceResponse),
    notFound: serviceNotFoundResponse,
    read: async (services, serviceId, caller) => services.answer(await services.visibleService(serviceId, caller)),
  },
});
