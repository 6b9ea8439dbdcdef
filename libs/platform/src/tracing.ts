import { Attributes, Context, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  Sampler,
  SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NextFunction, Request, Response } from 'express';
import {
  IncomingMessage,
  MessageHandler,
  MessageTransport,
  SubscriptionOptions,
  traceContextOf,
  traceContextOfMessage,
  TraceContext,
} from '@privatelink/contracts';
import { TracingConfig } from './config';

/**
 * OpenTelemetry traces. One provider per process: the W3C propagator and an AsyncLocalStorage context
 * manager are always installed, so the `traceparent` of an HTTP request reaches every event, command,
 * Kafka header and consumer even when nothing is exported; spans are recorded and exported over OTLP
 * only when the standard OTEL_* variables ask for it (see config.ts: off by default).
 */
const TRACER = 'privatelink';
let provider: TracerProvider | undefined;

export interface TracingHandle {
  readonly exporting: boolean;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function samplerOf(config: TracingConfig, exporting: boolean): Sampler {
  // Nothing exported: record nothing of our own, but keep what a sampled caller asked for.
  if (!exporting) return new ParentBasedSampler({ root: new AlwaysOffSampler() });
  const ratio = new TraceIdRatioBasedSampler(config.samplerArg ?? 1);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * Installs the process's tracer provider (first call wins: the embedded run and tests start several hosts
 * in one process). `spanProcessors` adds processors of the caller's own, e.g. the tests' in-memory exporter;
 * with them, every span is recorded.
 */
export function startTracing(config: TracingConfig, processName: string, spanProcessors: SpanProcessor[] = []): TracingHandle {
  if (!provider) {
    const processors = [...spanProcessors];
    if (config.exporter === 'otlp') processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
    if (config.exporter === 'console') processors.push(new BatchSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    const exporting = processors.length > 0;
    const resource = defaultResource()
      .merge(resourceFromAttributes({ 'service.name': processName, 'service.namespace': 'privatelink' }))
      .merge(detectResources({ detectors: [envDetector] }));
    provider = new TracerProvider({ resource, sampler: samplerOf(config, exporting), spanProcessors: processors });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    activeHandle = {
      exporting,
      flush: () => provider?.forceFlush() ?? Promise.resolve(),
      shutdown: async () => {
        await provider?.shutdown();
        provider = undefined;
        activeHandle = undefined;
        trace.disable();
        propagation.disable();
        context.disable();
      },
    };
  }
  return activeHandle!;
}
let activeHandle: TracingHandle | undefined;

/** The installed tracing (undefined before startTracing). */
export function tracing(): TracingHandle | undefined {
  return activeHandle;
}

function tracer() {
  return trace.getTracer(TRACER);
}

/** Runs `work` in a span that ends with it; an exception marks the span as failed and is rethrown. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** withSpan continuing a stored trace context (a row written by an earlier, traced step). */
export function withSpanAfter<T>(
  trace: TraceContext | undefined,
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return withSpan(name, { ...options, parent: trace?.traceparent ? traceContextOf(trace) : context.active() }, work);
}

/**
 * HTTP server spans: continues the caller's `traceparent` header (or starts a trace), and keeps the span
 * active for the rest of the request, so what the request writes carries it.
 */
export function httpTracing(processName: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method} ${req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.path, 'privatelink.service': processName },
      },
      parent,
    );
    res.on('finish', () => {
      const route = req.route?.path as string | undefined;
      if (route) span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.response.status_code': res.statusCode, ...(route ? { 'http.route': route } : {}) });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** A consumer span around one message: continues the trace its headers (or its metadata) carry. */
export function tracedHandler(
  service: string,
  options: Pick<SubscriptionOptions, 'groupId'>,
  handler: MessageHandler,
  system: string,
): MessageHandler {
  return (message: IncomingMessage) => inConsumerSpan(service, options.groupId, system, message, () => handler(message));
}

/** Runs `work` for one message in a consumer span continuing the trace the message carries. */
export function inConsumerSpan<T>(
  service: string,
  groupId: string,
  system: string,
  message: IncomingMessage,
  work: () => Promise<T>,
): Promise<T> {
  const value = message.value;
  const id = value.kind === 'event' ? value.eventId : value.commandId;
  return withSpan(
    `process ${value.type}`,
    {
      kind: SpanKind.CONSUMER,
      parent: traceContextOfMessage(message),
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.consumer.group.name': groupId,
        'messaging.message.id': id,
        'privatelink.service': service,
        'privatelink.message.kind': value.kind,
        'privatelink.message.type': value.type,
      },
    },
    work,
  );
}

/** The transport as `service` subscribes through it: every handler runs in a consumer span; the rest is the transport's own. */
export function tracedTransport(transport: MessageTransport, service: string): MessageTransport {
  const subscribe = (options: SubscriptionOptions) =>
    transport.subscribe({ ...options, handler: tracedHandler(service, options, options.handler, transport.name) });
  return new Proxy(transport, {
    get(target, property) {
      if (property === 'subscribe') return subscribe;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
