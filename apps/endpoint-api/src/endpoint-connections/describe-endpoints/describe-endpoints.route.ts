import { jsonResponse } from '../../http/openapi-helpers';
import { vpcEndpointIdParam } from '../../http/params';
import { collectionReads } from '../../http/list-route';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import {
  ENDPOINTS_TAG,
  endpointNotFoundResponse,
  toVpcEndpointView,
  vpcEndpointResponse,
  vpcEndpointView,
} from '../endpoint-connections.schemas';

/** DescribeVpcEndpoints: the consumer sees only its own account's endpoints. */
export const DescribeVpcEndpointsRoute = collectionReads(EndpointConnectionQueries, {
  path: '/v1/consumer/endpoints',
  roles: ['consumer'],
  tags: [ENDPOINTS_TAG],
  summary: 'Describe the caller account’s VPC endpoints (DescribeVpcEndpoints)',
  filters: [
    'vpc-endpoint-id',
    'vpc-endpoint-state',
    'vpc-id',
    'service-name',
    'vpc-endpoint-type',
    'ip-address-type',
    'tag:<key>',
    'tag-key',
  ],
  key: 'vpcEndpoints',
  item: vpcEndpointView,
  pageName: 'VpcEndpointPage',
  page: (connections, caller, request) => connections.consumerEndpoints(caller, request),
  view: toVpcEndpointView,
  one: {
    param: 'vpcEndpointId',
    schema: vpcEndpointIdParam,
    summary: 'Describe one of the caller account’s VPC endpoints',
    response: jsonResponse('the endpoint', vpcEndpointResponse),
    notFound: endpointNotFoundResponse,
    read: async (connections, id, caller) => ({ vpcEndpoint: toVpcEndpointView(await connections.consumerEndpoint(id, caller)) }),
  },
});
