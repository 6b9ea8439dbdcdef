// What the network inventory's resources (VPC, subnet, security group) share: one owner account, available
// until deleted and deleted once; subnets and security groups also know the endpoints that use them.
import { assertVpcEndpointId } from './ids';

export interface OwnedResource {
  ownerAccountId: string;
  status: 'available' | 'deleted';
  deletedAt: string | null;
}

export interface UsedByEndpoints {
  usedByEndpointIds: string[];
}

/** The caller's resource when available; null for an unknown, deleted or another account's one (they look alike). */
export function ownAvailable<S extends OwnedResource>(state: S | null, callerAccountId: string): S | null {
  return state !== null && state.status === 'available' && state.ownerAccountId === callerAccountId ? state : null;
}

/** The caller has deleted it already: deleting twice is a no-op. */
export function deletedAlready(state: OwnedResource | null, callerAccountId: string): boolean {
  return state?.status === 'deleted' && state.ownerAccountId === callerAccountId;
}

/** The endpoint a markUsedByEndpoint command adds, or null when it uses the resource already (no event). */
export function endpointToAttach(resource: UsedByEndpoints, vpcEndpointId: unknown): string | null {
  const id = assertVpcEndpointId(vpcEndpointId);
  return resource.usedByEndpointIds.includes(id) ? null : id;
}

/** Whether a markReleasedByEndpoint command removes the endpoint: releasing twice is a no-op. */
export function isUsedBy<S extends UsedByEndpoints>(state: S | null, vpcEndpointId: string): state is S {
  return state !== null && state.usedByEndpointIds.includes(vpcEndpointId);
}

// ── evolve ───────────────────────────────────────────────────────────────────────────────────────

/** What a created resource's state starts with besides its facts: available, never deleted. */
export function available(createdAt: string): Pick<OwnedResource, 'status' | 'deletedAt'> & { createdAt: string } {
  return { status: 'available', createdAt, deletedAt: null };
}

export function markDeleted<S extends OwnedResource>(state: S | null, deletedAt: string): S | null {
  return state && { ...state, status: 'deleted', deletedAt };
}

export function withEndpoint<S extends UsedByEndpoints>(state: S | null, vpcEndpointId: string): S | null {
  return state && { ...state, usedByEndpointIds: [...state.usedByEndpointIds, vpcEndpointId] };
}

export function withoutEndpoint<S extends UsedByEndpoints>(state: S | null, vpcEndpointId: string): S | null {
  return state && { ...state, usedByEndpointIds: state.usedByEndpointIds.filter((id) => id !== vpcEndpointId) };
}
