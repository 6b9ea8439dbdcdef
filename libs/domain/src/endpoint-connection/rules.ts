// Existence, ownership and state: who may act on an endpoint, and in which states.
import { DomainError } from '../errors';
import { EndpointConnectionState } from './state';

export function notFound(vpcEndpointId: string | undefined): DomainError {
  return new DomainError(
    'InvalidVpcEndpointId.NotFound',
    `the VPC endpoint ${vpcEndpointId ?? '(unknown)'} does not exist`,
    'vpcEndpointId',
  );
}

/** The consumer's side: another account's endpoint answers exactly like an unknown one; a deleted one is gone. */
export function requireOwnedBy(state: EndpointConnectionState | null, ownerAccountId: string): EndpointConnectionState {
  if (!state || state.vpcEndpointOwner !== ownerAccountId || state.vpcEndpointState === 'deleted') throw notFound(state?.vpcEndpointId);
  return state;
}

/** The provider's side: only connections to this service of this provider exist for it. */
export function requireConnectionToService(
  state: EndpointConnectionState | null,
  serviceId: string,
  providerAccountId: string,
): EndpointConnectionState {
  if (!state || state.serviceId !== serviceId || state.serviceOwner !== providerAccountId || state.vpcEndpointState === 'deleted') {
    throw notFound(state?.vpcEndpointId);
  }
  return state;
}

export function incorrectState(state: EndpointConnectionState, action: string, allowed: string): DomainError {
  return new DomainError(
    'IncorrectState',
    `VPC endpoint ${state.vpcEndpointId} is ${state.vpcEndpointState}; it can be ${action} only when ${allowed}`,
    'vpcEndpointId',
    { vpcEndpointState: state.vpcEndpointState },
  );
}
