import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OpsMetrics } from './ops-metrics';

/** Prometheus metrics of the process (one registry, shared by every service module it hosts). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Histogram({
    name: 'privatelink_http_request_duration_seconds',
    help: 'HTTP request latency by route and status (route "unmatched": refused before routing, e.g. bad JSON or 413)',
    labelNames: ['method', 'route', 'status'],
    // Up to 10 s: the longest waits (read-your-writes, quota and DNS answers) must land in a bucket of their own.
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpRefused = new Counter({
    name: 'privatelink_http_requests_refused_total',
    help: 'HTTP requests answered before reaching a route handler (no such route, method not allowed, not JSON, malformed or oversized body, bad Content-Encoding)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'privatelink_events_appended_total',
    help: 'Events appended to the event store',
    labelNames: ['service', 'type'],
    registers: [this.registry],
  });
  readonly appendConflicts = new Counter({
    name: 'privatelink_append_conflicts_total',
    help: 'Appends refused by optimistic concurrency (retried or answered 409)',
    labelNames: ['service'],
    registers: [this.registry],
  });
  readonly eventsFoldedPerLoad = new Histogram({
    name: 'privatelink_stream_load_events_folded',
    help: 'Events a command folded to load its stream: after its snapshot, or from the start (no usable snapshot)',
    labelNames: ['service', 'family', 'from'],
    buckets: [0, 1, 4, 16, 32, 64, 256, 1024, 4096, 16384],
    registers: [this.registry],
  });
  readonly outboxPublished = new Counter({
    name: 'privatelink_outbox_published_total',
    help: 'Outbox messages published to the transport',
    labelNames: ['service'],
    registers: [this.registry],
  });
  readonly projectionApplied = new Counter({
    name: 'privatelink_projection_events_applied_total',
    help: 'Events applied to read models',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionLag = new Histogram({
    name: 'privatelink_projection_lag_seconds',
    help: 'Time from an event being written to its projection being visible',
    labelNames: ['projection'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'privatelink_dead_letters_total',
    help: 'Messages dead-lettered after failing deterministically on every try, by the topic they came from',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly workflowStepsRetried = new Counter({
    name: 'privatelink_workflow_steps_retried_total',
    help: 'Workflow steps sent again by the reconciler after their deadline passed',
    labelNames: ['step'],
    registers: [this.registry],
  });
  readonly workflowStepsAbandoned = new Counter({
    name: 'privatelink_workflow_steps_abandoned_total',
    help: 'Workflow steps given up after their last try (the request failed with InternalFailure, or the deletion went on)',
    labelNames: ['step'],
    registers: [this.registry],
  });
  readonly quotaCorrections = new Counter({
    name: 'privatelink_quota_corrections_total',
    help: 'Connection holds quota-guard corrected when recounting against the connections it knows (lost releases and confirmations)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly consumerPaused = new Gauge({
    name: 'privatelink_consumer_paused',
    help: '1 while a consumer group waits for an unavailable dependency (retrying with backoff, dead-lettering nothing)',
    labelNames: ['group', 'dependency'],
    registers: [this.registry],
  });
  readonly consumerRetries = new Counter({
    name: 'privatelink_consumer_retries_total',
    help: 'Failed message-handling tries that were retried, by consumer group and kind of failure (unavailable, contention, deterministic)',
    labelNames: ['group', 'kind'],
    registers: [this.registry],
  });
  readonly dependencyOutages = new Counter({
    name: 'privatelink_dependency_outages_total',
    help: 'Outages of a dependency seen by the HTTP edge (answered 503 ServiceUnavailable while they lasted)',
    labelNames: ['dependency'],
    registers: [this.registry],
  });
  readonly unavailableResponses = new Counter({
    name: 'privatelink_unavailable_responses_total',
    help: 'Requests answered 503 ServiceUnavailable because a dependency was unavailable',
    labelNames: ['dependency'],
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'privatelink_ready',
    help: '1 when every readiness check of the process passes',
    registers: [this.registry],
  });
  /** The operator's metrics: outbox, consumer lag, workflow, DNS, SNS, quotas (ops-metrics.ts). */
  readonly ops = new OpsMetrics(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
