import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { listRoute, pageAnswer, pageSchema } from '../../http/list-route';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { listRequestOf } from '../../projections/queries';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { endpointServiceView, toEndpointServiceView } from '../endpoint-service.view';
import { SERVICES_TAG, serviceNotFoundResponse, serviceResponse } from '../endpoint-services.schemas';

const SERVICE_FILTERS = ['service-id', 'service-name', 'service-state', 'service-type', 'tag:<key>', 'tag-key'] as const;

const list = listRoute({
  path: '/v1/provider/endpoint-services',
  roles: ['provider', 'ops'],
  tags: [SERVICES_TAG],
  summary: "Describe the caller's endpoint service configurations (ops: every account's)",
  filters: SERVICE_FILTERS,
  description: 'Deleted services are gone.',
  page: pageSchema('serviceConfigurations', endpointServiceView).openapi('ServiceConfigurationPage'),
});

const describeOne = defineRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}',
  roles: ['provider', 'ops'],
  tags: [SERVICES_TAG],
  summary: 'Describe one endpoint service configuration',
  params: { serviceId: serviceIdParam },
  responses: { 200: jsonResponse('the service', serviceResponse), 404: serviceNotFoundResponse },
});

/** DescribeVpcEndpointServiceConfigurations: a page of the caller's services, or one of them. */
@Controller()
export class DescribeEndpointServicesRoute {
  constructor(private readonly services: EndpointServiceQueries) {}

  @Route(list)
  async list(@Input() { query }: InputOf<typeof list>, @Ctx() ctx: RequestContext) {
    const page = await this.services.providerServices(ctx.caller, listRequestOf(query, SERVICE_FILTERS));
    return pageAnswer('serviceConfigurations', page, (s) => toEndpointServiceView(s, page.verifications.get(s.serviceId)));
  }

  @Route(describeOne)
  async get(@Input() { params }: InputOf<typeof describeOne>, @Ctx() ctx: RequestContext) {
    return this.services.answer(await this.services.visibleService(params.serviceId, ctx.caller));
  }
}
