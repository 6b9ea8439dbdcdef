// The EndpointService aggregate: an endpoint service configuration, its allowed principals and tags.
// One stream per service id. Rules quote the guide (the AWS PrivateLink guide), sections
// "VPC endpoint services", "Create a VPC endpoint service configuration ...", "Add and remove
// permissions for your endpoint service", "Change the endpoint service configuration", "Add or remove
// VPC endpoint service tags", "Delete an endpoint service configuration" and "Private DNS names".
//
// Lifecycle: Pending → Available (markAvailable) → Deleting (deleteEndpointService) → Deleted
// (completeDeletion); Failed (markFailed) when a load balancer vanishes. Connections are owned by the
// connection broker; this aggregate only keeps the ids of the live ones (pending, pendingAcceptance,
// available) that the broker records, because delete, load balancer removal and private DNS name
// removal depend on them.
//
// One file per concern: state.ts (the state and its types), commands.ts, events.ts, rules.ts (the
// guide's rules), decide.ts and modify.ts (decide), evolve.ts, read.ts (answers read from the state).
import { Decider } from '../decider';
import { EndpointServiceCommand } from './commands';
import { decideEndpointService } from './decide';
import { EndpointServiceEvent } from './events';
import { evolveEndpointService } from './evolve';
import { EndpointServiceState, initialEndpointServiceState } from './state';

export * from './state';
export * from './commands';
export * from './events';
export {
  AttachmentRefusal,
  acceptsAutomatically,
  attachmentRefusal,
  privateDnsNameToVerify,
  validateClientToken,
  zonesOfLoadBalancers,
} from './rules';
export { decideEndpointService } from './decide';
export { evolveEndpointService } from './evolve';
export * from './read';

export const endpointServiceDecider: Decider<EndpointServiceCommand, EndpointServiceEvent, EndpointServiceState | null> = {
  decide: decideEndpointService,
  evolve: evolveEndpointService,
  initialState: initialEndpointServiceState,
  // Its stream grows without bound (events per connection and permission change); its state is what is live
  // (connections, principals), not its history: a snapshot every 32 events.
  snapshots: { schemaVersion: 1, every: 32 },
};
