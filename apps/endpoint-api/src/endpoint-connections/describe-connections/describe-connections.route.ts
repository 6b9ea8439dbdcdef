import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { EndpointServiceQueries } from '../../endpoint-services/endpoint-service.queries';
import { pageAnswer, pageSchema } from '../../http/list-route';
import { InputOf, Input, Route } from '../../http/route';
import { listRequestOf } from '../../projections/queries';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import { serviceList } from '../../endpoint-services/endpoint-services.schemas';
import { CONNECTIONS_TAG, toConnectionView, vpcEndpointConnectionView } from '../endpoint-connections.schemas';

const CONNECTION_FILTERS = ['vpc-endpoint-state', 'vpc-endpoint-owner', 'vpc-endpoint-id', 'ip-address-type'] as const;

const route = serviceList({
  path: '/connections',
  tags: [CONNECTIONS_TAG],
  summary: 'Describe the endpoint connections to a service (DescribeVpcEndpointConnections), with the consumers’ request messages',
  filters: CONNECTION_FILTERS,
  filterNotes: { 'vpc-endpoint-state': 'e.g. pendingAcceptance' },
  page: pageSchema('vpcEndpointConnections', vpcEndpointConnectionView).openapi('VpcEndpointConnectionPage'),
});

/** DescribeVpcEndpointConnections: a provider sees its own services' connections; ops any service's. */
@Controller()
export class DescribeConnectionsRoute {
  constructor(
    private readonly services: EndpointServiceQueries,
    private readonly connections: EndpointConnectionQueries,
  ) {}

  @Route(route)
  async list(@Input() { params, query }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    await this.services.visibleService(params.serviceId, ctx.caller);
    const page = await this.connections.serviceConnections(params.serviceId, listRequestOf(query, CONNECTION_FILTERS));
    return pageAnswer('vpcEndpointConnections', page, toConnectionView);
  }
}
