import { EndpointConnectionState, VpcEndpointState, anyPrincipalMatches } from '@privatelink/domain';

/** The states a revocation rejects: the connections a reject can end (a provider never deletes an endpoint). */
export const REVOCABLE_STATES: VpcEndpointState[] = ['pendingAcceptance', 'available'];

/**
 * Which connections a removal of allowed principals with `rejectExistingConnections` rejects: those in
 * pendingAcceptance or available whose requester any of the named principals covers (`*` every requester, an
 * account root every principal of its account, a user or role ARN itself), whether the principal was still
 * allowed or already removed, so that a retried revocation finishes what a first one left. A connection a
 * remaining principal also allows is rejected too: the provider named its requester; it may ask again.
 */
export function connectionsRevokedBy(connections: EndpointConnectionState[], principals: string[]): EndpointConnectionState[] {
  return connections.filter((c) => REVOCABLE_STATES.includes(c.vpcEndpointState) && anyPrincipalMatches(principals, c.requesterPrincipal));
}
