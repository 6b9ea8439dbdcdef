// The workflow's checks of a new connection, on connection-broker's view of the service.
import { EndpointServiceState } from '../endpoint-service';
import { anyPrincipalMatches } from '../principal';
import { ConnectionStateReason } from './state';

export interface CheckFailure {
  reason: ConnectionStateReason;
  message: string;
}

/**
 * The rules a new connection must pass on the service's state, in order: the service is Available, the
 * requester is on its allowlist ("only principals on the allowlist (or *) may request": the account root
 * allows its users and roles, a user or role only itself), and they share an Availability Zone. Used by
 * connection-broker on its own view and, authoritatively, by endpoint-api on the service's stream.
 */
export function attachmentRefusal(
  service: EndpointServiceState | null,
  requesterPrincipal: string,
  availabilityZoneIds: string[],
): CheckFailure | null {
  if (!service || service.serviceState !== 'Available') {
    const state = service ? service.serviceState : 'unknown';
    return {
      reason: 'ServiceUnavailable',
      message: `the endpoint service is ${state}; connections can be made only to an Available service`,
    };
  }
  if (!anyPrincipalMatches(service.allowedPrincipals, requesterPrincipal)) {
    return {
      reason: 'PrincipalNotAllowed',
      message: `${requesterPrincipal} is not allowed to connect to endpoint service ${service.serviceId}`,
    };
  }
  if (!availabilityZoneIds.some((id) => service.availabilityZoneIds.includes(id))) {
    return {
      reason: 'NoCommonAvailabilityZone',
      message: `endpoint service ${service.serviceId} is no longer available in any of the endpoint's zones (${availabilityZoneIds.join(', ')})`,
    };
  }
  return null;
}

/** The checks of a new request: attachmentRefusal, then the private DNS name (if the service has one) must be verified. */
export function requestCheckFailure(
  service: EndpointServiceState | null,
  requesterPrincipal: string,
  availabilityZoneIds: string[],
  privateDnsVerified: boolean,
): CheckFailure | null {
  const refusal = attachmentRefusal(service, requesterPrincipal, availabilityZoneIds);
  if (refusal) return refusal;
  return privateDnsFailure(service, privateDnsVerified);
}

// "While not verified, existing connections stay but new connection requests are denied." (DESIGN.md 4)
export function privateDnsFailure(service: EndpointServiceState | null, privateDnsVerified: boolean): CheckFailure | null {
  if (service?.privateDnsName && !privateDnsVerified) {
    return {
      reason: 'PrivateDnsNotVerified',
      message: `the private DNS name ${service.privateDnsName} of endpoint service ${service.serviceId} is not verified; new connections are denied until it is`,
    };
  }
  return null;
}

/** Whether the service accepts this requester's connection without the provider: acceptance not required, or the requester on autoAcceptPrincipals. */
export function acceptsAutomatically(
  service: Pick<EndpointServiceState, 'acceptanceRequired' | 'autoAcceptPrincipals'>,
  requesterPrincipal: string,
): boolean {
  return !service.acceptanceRequired || anyPrincipalMatches(service.autoAcceptPrincipals ?? [], requesterPrincipal);
}
