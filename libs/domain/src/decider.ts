// The decider shape every aggregate of this library follows (see the style example): pure data in and
// out, no framework, no I/O, no clock, no randomness.

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/** Rebuilds a state from its events. */
export function fold<Event, State>(evolve: (state: State, event: Event) => State, initialState: State, events: Iterable<Event>): State {
  let state = initialState;
  for (const event of events) state = evolve(state, event);
  return state;
}
