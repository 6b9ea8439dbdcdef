// What the network inventory's resources (VPC, subnet, security group) share: one owner account, available
// until deleted and deleted once; subnets and security groups also know the endpoints that use them.
// The rules they share take the resource's kind (its NotFound, its events); each decider keeps its own.
import { Decider } from './decider';
import { DomainError } from './errors';
import { assertVpcEndpointId } from './ids';
import { Tag, TagCommand, retag } from './tags';

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

// ── the rules they share ─────────────────────────────────────────────────────────────────────────

/**
 * What one kind of inventory resource brings to the rules all of them share: its id (what its NotFound
 * names) and the events it records them with (each kind keeps its own event names).
 */
export interface InventoryKind<S extends OwnedResource & { tags: Tag[] }, E> {
  idOf(resource: S): string;
  /** Unknown, deleted and another account's resources alike (they must not leak across accounts). */
  notFound(id: string): DomainError;
  deleted(resource: S, deletedAt: string): E;
  tagsChanged(resource: S, tags: Tag[]): E;
}

/** A kind whose resources endpoints use (subnets, security groups). */
export interface EndpointUsedKind<S extends OwnedResource & UsedByEndpoints & { tags: Tag[] }, E> extends InventoryKind<S, E> {
  attached(resource: S, vpcEndpointId: string): E;
  detached(resource: S, vpcEndpointId: string): E;
}

/** The caller's resource, available; any other is the kind's NotFound. */
export function requireOwn<S extends OwnedResource & { tags: Tag[] }>(
  kind: InventoryKind<S, unknown>,
  state: S | null,
  callerAccountId: string,
  id?: string,
): S {
  const own = ownAvailable(state, callerAccountId);
  if (!own) throw kind.notFound(id ?? (state ? kind.idOf(state) : ''));
  return own;
}

/** Deleting: a no-op when the caller deleted it already; else the caller's, once `mayDelete` lets it go. */
export function decideDelete<S extends OwnedResource & { tags: Tag[] }, E>(
  kind: InventoryKind<S, E>,
  state: S | null,
  command: { callerAccountId: string; now: string },
  mayDelete: (resource: S) => void,
): E[] {
  if (deletedAlready(state, command.callerAccountId)) return [];
  const resource = requireOwn(kind, state, command.callerAccountId);
  mayDelete(resource);
  return [kind.deleted(resource, command.now)];
}

/** createTags / deleteTags on the caller's resource; no event when the tags stay as they are. */
export function decideRetag<S extends OwnedResource & { tags: Tag[] }, E>(
  kind: InventoryKind<S, E>,
  state: S | null,
  command: TagCommand & { callerAccountId: string },
): E[] {
  const resource = requireOwn(kind, state, command.callerAccountId);
  const tags = retag(resource.tags, command);
  return tags ? [kind.tagsChanged(resource, tags)] : [];
}

/** The commands an endpoint sends the resources it uses (any account's: the endpoint's handler checked it). */
export type EndpointUseCommand = { type: 'markUsedByEndpoint' | 'markReleasedByEndpoint'; vpcEndpointId: string };

/**
 * markUsedByEndpoint: the resource must be available; no event when the endpoint uses it already.
 * markReleasedByEndpoint: no event when the endpoint does not use it (releasing twice is a no-op).
 */
export function decideEndpointUse<S extends OwnedResource & UsedByEndpoints & { tags: Tag[] }, E>(
  kind: EndpointUsedKind<S, E>,
  state: S | null,
  command: EndpointUseCommand,
): E[] {
  if (command.type === 'markReleasedByEndpoint') {
    return isUsedBy(state, command.vpcEndpointId) ? [kind.detached(state, command.vpcEndpointId)] : [];
  }
  if (!state || state.status !== 'available') throw kind.notFound(state ? kind.idOf(state) : '');
  const vpcEndpointId = endpointToAttach(state, command.vpcEndpointId);
  return vpcEndpointId === null ? [] : [kind.attached(state, vpcEndpointId)];
}

/** A resource endpoints use cannot be deleted (DependencyViolation naming them); `what` says which it is. */
export function noEndpointMayUse(resource: UsedByEndpoints, what: string, field: string): void {
  if (resource.usedByEndpointIds.length > 0) {
    throw new DomainError('DependencyViolation', `${what}: endpoint(s) ${resource.usedByEndpointIds.join(', ')} use it`, field, {
      vpcEndpointIds: [...resource.usedByEndpointIds],
    });
  }
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

/** An inventory decider: no state before the resource's creation, and a snapshot every 32 events. */
export function inventoryDecider<C, E, S>(
  decide: (command: C, state: S | null) => E[],
  evolve: (state: S | null, event: E) => S | null,
): Decider<C, E, S | null> {
  return { decide, evolve, initialState: null, snapshots: { schemaVersion: 1, every: 32 } };
}
