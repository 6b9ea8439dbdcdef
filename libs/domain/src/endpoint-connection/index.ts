// The EndpointConnection aggregate: a consumer's VPC endpoint (interface or Gateway Load Balancer) and
// its connection to an endpoint service. One stream per vpcEndpointId, owned by connection-broker.
// Rules quote the guide (the AWS PrivateLink guide): "Interface VPC endpoints",
// "Interface endpoint properties and limitations", "Interface endpoint lifecycle", "Modify an interface
// endpoint", "Gateway Load Balancer endpoints", "Use VPC endpoint policies", "Security groups",
// "Accept and reject endpoint connection requests", "Delete a VPC endpoint", and the DNS names of
// "Access a service through an interface endpoint".
//
// State machine (DESIGN.md section 4):
//   pending → pendingAcceptance (acceptance required) | available (accepted automatically) | failed (a rule denied it)
//   pendingAcceptance → available (accept) | rejected (reject)
//   available → rejected (the provider may reject after acceptance)
//   pending | pendingAcceptance | available | rejected | failed → deleting → deleted (the consumer only)
//
// Besides the state, the aggregate tracks the two side effects of the acceptance workflow, so the process
// manager that drives it is durable (its progress is in the stream, never in memory):
//   quota:      none → requested → granted | refused; granted → released (reject, delete, failure)
//   attachment: none → requested → attached | none (refused); attached → detachRequested → detached
// "Attached" means the service's own stream (the linearization point for permission removal and service
// deletion) counts the connection as live. The ids, the DNS suffix and `now` come in with the commands.
//
// One file per concern: state.ts, commands.ts, events.ts, request.ts (the rules of a request), rules.ts
// (existence, ownership, state), checks.ts (the workflow's checks), decide.ts, modify.ts, deadlines.ts,
// emit.ts (events and their side effects), evolve.ts, dns.ts and read.ts.
import { Decider } from '../decider';
import { EndpointConnectionCommand } from './commands';
import { decideEndpointConnection } from './decide';
import { EndpointConnectionEvent } from './events';
import { evolveEndpointConnection } from './evolve';
import { EndpointConnectionState, initialEndpointConnectionState } from './state';

export * from './state';
export * from './commands';
export * from './events';
export { connectionServiceFactsOf, validateEndpointRequest, validatePolicyDocument } from './request';
export { validateEndpointChanges } from './modify';
export * from './checks';
export { dnsEntriesFor } from './dns';
export { decideEndpointConnection } from './decide';
export { evolveEndpointConnection } from './evolve';
export { pendingStepOf } from './read';

export const endpointConnectionDecider: Decider<EndpointConnectionCommand, EndpointConnectionEvent, EndpointConnectionState | null> = {
  decide: decideEndpointConnection,
  evolve: evolveEndpointConnection,
  initialState: initialEndpointConnectionState,
};
