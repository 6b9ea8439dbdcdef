// Imported in the order of the API document (each route registers its entry as its file loads).
import { ConnectionBroker } from './broker';
import { EndpointConnectionQueries } from './endpoint-connection.queries';
import { DecideConnectionsHandler } from './decide-connections.handler';
import { CreateVpcEndpointHandler } from './create-endpoint/create-endpoint.handler';
import { CreateVpcEndpointRoute } from './create-endpoint/create-endpoint.route';
import { DescribeVpcEndpointsRoute } from './describe-endpoints/describe-endpoints.route';
import { ModifyVpcEndpointHandler } from './modify-endpoint/modify-endpoint.handler';
import { ModifyVpcEndpointRoute } from './modify-endpoint/modify-endpoint.route';
import { DeleteVpcEndpointsHandler } from './delete-endpoints/delete-endpoints.handler';
import { DeleteVpcEndpointsRoute } from './delete-endpoints/delete-endpoints.route';
import { DescribeConnectionsRoute } from './describe-connections/describe-connections.route';
import { DecideConnectionsRoute } from './decide-connections.route';
import { ConnectionsSummaryRoute } from './summary/connections-summary.route';

/** The endpoint connections' use cases (the consumer's endpoints, the provider's decisions, ops' summary). */
export const endpointConnections = {
  routes: [
    CreateVpcEndpointRoute,
    DescribeVpcEndpointsRoute,
    ModifyVpcEndpointRoute,
    DeleteVpcEndpointsRoute,
    DescribeConnectionsRoute,
    DecideConnectionsRoute,
    ConnectionsSummaryRoute,
  ],
  providers: [
    ConnectionBroker,
    EndpointConnectionQueries,
    DecideConnectionsHandler,
    CreateVpcEndpointHandler,
    ModifyVpcEndpointHandler,
    DeleteVpcEndpointsHandler,
  ],
};
