import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, z } from '@privatelink/platform';
import { EndpointServiceQueries } from '../../endpoint-services/endpoint-service.queries';
import { jsonResponse } from '../../http/openapi-helpers';
import { serviceIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { listRequestOf } from '../../projections/queries';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import { CONNECTIONS_TAG, serviceNotFoundResponse, toConnectionView, vpcEndpointConnectionView } from '../endpoint-connections.schemas';

const CONNECTION_FILTERS = ['vpc-endpoint-state', 'vpc-endpoint-owner', 'vpc-endpoint-id', 'ip-address-type'] as const;

const route = defineRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/connections',
  roles: ['provider', 'ops'],
  tags: [CONNECTIONS_TAG],
  summary: 'Describe the endpoint connections to a service (DescribeVpcEndpointConnections), with the consumers’ request messages',
  description:
    'Filters: filter.vpc-endpoint-state (e.g. pendingAcceptance), filter.vpc-endpoint-owner, filter.vpc-endpoint-id, filter.ip-address-type.',
  params: { serviceId: serviceIdParam },
  query: z.object({
    maxResults: z.string().optional(),
    nextToken: z.string().optional(),
    'filter.vpc-endpoint-state': z.string().optional(),
    'filter.vpc-endpoint-owner': z.string().optional(),
    'filter.vpc-endpoint-id': z.string().optional(),
    'filter.ip-address-type': z.string().optional(),
  }),
  responses: {
    200: jsonResponse(
      'a page',
      z
        .object({ vpcEndpointConnections: z.array(vpcEndpointConnectionView), nextToken: z.string().optional() })
        .openapi('VpcEndpointConnectionPage'),
    ),
    404: serviceNotFoundResponse,
  },
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
    return { vpcEndpointConnections: page.items.map(toConnectionView), nextToken: page.nextToken };
  }
}
