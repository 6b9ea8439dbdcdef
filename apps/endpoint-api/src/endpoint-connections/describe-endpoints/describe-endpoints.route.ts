import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { listRequestOf } from '../../projections/queries';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import {
  ENDPOINTS_TAG,
  endpointNotFoundResponse,
  toVpcEndpointView,
  vpcEndpointResponse,
  vpcEndpointView,
} from '../endpoint-connections.schemas';

const ENDPOINT_FILTERS = [
  'vpc-endpoint-id',
  'vpc-endpoint-state',
  'vpc-id',
  'service-name',
  'vpc-endpoint-type',
  'ip-address-type',
  'tag:<key>',
  'tag-key',
] as const;

const list = defineRoute({
  method: 'get',
  path: '/v1/consumer/endpoints',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Describe the caller account’s VPC endpoints (DescribeVpcEndpoints)',
  description:
    'Filters: filter.vpc-endpoint-id, filter.vpc-endpoint-state, filter.vpc-id, filter.service-name, filter.vpc-endpoint-type, filter.ip-address-type, filter.tag:<key>, filter.tag-key.',
  query: z.object({
    maxResults: z.string().optional(),
    nextToken: z.string().optional(),
    'filter.vpc-endpoint-id': z.string().optional(),
    'filter.vpc-endpoint-state': z.string().optional(),
    'filter.vpc-id': z.string().optional(),
    'filter.service-name': z.string().optional(),
    'filter.vpc-endpoint-type': z.string().optional(),
    'filter.ip-address-type': z.string().optional(),
    'filter.tag-key': z.string().optional(),
  }),
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ vpcEndpoints: z.array(vpcEndpointView), nextToken: z.string().optional() }).openapi('VpcEndpointPage'),
    ),
  },
});

const describeOne = defineRoute({
  method: 'get',
  path: '/v1/consumer/endpoints/{vpcEndpointId}',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Describe one of the caller account’s VPC endpoints',
  params: { vpcEndpointId: vpcEndpointIdParam },
  responses: { 200: jsonResponse('the endpoint', vpcEndpointResponse), 404: endpointNotFoundResponse },
});

/** DescribeVpcEndpoints: the consumer sees only its own account's endpoints. */
@Controller()
export class DescribeVpcEndpointsRoute {
  constructor(private readonly connections: EndpointConnectionQueries) {}

  @Route(list)
  async list(@Input() { query }: InputOf<typeof list>, @Ctx() ctx: RequestContext) {
    const page = await this.connections.consumerEndpoints(ctx.caller, listRequestOf(query, ENDPOINT_FILTERS));
    return { vpcEndpoints: page.items.map(toVpcEndpointView), nextToken: page.nextToken };
  }

  @Route(describeOne)
  async get(@Input() { params }: InputOf<typeof describeOne>, @Ctx() ctx: RequestContext) {
    return { vpcEndpoint: toVpcEndpointView(await this.connections.consumerEndpoint(params.vpcEndpointId, ctx.caller)) };
  }
}
