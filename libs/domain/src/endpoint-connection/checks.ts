// The workflow's checks of a new connection, on connection-broker's view of the service.
import { EndpointServiceState, attachmentRefusal } from '../endpoint-service';
import { ConnectionStateReason } from './state';

export interface CheckFailure {
  reason: ConnectionStateReason;
  message: string;
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
