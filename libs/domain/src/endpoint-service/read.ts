// Read helpers for handlers, projections and the consumer side: answers computed from the state.
import { AvailabilityZone } from '../availability-zones';
import { ALL_PRINCIPALS, anyPrincipalMatches } from '../principal';
import { EndpointServiceEvent } from './events';
import { EndpointServiceState, PUBLIC_SERVICE_WARNING } from './state';

/** The guide's warning case: `*` allowed and connection requests accepted automatically. */
export function isPublicService(state: EndpointServiceState | null): boolean {
  return (
    !!state &&
    state.serviceState !== 'Deleted' &&
    !state.acceptanceRequired &&
    state.allowedPrincipals.some((p) => p.principal === ALL_PRINCIPALS)
  );
}

/** The warning to put in an API answer, or undefined when the service is not public. */
export function publicServiceWarning(state: EndpointServiceState | null): string | undefined {
  return isPublicService(state) ? PUBLIC_SERVICE_WARNING : undefined;
}

/**
 * The outcome of addAllowedPrincipals, read from the events it decided: the principals newly allowed (in
 * the event) and those already present (requested, but not in it: the decider emits nothing for them).
 */
export function principalAdditionOutcome(
  principals: string[],
  events: EndpointServiceEvent[],
): { added: string[]; alreadyPresent: string[] } {
  const [added, alreadyPresent] = splitByEvent(principals, events, 'endpointServicePrincipalsAllowed');
  return { added, alreadyPresent };
}

/** The outcome of removeAllowedPrincipals, read from the events it decided: removed vs already absent. */
export function principalRemovalOutcome(
  principals: string[],
  events: EndpointServiceEvent[],
): { removed: string[]; alreadyAbsent: string[] } {
  const [removed, alreadyAbsent] = splitByEvent(principals, events, 'endpointServicePrincipalsRemoved');
  return { removed, alreadyAbsent };
}

/** The requested principals (once each, in order) that the events of `type` name, and the others. */
function splitByEvent(
  principals: string[],
  events: EndpointServiceEvent[],
  type: 'endpointServicePrincipalsAllowed' | 'endpointServicePrincipalsRemoved',
): [string[], string[]] {
  const named = new Set(events.flatMap((e) => (e.type === type ? e.allowedPrincipals.map((p) => p.principal) : [])));
  const unique = [...new Set(principals)];
  return [unique.filter((p) => named.has(p)), unique.filter((p) => !named.has(p))];
}

/** Whether `callerArn` may connect: the service is Available and an allowed principal matches the caller. */
export function mayConnect(state: EndpointServiceState | null, callerArn: string): boolean {
  return !!state && state.serviceState === 'Available' && anyPrincipalMatches(state.allowedPrincipals, callerArn);
}

/** The zone ids both sides share, in the service's order: what a consumer in another account sees. */
export function sharedAvailabilityZoneIds(state: EndpointServiceState, consumerZoneIds: string[]): string[] {
  const theirs = new Set(consumerZoneIds);
  return state.availabilityZoneIds.filter((id) => theirs.has(id));
}

/** The service's zones as {zoneName, zoneId} pairs, sorted by zone name. */
export function zonesOf(state: EndpointServiceState): AvailabilityZone[] {
  const byName = new Map<string, string>();
  for (const lb of state.loadBalancers) for (const z of lb.availabilityZones) byName.set(z.zoneName, z.zoneId);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([zoneName, zoneId]) => ({ zoneName, zoneId }));
}

/** All load balancer ARNs of the service (the ones to mark used / release in the registry). */
export function loadBalancerArnsOf(state: EndpointServiceState): string[] {
  return [...state.networkLoadBalancerArns, ...state.gatewayLoadBalancerArns];
}
