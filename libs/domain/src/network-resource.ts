// What the network inventory's resources (VPC, subnet, security group) share: one owner account, available
// until deleted and deleted once; subnets and security groups also know the endpoints that use them.
// The rules they share take the resource's kind (its NotFound, its events); each decider keeps its own.
import { Decider } from './decider';
import { DomainError, invalid } from './errors';
import { assertVpcEndpointId } from './ids';
import { Tag, TagCommand, copyTags, retag, withTags } from './tags';

export interface OwnedResource {
  ownerAccountId: string;
  status: 'available' | 'deleted';
  deletedAt: string | null;
}

/** The facts every inventory resource's creation records besides its own (a VPC's `vpcId` is its own id). */
export interface InventoryCreation {
  vpcId: string;
  ownerAccountId: string;
  tags: Tag[];
  createdAt: string;
}

export interface UsedByEndpoints {
  usedByEndpointIds: string[];
}

/** The state of a resource endpoints use (subnets, security groups) besides its creation's facts. */
export interface EndpointUsedState extends OwnedResource, UsedByEndpoints {}

/** The caller's resource when available; null for an unknown, deleted or another account's one (they look alike). */
function ownAvailable<S extends OwnedResource>(state: S | null, callerAccountId: string): S | null {
  return state !== null && state.status === 'available' && state.ownerAccountId === callerAccountId ? state : null;
}

/** The caller has deleted it already: deleting twice is a no-op. */
function deletedAlready(state: OwnedResource | null, callerAccountId: string): boolean {
  return state?.status === 'deleted' && state.ownerAccountId === callerAccountId;
}

/** The endpoint a markUsedByEndpoint command adds, or null when it uses the resource already (no event). */
function endpointToAttach(resource: UsedByEndpoints, vpcEndpointId: unknown): string | null {
  const id = assertVpcEndpointId(vpcEndpointId);
  return resource.usedByEndpointIds.includes(id) ? null : id;
}

/** Whether a markReleasedByEndpoint command removes the endpoint: releasing twice is a no-op. */
function isUsedBy<S extends UsedByEndpoints>(state: S | null, vpcEndpointId: string): state is S {
  return state !== null && state.usedByEndpointIds.includes(vpcEndpointId);
}

// ── the rules they share ─────────────────────────────────────────────────────────────────────────

/** What every inventory resource's state holds besides its own facts. */
export type InventoryState = OwnedResource & { vpcId: string; tags: Tag[] };

/** The field naming a resource of the kind, in its state and in its events. */
export type Named<Id extends string> = { [K in Id]: string };

/**
 * The events the shared rules record, named after the kind (`vpcDeleted`, `subnetTagsChanged`...): each
 * names the resource by its kind's id field, and a deleted event also names the VPC it was in.
 */
export type InventoryEvent<P extends string, Id extends string> =
  ({ type: `${P}Deleted`; vpcId: string; deletedAt: string } & Named<Id>) | ({ type: `${P}TagsChanged`; tags: Tag[] } & Named<Id>);

/** A kind whose resources endpoints use (subnets, security groups) also records their use. */
export type EndpointUseEvent<P extends string, Id extends string> =
  | InventoryEvent<P, Id>
  | ({ type: `${P}AttachedToEndpoint`; vpcEndpointId: string } & Named<Id>)
  | ({ type: `${P}DetachedFromEndpoint`; vpcEndpointId: string } & Named<Id>);

/** The commands the owner of any inventory resource sends it: `D` deletes it; the tag commands. */
export type OwnerCommand<D extends string> = { type: D; callerAccountId: string; now: string } | (TagCommand & { callerAccountId: string });

/**
 * What one kind of inventory resource brings to the rules all of them share: the field naming a resource,
 * the name its events start with (`subnet`: `subnetDeleted`...), and its NotFound.
 */
export interface InventoryKind<S extends InventoryState> {
  idField: keyof S & string;
  eventPrefix: string;
  /** What its messages call it (`subnet`, `security group`). */
  noun: string;
  /** Unknown, deleted and another account's resources alike (they must not leak across accounts). */
  notFound(id: string): DomainError;
}

