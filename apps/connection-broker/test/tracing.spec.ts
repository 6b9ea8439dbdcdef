// One connection request is one trace: endpoint-api's HTTP span continues the caller's traceparent, the
// command it forwards and every event written on its behalf carry the trace context (in the metadata and
// as Kafka headers), and connection-broker's and quota-guard's consumers continue it, so the spans of the
// three services share the trace id and hang together as one tree under the caller's span.
import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { IncomingMessage, Subscription, eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { startTracing, TracingHandle } from '@privatelink/platform';
import { demoKeys, eventually } from '@privatelink/testing';
import { CONSUMER_ROOT, World, interfaceRequest, providerService, startWorld, waitForEndpoint } from './support';

const exporter = new InMemorySpanExporter();
let tracing: TracingHandle;
let world: World;
let probe: Subscription;
const headersSeen: IncomingMessage[] = [];

beforeAll(async () => {
  // Installed before the hosts start, so it is the process's provider (the hosts' own call keeps it).
  tracing = startTracing({ exporter: 'none', sampler: 'parentbased_always_on' }, 'tracing-test', [new SimpleSpanProcessor({ exporter })]);
  world = await startWorld('tracing');
  // Reads the connection topic as any other Kafka consumer would, to see the headers on the wire.
  probe = await world.api.host.transport.subscribe({
    groupId: `tracing-probe-${randomBytes(3).toString('hex')}`,
    topics: [eventTopicFor(streamFamilies.endpointConnection)],
    handler: async (m) => {
      headersSeen.push(m);
    },
  });
}, 120_000);

afterAll(async () => {
  await probe?.close();
  await world?.close();
  await tracing?.shutdown();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const serviceOf = (s: ReadableSpan) => s.attributes['privatelink.service'];

test('a connection request is one trace across endpoint-api, connection-broker and quota-guard: shared trace id, one tree under the caller', async () => {
  const service = await providerService(world, { principals: [CONSUMER_ROOT], acceptanceRequired: false });
  const traceId = hex(16);
  const callerSpanId = hex(8);
  const res = await world.api
    .as(demoKeys.consumer)
    .post('/v1/consumer/endpoints', interfaceRequest(service))
    .set('x-consistency-token', service.token)
    .set('traceparent', `00-${traceId}-${callerSpanId}-01`)
    .expect(201);
  const vpcEndpointId = res.body.vpcEndpoint.vpcEndpointId as string;
  await waitForEndpoint(world, vpcEndpointId, 'available');

  let spans: ReadableSpan[] = [];
  await eventually(async () => {
    await tracing.flush();
    spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const services = new Set(spans.map(serviceOf));
    expect([...services]).toEqual(expect.arrayContaining(['connection-broker', 'quota-guard', 'endpoint-api']));
    // Every span's parent is in the trace, except the HTTP span's, which is the caller's.
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const orphans = spans.filter((s) => !ids.has(parentOf(s) ?? '') && parentOf(s) !== callerSpanId);
    expect(orphans.map((s) => s.name)).toEqual([]);
  }, 30_000);

  // The root: endpoint-api's server span for the request, child of the caller's span.
  const roots = spans.filter((s) => parentOf(s) === callerSpanId);
  expect(roots.map((s) => [s.name, s.kind])).toEqual([['POST /v1/consumer/endpoints', SpanKind.SERVER]]);
  const root = roots[0];

  // One tree: walking up from any span reaches the root.
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  for (const span of spans) {
    let at: ReadableSpan | undefined = span;
    for (let hops = 0; at && at !== root && hops < spans.length; hops++) at = byId.get(parentOf(at) ?? '');
    expect(at).toBe(root);
  }

  // connection-broker handled the forwarded command in a Kafka consumer span directly under the request.
  const brokerSpans = spans.filter((s) => serviceOf(s) === 'connection-broker');
  expect(brokerSpans.some((s) => parentOf(s) === root.spanContext().spanId && s.attributes['messaging.system'] === 'kafka')).toBe(true);
  // quota-guard's reservation is a descendant of a connection-broker span.
  const quotaSpans = spans.filter((s) => serviceOf(s) === 'quota-guard');
  expect(quotaSpans.some((s) => brokerSpans.some((b) => b.spanContext().spanId === parentOf(s)))).toBe(true);

  // Every event of the connection's stream keeps the trace in its metadata...
  const events = await world.connectionEvents(vpcEndpointId);
  expect(events.length).toBeGreaterThan(1);
  for (const e of events) expect(e.metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  // ...and travelled with it as a Kafka header.
  await eventually(async () => {
    const mine = headersSeen.filter((m) => m.key === vpcEndpointId);
    expect(new Set(mine.map((m) => (m.value.kind === 'event' ? m.value.eventId : '')))).toEqual(new Set(events.map((e) => e.eventId)));
    for (const m of mine) expect(m.headers.traceparent).toBe((m.value.metadata as { traceparent?: string }).traceparent);
  }, 20_000);
}, 120_000);
