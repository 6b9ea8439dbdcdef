import { WIRE_EDGE } from '@privatelink/platform';
import { Ec2ConnectionActions } from './connections.wire';
import { Ec2EndpointServiceActions } from './endpoint-services.wire';
import { EndpointApiWireEdge } from './wire.edge';
import { Ec2NetworkActions } from './network.wire';
import { Elbv2Actions } from './load-balancers.wire';
import { WireResolver } from './wire-action';

/** The EC2 Query and ELBv2 wire APIs: the edge the host mounts on `POST /` (WIRE_EDGE) and the actions it runs. */
export const wireApi = {
  providers: [
    WireResolver,
    Ec2NetworkActions,
    Elbv2Actions,
    Ec2EndpointServiceActions,
    Ec2ConnectionActions,
    EndpointApiWireEdge,
    { provide: WIRE_EDGE, useExisting: EndpointApiWireEdge },
  ],
};
