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
    help: 'Messages sent to a dead-letter topic after failing every attempt',
    labelNames: ['topic'],
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