function idOf<S extends InventoryState>(kind: Pick<InventoryKind<S>, 'idField'>, resource: S): string {
  return String(resource[kind.idField]);
}

/** The kind's event `change` (`Deleted`...) about `resource`: its type, the resource's id, then its facts. */
function eventOf<S extends InventoryState, E extends { type: string }>(
  kind: InventoryKind<S>,
  change: 'Deleted' | 'TagsChanged' | 'AttachedToEndpoint' | 'DetachedFromEndpoint',
  resource: S,
  facts: Record<string, unknown>,
): E {
  return { type: `${kind.eventPrefix}${change}`, [kind.idField]: idOf(kind, resource), ...facts } as unknown as E;
}

/** The kind's deleted event (a security group deleted with its VPC records it too). */
export function deletedEvent<S extends InventoryState, E extends { type: string }>(
  kind: InventoryKind<S>,
  resource: S,
  deletedAt: string,
): E {
  return eventOf(kind, 'Deleted', resource, { vpcId: resource.vpcId, deletedAt });
}

/** The caller's resource, available; any other is the kind's NotFound. */
function requireOwn<S extends InventoryState>(kind: InventoryKind<S>, state: S | null, callerAccountId: string, id?: string): S {
  const own = ownAvailable(state, callerAccountId);
  if (!own) throw kind.notFound(id ?? (state ? idOf(kind, state) : ''));
  return own;
}

/** requireOwn for one kind (`id`: the one the caller named, for its NotFound). */
export function requireOwnOf<S extends InventoryState>(
  kind: InventoryKind<S>,
): (state: S | null, callerAccountId: string, id?: string) => S {
  return (state, callerAccountId, id) => requireOwn(kind, state, callerAccountId, id);
}

/**
 * A resource named in an endpoint request (`field`): the caller's own, available (else the kind's NotFound,
 * naming the field), and in the endpoint's VPC when one is given (else InvalidParameterValue, EC2's answer).
 */
export function ownForEndpointRequest<S extends InventoryState>(
  kind: InventoryKind<S>,
  state: S | null,
  id: string,
  field: string,
  callerAccountId: string,
  vpcId?: string,
): S {
  const own = ownAvailable(state, callerAccountId);
  if (!own) {
    const notFound = kind.notFound(id);
    throw new DomainError(notFound.code, `${field}: ${notFound.message}`, field);
  }
  if (vpcId !== undefined && own.vpcId !== vpcId) {
    throw invalid(field, `${field}: the ${kind.noun} ${id} is in VPC ${own.vpcId}, not in the endpoint's VPC ${vpcId}`);
  }
  return own;
}

/** The commands of a kind endpoints use: `D` deletes a resource, the tag commands, the endpoints'. */
export type EndpointUsedCommand<D extends string> = OwnerCommand<D> | EndpointUseCommand;

/**
 * The commands every kind decides alike: its delete command (a no-op when the caller deleted it already;
 * else once `mayDelete` lets it go), the tag commands and, for the kinds endpoints use, their use.
 */
export function decideInventory<S extends InventoryState, E extends { type: string }>(
  kind: InventoryKind<S>,
  state: S | null,
  command: OwnerCommand<string> | EndpointUseCommand,
  mayDelete: (resource: S) => void,
): E[] {
  if ('vpcEndpointId' in command)
    return decideEndpointUse(kind as InventoryKind<S & UsedByEndpoints>, state as (S & UsedByEndpoints) | null, command);
  if ('callerAccountId' in command && 'now' in command) return decideDelete(kind, state, command, mayDelete);
  return decideRetag(kind, state, command);
}

/** Deleting: a no-op when the caller deleted it already; else the caller's, once `mayDelete` lets it go. */
function decideDelete<S extends InventoryState, E extends { type: string }>(
  kind: InventoryKind<S>,
  state: S | null,
  command: { callerAccountId: string; now: string },
  mayDelete: (resource: S) => void,
): E[] {
  if (deletedAlready(state, command.callerAccountId)) return [];
  const resource = requireOwn(kind, state, command.callerAccountId);
  mayDelete(resource);
  return [deletedEvent(kind, resource, command.now)];
}

