// Test support for the specs beside the code (no jest dependency, not exported from the index).
import { Decider, fold } from './decider';
import { DomainError } from './errors';

/** Runs `fn` and returns the DomainError it threw; fails when it threw nothing or something else. */
export function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** The given/when/then of a decider's specs: given events, when a command, then the events it decides (or its DomainError). */
export interface DeciderSpec<Command, Event, State> {
  /** Given these events (from the initial state): `when(command)` answers the events the command decides. */
  given(...events: Event[]): { state: State; when(command: Command): Event[] };
  /** The events and the state after a sequence of commands from the initial state, each decided on the state the previous ones left. */
  run(...commands: Command[]): { state: State; events: Event[] };
  /** The same from `state`. */
  runFrom(state: State, ...commands: Command[]): { state: State; events: Event[] };
  /** The events of a sequence of commands (see run). */
  history(...commands: Command[]): Event[];
  /** The state `events` leave, from the initial state or from `state`. */
  stateOf(events: Event[], state?: State): State;
  /** The state after `command` is decided on `state` and its events folded in. */
  after(state: State, command: Command): State;
}

export function deciderSpec<Command, Event, State>(
  decider: Pick<Decider<Command, Event, State>, 'decide' | 'evolve' | 'initialState'>,
): DeciderSpec<Command, Event, State> {
  const stateOf = (events: Event[], state = decider.initialState): State => fold(decider.evolve, state, events);
  const runFrom = (from: State, ...commands: Command[]) => {
    let state = from;
    const events: Event[] = [];
    for (const command of commands) {
      const decided = decider.decide(command, state);
      events.push(...decided);
      state = stateOf(decided, state);
    }
    return { state, events };
  };
  const run = (...commands: Command[]) => runFrom(decider.initialState, ...commands);
  return {
    given(...events) {
      const state = stateOf(events);
      return { state, when: (command) => decider.decide(command, state) };
    },
    run,
    runFrom,
    history: (...commands) => run(...commands).events,
    stateOf,
    after: (state, command) => stateOf(decider.decide(command, state), state),
  };
}
