import { EventEnvelope, StreamFamily, parseStreamId, payloadOf } from '@privatelink/contracts';

/**
 * A read model kept as one JSON document per row (`id`, `doc`), with filter columns generated from the
 * document by the owning service's migration. The projection itself is pure: which row an event touches
 * and how the row changes, so the live runner and the rebuild share exactly the same logic.
 */
export interface DocumentProjection<Doc> {
  /** Also the checkpoint name. */
  name: string;
  /** The stream families (Kafka topics) it reads. */
  families: StreamFamily[];
  /** The physical table: `id text primary key, doc jsonb not null`, plus generated columns. */
  table: string;
  /** The row an event touches, or null when the projection ignores the event. */
  rowIdOf(event: EventEnvelope): string | null;
  /** The next document; undefined removes the row. */
  evolve(doc: Doc | undefined, event: EventEnvelope): Doc | undefined;
}

/**
 * A read model of one aggregate a row: the row is the stream's aggregate id, `evolve` the next document of
 * each event of the stream family.
 */
export function aggregateProjection<Doc>(spec: {
  name: string;
  family: StreamFamily;
  table: string;
  evolve(doc: Doc | undefined, event: EventEnvelope): Doc | undefined;
}): DocumentProjection<Doc> {
  return {
    name: spec.name,
    families: [spec.family],
    table: spec.table,
    rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
    evolve: spec.evolve,
  };
}

/**
 * A read model of one aggregate a row: the decider's own state, folded from its stream family's events
 * (the row is the stream's aggregate id; a state of null or undefined, or one `kept` refuses, removes the row).
 */
export function aggregateStateProjection<D, E extends { type: string }>(spec: {
  name: string;
  family: StreamFamily;
  table: string;
  decider: { initialState: D; evolve(state: D, event: E): D };
  kept?: (state: NonNullable<D>) => boolean;
}): DocumentProjection<NonNullable<D>> {
  const { decider, kept = () => true } = spec;
  return aggregateProjection({
    ...spec,
    evolve: (doc, event) => {
      const next = decider.evolve(doc ?? decider.initialState, payloadOf<E>(event));
      return next !== null && next !== undefined && kept(next) ? next : undefined;
    },
  });
}
