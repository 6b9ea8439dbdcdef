import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { listRoute, pageAnswer, pageSchema } from '../../http/list-route';
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

const list = listRoute({
  path: '/v1/consumer/endpoints',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Describe the caller account’s VPC endpoints (DescribeVpcEndpoints)',
  filters: ENDPOINT_FILTERS,
  page: pageSchema('vpcEndpoints', vpcEndpointView).openapi('VpcEndpointPage'),
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
    return pageAnswer('vpcEndpoints', page, toVpcEndpointView);
  }

  @Route(describeOne)
  async get(@Input() { params }: InputOf<typeof describeOne>, @Ctx() ctx: RequestContext) {
    return { vpcEndpoint: toVpcEndpointView(await this.connections.consumerEndpoint(params.vpcEndpointId, ctx.caller)) };
  }
}
