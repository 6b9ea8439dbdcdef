// The decider shape every aggregate of this library follows (see the style example): pure data in and
// out, no framework, no I/O, no clock, no randomness.

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
  /**
   * Folds a run of events (a replay): the same result as reducing with `evolve`, but free to copy the
   * state once and change its own copy in place, so a long stream costs one pass, not a copy per event.
   */
  replay?(state: State, events: Iterable<Event>): State;
  /** How the state may be cached beside its stream (a snapshot); absent: always rebuilt from the events. */
  snapshots?: StateSnapshots<State, Event>;
}

/**
 * A snapshot policy: the state's schema version and how the state goes to JSON and back. Snapshots are a
 * cache of the fold, never the truth: one stored under another schema version is ignored and the state
 * rebuilt from the events, and the system behaves the same without any.
 */
export interface StateSnapshots<State, Event> {
  /** Bump it whenever the state's shape or `evolve` changes. */
  schemaVersion: number;
  /** Whole-state snapshots: write a new one once this many events follow the last (default 1: with every append). */
  every?: number;
  /** JSON form of the state (for Maps, Sets...); default: the state as it is. */
  toJson?(state: State): unknown;
  fromJson?(json: unknown): State;
  /**
   * For a state holding an unbounded map (a ledger's holders): stored as a summary plus one entry per key,
   * and loaded with only the keys a command reads, so a command's cost does not grow with the map.
   */
  keyed?: KeyedSnapshots<State, Event>;
}

export interface KeyedSnapshots<State, Event> {
  /** The keys whose entries an event reads or changes. */
  keysOf(event: Event): string[];
  /** The state's summary, and the entries of `keys` (every entry with 'all'); null: no entry for that key. */
  split(state: State, keys: Iterable<string> | 'all'): { summary: unknown; entries: Array<[string, unknown | null]> };
  /** The state made of a summary and the entries loaded (those of the keys asked for). */
  join(summary: unknown, entries: Array<[string, unknown]>): State;
}

/** Rebuilds a state from its events. */
export function fold<Event, State>(evolve: (state: State, event: Event) => State, initialState: State, events: Iterable<Event>): State {
  let state = initialState;
  for (const event of events) state = evolve(state, event);
  return state;
}

/** A decider's fold of `events` onto `state`: its `replay` when it has one, else `evolve` event by event. */
export function replayWith<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'replay'>,
  state: State,
  events: Iterable<Event>,
): State {
  return decider.replay ? decider.replay(state, events) : fold(decider.evolve, state, events);
}
