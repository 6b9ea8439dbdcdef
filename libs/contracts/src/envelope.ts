/**
 * The one event envelope (DESIGN.md section 3). Every event in the store, on Kafka and in the
 * in-process transport travels in this shape; `position` is the global position in the writer's store.
 */
export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  /** The principal ARN on whose behalf the event was written (or `service:<name>` for reactions). */
  principal: string;
  occurredAt: string;
  /** W3C trace context of the span that wrote it (see trace-context.ts); absent when none was active. */
  traceparent?: string;
  tracestate?: string;
}

export interface EventEnvelope<P = Record<string, unknown>> {
  kind: 'event';
  eventId: string;
  streamId: string;
  streamVersion: number;
  /** Global position in the writing service's event store; a decimal string because it is a bigint. */
  position: string;
  type: string;
  schemaVersion: number;
  payload: P;
  metadata: EventMetadata;
}

/** A command forwarded to the service that owns a stream (one writer per stream). */
export interface CommandEnvelope<P = Record<string, unknown>> {
  kind: 'command';
  commandId: string;
  /** The aggregate the command targets; also the Kafka key, so commands for one aggregate stay ordered. */
  targetId: string;
  type: string;
  schemaVersion: number;
  payload: P;
  metadata: EventMetadata;
}

/** What a writer hands the event store: the domain event plus who/why. Position and version are assigned on append. */
export interface NewEvent<P = Record<string, unknown>> {
  type: string;
  payload: P;
  schemaVersion?: number;
}

export function isEventEnvelope(m: unknown): m is EventEnvelope {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'event';
}

/** The owner's answer to a forwarded command: what it decided, or the rule it refused with. */
export interface CommandOutcome<R = Record<string, unknown>> {
  kind: 'outcome';
  type: 'commandOutcome';
  commandId: string;
  targetId: string;
  ok: boolean;
  result?: R;
  error?: { code: string; message: string; field?: string; details?: Record<string, unknown> };
  metadata: EventMetadata;
}

export type MessageEnvelope = EventEnvelope | CommandEnvelope | CommandOutcome;

/**
 * The domain event an event envelope carries, typed: the event store writes the decider's event object,
 * `type` included, as the payload, so an envelope of a stream family holds that family's event type. The
 * one place that states it (callers name the family's event type).
 */
export function payloadOf<E extends { type: string }>(event: { payload: Record<string, unknown> }): E {
  return event.payload as E;
}