/** createTags / deleteTags on the caller's resource; no event when the tags stay as they are. */
function decideRetag<S extends InventoryState, E extends { type: string }>(
  kind: InventoryKind<S>,
  state: S | null,
  command: TagCommand & { callerAccountId: string },
): E[] {
  const resource = requireOwn(kind, state, command.callerAccountId);
  const tags = retag(resource.tags, command);
  return tags ? [eventOf(kind, 'TagsChanged', resource, { tags })] : [];
}

/** The commands an endpoint sends the resources it uses (any account's: the endpoint's handler checked it). */
export type EndpointUseCommand = { type: 'markUsedByEndpoint' | 'markReleasedByEndpoint'; vpcEndpointId: string };

/**
 * markUsedByEndpoint: the resource must be available; no event when the endpoint uses it already.
 * markReleasedByEndpoint: no event when the endpoint does not use it (releasing twice is a no-op).
 */
function decideEndpointUse<S extends InventoryState & UsedByEndpoints, E extends { type: string }>(
  kind: InventoryKind<S>,
  state: S | null,
  command: EndpointUseCommand,
): E[] {
  if (command.type === 'markReleasedByEndpoint') {
    return isUsedBy(state, command.vpcEndpointId)
      ? [eventOf(kind, 'DetachedFromEndpoint', state, { vpcEndpointId: command.vpcEndpointId })]
      : [];
  }
  if (!state || state.status !== 'available') throw kind.notFound(state ? idOf(kind, state) : '');
  const vpcEndpointId = endpointToAttach(state, command.vpcEndpointId);
  return vpcEndpointId === null ? [] : [eventOf(kind, 'AttachedToEndpoint', state, { vpcEndpointId })];
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

/** A created resource's state: the created event's facts (its tags copied), available, never deleted. */
export function createdState<C extends { type: string; tags: Tag[]; createdAt: string }>(
  created: C,
): Omit<C, 'type'> & Pick<OwnedResource, 'status' | 'deletedAt'> {
  const { type: _type, ...facts } = created;
  return { ...facts, tags: copyTags(created.tags), status: 'available', deletedAt: null };
}

/** The state with `item` added to its list `key`. */
export function withItem<S, K extends keyof S>(state: S | null, key: K, item: S[K] extends Array<infer T> ? T : never): S | null {
  return state && { ...state, [key]: [...(state[key] as unknown[]), item] };
}

/** The state without the items of its list `key` that `goes` picks. */
export function withoutItems<S, K extends keyof S>(
  state: S | null,
  key: K,
  goes: (item: S[K] extends Array<infer T> ? T : never) => boolean,
): S | null {
  return state && { ...state, [key]: (state[key] as Array<S[K] extends Array<infer T> ? T : never>).filter((item) => !goes(item)) };
}

/** The facts the shared rules' events carry (each event carries its own of them). */
interface SharedEventFacts {
  type: string;
  deletedAt: string;
  vpcEndpointId: string;
  tags: Tag[];
}

/** evolve of the events the shared rules record; any other event leaves the state as it is. */
export function evolveInventory<S extends InventoryState>(kind: InventoryKind<S>, state: S | null, event: { type: string }): S | null {
  const used = state as (S & UsedByEndpoints) | null;
  const facts = event as unknown as SharedEventFacts;
  switch (event.type.slice(kind.eventPrefix.length)) {
    case 'Deleted':
      return state && { ...state, status: 'deleted', deletedAt: facts.deletedAt };
    case 'TagsChanged':
      return withTags(state, facts.tags);
    case 'AttachedToEndpoint':
      return used && { ...used, usedByEndpointIds: [...used.usedByEndpointIds, facts.vpcEndpointId] };
    case 'DetachedFromEndpoint':
      return used && { ...used, usedByEndpointIds: used.usedByEndpointIds.filter((id) => id !== facts.vpcEndpointId) };
    default:
      return state;
  }
}

/** An inventory decider: no state before the resource's creation, and a snapshot every 32 events. */
export function inventoryDecider<C, E, S>(
  decide: (command: C, state: S | null) => E[],
  evolve: (state: S | null, event: E) => S | null,
): Decider<C, E, S | null> {
  return { decide, evolve, initialState: null, snapshots: { schemaVersion: 1, every: 32 } };
}
