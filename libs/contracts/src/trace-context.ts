import { Context, ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { EventMetadata } from './envelope';
import { IncomingMessage } from './transport';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) as it travels with a message: the fields
 * are kept in every event's and command's metadata (so a trace survives the event store and the outbox)
 * and sent as Kafka headers of the same names. Reading and writing go through the propagator that
 * libs/platform's tracing installs; without it they carry nothing.
 */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** The trace context of the active span, to store in the metadata of what is written now. */
export function activeTraceContext(): TraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const out: TraceContext = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** The metadata with the active span's trace context (kept as it is when no span is active). */
export function withActiveTraceContext<M extends EventMetadata>(metadata: M): M {
  const active = activeTraceContext();
  return active.traceparent ? { ...metadata, ...active } : metadata;
}

/** Kafka headers for a message's metadata. */
export function traceHeadersOf(metadata: Partial<TraceContext> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (metadata?.traceparent) headers.traceparent = metadata.traceparent;
  if (metadata?.tracestate) headers.tracestate = metadata.tracestate;
  return headers;
}

/** The context a consumer continues: the Kafka headers first, else the envelope's metadata. */
export function traceContextOfMessage(message: Pick<IncomingMessage, 'headers' | 'value'>): Context {
  const carrier = message.headers?.traceparent ? message.headers : traceHeadersOf(message.value?.metadata);
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The context of a stored traceparent (e.g. of the event a delivery was scheduled for). */
export function traceContextOf(trace: TraceContext | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, traceHeadersOf(trace));
}
