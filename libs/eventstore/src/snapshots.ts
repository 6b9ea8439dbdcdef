import type { Decider } from '@privatelink/domain';

/** What a load needs of a decider: its fold, and its snapshot policy if it has one. */
export type Aggregate<S, E> = Pick<Decider<unknown, E, S>, 'evolve' | 'initialState' | 'replay' | 'snapshots'>;

/** Which entries of a keyed state a command reads: some keys, or all of them. */
export type EntryKeys = readonly string[] | 'all';

/** A stream's state as loaded, and what the append after it needs to keep the snapshot current. */
export interface Loaded<S, E = unknown> {
  state: S;
  /** The stream's version (0: no such stream). */
  version: number;
  /** The version of the snapshot the load started from; 0 when there was none usable (a full replay). */
  snapshotVersion: number;
  /** How many events were folded onto the snapshot (or from the start) by this load. */
  replayed: number;
  aggregate: Aggregate<S, E>;
  /** For a keyed state: the keys loaded (the state holds only their entries), or 'all'. */
  keys: EntryKeys;
}

/** A snapshot written with an append (see EventStore.append). */
export interface SnapshotWrite {
  schemaVersion: number;
  /** The whole state's JSON, or a keyed state's summary. */
  state: unknown;
  /** Keyed states: entries to store (a value) or drop (null). */
  entries?: Array<[string, unknown | null]>;
  /** Keyed states: the entries given are all there are; any other stored entry of the stream goes. */
  replaceEntries?: boolean;
}

/** What the load statement returns: the usable snapshot (if any), the events after it, the entries asked for. */
export interface SnapshotRow {
  snapshotVersion: number | null;
  state: unknown;
  tail: unknown[];
  entries: Array<[string, unknown]>;
}

/**
 * The state from a load statement's row, or null when the row cannot give it and the stream must be
 * replayed from the start: a keyed snapshot that is not at the head (events were appended without
 * one), whose entries are therefore not all current.
 */
export function stateFromSnapshot<S, E>(aggregate: Aggregate<S, E>, row: SnapshotRow, keys: EntryKeys): Loaded<S, E> | null {
  const policy = aggregate.snapshots;
  const tail = row.tail as E[];
  if (row.snapshotVersion === null || !policy) return foldFromStart(aggregate, tail);
  if (policy.keyed && tail.length > 0) return null;
  const base = policy.keyed ? policy.keyed.join(row.state, row.entries) : policy.fromJson ? policy.fromJson(row.state) : (row.state as S);
  return {
    state: fold(aggregate, base, tail),
    version: row.snapshotVersion + tail.length,
    snapshotVersion: row.snapshotVersion,
    replayed: tail.length,
    aggregate,
    keys,
  };
}

/** A full replay: the stream from its first event (no usable snapshot); the state holds every entry. */
export function foldFromStart<S, E>(aggregate: Aggregate<S, E>, events: E[]): Loaded<S, E> {
  return {
    state: fold(aggregate, aggregate.initialState, events),
    version: events.length,
    snapshotVersion: 0,
    replayed: events.length,
    aggregate,
    keys: 'all',
  };
}

/**
 * The snapshot to write with the append of `events` after `loaded` (the state after them is `next`), or
 * undefined when none is due. A keyed state is written with every append: the entries the events touch
 * (the summary too); after a full replay, every entry, replacing whatever was stored. A whole state is
 * written once `every` events have followed the last snapshot.
 */
export function snapshotToWrite<S, E>(loaded: Loaded<S, E>, next: S, events: E[]): SnapshotWrite | undefined {
  const policy = loaded.aggregate.snapshots;
  if (!policy || events.length === 0 || next === null || next === undefined) return undefined;
  if (policy.keyed) {
    const rebuilt = loaded.snapshotVersion === 0;
    const touched = new Set(events.flatMap((e) => policy.keyed!.keysOf(e)));
    if (loaded.keys !== 'all') {
      // An event about an entry that was not loaded would be folded onto nothing and stored wrong.
      const have = new Set(loaded.keys);
      for (const key of touched) if (!have.has(key)) throw new Error(`an event touches entry '${key}', which the command did not load`);
    }
    const keys = rebuilt ? 'all' : touched;
    const { summary, entries } = policy.keyed.split(next, keys);
    return { schemaVersion: policy.schemaVersion, state: summary, entries, replaceEntries: rebuilt };
  }
  const due = loaded.version + events.length - loaded.snapshotVersion >= (policy.every ?? 1);
  if (!due) return undefined;
  return { schemaVersion: policy.schemaVersion, state: policy.toJson ? policy.toJson(next) : next };
}

function fold<S, E>(aggregate: Aggregate<S, E>, state: S, events: E[]): S {
  if (events.length === 0) return state;
  if (aggregate.replay) return aggregate.replay(state, events);
  let s = state;
  for (const e of events) s = aggregate.evolve(s, e);
  return s;
}
