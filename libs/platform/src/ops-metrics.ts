import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What one service's outbox looks like right now (read when Prometheus scrapes). */
export interface OutboxStatus {
  /** Events and commands committed but not yet published. */
  backlog: number;
  /** How long the oldest of them has waited: the relay is this many seconds behind the newest commit (0 when caught up). */
  lagSeconds: number;
}

/** One consumer group's distance from the end of one partition. */
export interface ConsumerLagRow {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

type Source<T> = () => Promise<T>;

/** How old the consumer lag a scrape shows may be (it is measured in the background). */
const LAG_REFRESH_MS = 5_000;

/**
 * The metrics an operator watches (docs/operations.md): the outbox, Kafka consumer lag, the connection
 * workflow's durations, the age of the oldest request waiting for the provider, DNS checks, SNS publishes
 * and quota refusals. The gauges are read at scrape time from sources the services register (one process
 * may host several services: the embedded run), so a scrape always shows the state of now.
 */
export class OpsMetrics {
  private readonly outboxSources = new Map<string, Source<OutboxStatus>>();
  private readonly lagSources = new Map<string, Source<ConsumerLagRow[]>>();
  private readonly pendingSources = new Map<string, Source<number | null>>();
  private nearLimitSource?: Source<number>;
  private readonly lagCache = new Map<string, { rows: ConsumerLagRow[]; at: number; refreshing: boolean }>();
  private verificationSource?: Source<Record<string, number>>;

  readonly outboxBacklog: Gauge<'service'>;
  readonly outboxRelayLag: Gauge<'service'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly workflowDuration: Histogram<'outcome'>;
  readonly pendingAcceptanceOldestAge: Gauge<'service'>;
  readonly dnsQueryDuration: Histogram<'outcome'>;
  readonly snsPublishes: Counter<'outcome'>;
  readonly snsPublishDuration: Histogram<'outcome'>;
  readonly quotaRefusals: Counter<'quota_code'>;
  readonly quotaScopesNearLimit: Gauge;
  readonly privateDnsVerifications: Gauge<'state'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const outboxSources = this.outboxSources;
    const lagSources = this.lagSources;
    const pendingSources = this.pendingSources;
    const self = this;
    // Each service's status is read once per scrape and feeds both outbox gauges.
    let outboxRead: Promise<Array<[string, OutboxStatus | undefined]>> | undefined;
    const readOutboxes = () => {
      outboxRead ??= Promise.all(
        [...outboxSources].map(
          async ([service, read]) => [service, await read().catch(() => undefined)] as [string, OutboxStatus | undefined],
        ),
      ).finally(() => setTimeout(() => (outboxRead = undefined), 250).unref());
      return outboxRead;
    };
    const outboxGauge = (name: string, help: string, measure: (status: OutboxStatus) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['service'],
        registers,
        async collect() {
          this.reset();
          for (const [service, status] of await readOutboxes()) if (status) this.set({ service }, measure(status));
        },
      });
    this.outboxBacklog = outboxGauge(
      'privatelink_outbox_backlog',
      'Events and commands committed to the service’s store and not yet published to the transport',
      (status) => status.backlog,
    );
    this.outboxRelayLag = outboxGauge(
      'privatelink_outbox_relay_lag_seconds',
      'How long the oldest unpublished event has waited in the outbox (0 when the relay is caught up)',
      (status) => status.lagSeconds,
    );
    this.consumerLag = new Gauge({
      name: 'privatelink_kafka_consumer_lag',
      help: 'Messages between a consumer group’s committed offset and the end of the partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        // Asking the brokers takes round trips per group and topic: a scrape gets the last answer at once
        // and starts a fresh one in the background when that answer is older than LAG_REFRESH_MS.
        this.reset();
        for (const [name, read] of lagSources) {
          const cached = self.lagCache.get(name) ?? { rows: [], at: 0, refreshing: false };
          self.lagCache.set(name, cached);
          if (!cached.refreshing && Date.now() - cached.at >= LAG_REFRESH_MS) {
            cached.refreshing = true;
            read()
              .then(
                (rows) => (cached.rows = rows),
                () => undefined,
              )
              .finally(() => {
                cached.at = Date.now();
                cached.refreshing = false;
              });
          }
          for (const r of cached.rows) this.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.lag);
        }
      },
    });
    /** A latency by outcome. */
    const outcomeHistogram = (name: string, help: string, buckets: number[]) =>
      new Histogram({ name, help, labelNames: ['outcome'], buckets, registers });
    this.workflowDuration = outcomeHistogram(
      'privatelink_connection_workflow_duration_seconds',
      'From a connection request to its outcome: available (auto-accepted), pendingAcceptance (waiting for the provider) or failed',
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    );
    this.pendingAcceptanceOldestAge = new Gauge({
      name: 'privatelink_pending_acceptance_oldest_age_seconds',
      help: 'Age of the oldest connection request waiting for the provider’s acceptance (0 when none waits)',
      labelNames: ['service'],
      registers,
      async collect() {
        this.reset();
        for (const [service, read] of pendingSources) {
          const age = await read().catch(() => undefined);
          if (age !== undefined) this.set({ service }, age ?? 0);
        }
      },
    });
    this.dnsQueryDuration = outcomeHistogram(
      'privatelink_dns_query_duration_seconds',
      'One DNS question to one server, by outcome (answer, timeout, unreachable, malformed)',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
    this.snsPublishes = new Counter({
      name: 'privatelink_sns_publishes_total',
      help: 'SNS Publish calls by outcome: published, retryable (throttling, 5xx, network) or permanent (the topic refuses)',
      labelNames: ['outcome'],
      registers,
    });
    this.snsPublishDuration = outcomeHistogram(
      'privatelink_sns_publish_duration_seconds',
      'SNS Publish latency by outcome',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.quotaScopesNearLimit = new Gauge({
      name: 'privatelink_quota_scopes_near_limit',
      help: 'Quota scopes whose usage is at or above 80 % of the limit that applies to them',
      registers,
      async collect() {
        this.reset();
        const read = self.nearLimitSource;
        if (read) this.set(await read().catch(() => 0));
      },
    });
    this.privateDnsVerifications = new Gauge({
      name: 'privatelink_private_dns_verifications',
      help: 'Private DNS names by verification state (pendingVerification, verified, failed)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const read = self.verificationSource;
        if (!read) return;
        const counts = await read().catch(() => ({}) as Record<string, number>);
        // Every state is reported, 0 included, so an alert on one of them always has a series to look at.
        for (const state of ['pendingVerification', 'verified', 'failed']) this.set({ state }, counts[state] ?? 0);
      },
    });
    this.quotaRefusals = new Counter({
      name: 'privatelink_quota_refusals_total',
      help: 'Requests refused because a quota was full, by quota code',
      labelNames: ['quota_code'],
      registers,
    });
  }

  /** The publish series exist from the start (at 0): a dashboard or alert on them reads 0, not nothing, before the first publish. */
  initializeSnsSeries(): void {
    for (const outcome of ['published', 'retryable', 'permanent']) {
      this.snsPublishes.inc({ outcome }, 0);
      this.snsPublishDuration.zero({ outcome });
    }
  }

  /** The workflow's outcome series exist from the start (at 0). */
  initializeWorkflowSeries(): void {
    for (const outcome of ['available', 'pendingAcceptance', 'failed']) this.workflowDuration.zero({ outcome });
  }

  /** A service's outbox, read at scrape time (every replica reports; take max by service). */
  watchOutbox(service: string, read: Source<OutboxStatus>): void {
    this.outboxSources.set(service, read);
  }

  /** The consumer groups of one transport (Kafka; the in-process transport has no lag to report). */
  watchConsumerLag(name: string, read: Source<ConsumerLagRow[]>): void {
    this.lagSources.set(name, read);
  }

  /** The oldest pendingAcceptance request's age in seconds (null: none waits), as a service's read model knows it. */
  watchPendingAcceptance(service: string, read: Source<number | null>): void {
    this.pendingSources.set(service, read);
  }

  /** How many quota scopes are at or above 80 % (endpoint-api's read model of quota-guard's ledgers). */
  watchQuotaScopesNearLimit(read: Source<number>): void {
    this.nearLimitSource = read;
  }

  /** Private DNS names by verification state (endpoint-api's read model of dns-verifier's verifications). */
  watchPrivateDnsVerifications(read: Source<Record<string, number>>): void {
    this.verificationSource = read;
  }

  /** The last outbox status of each watched service (the console's overview in the same process). */
  async outboxes(): Promise<Record<string, OutboxStatus | null>> {
    const entries = await Promise.all(
      [...this.outboxSources].map(async ([service, read]) => [service, await read().catch(() => null)] as const),
    );
    return Object.fromEntries(entries);
  }

  /** Counts a refusal if the error is a full quota (a DomainError `LimitExceeded` naming its quota code). */
  countQuotaRefusal(error: unknown): void {
    const e = error as { code?: unknown; details?: { quotaCode?: unknown } } | null;
    if (e && e.code === 'LimitExceeded' && typeof e.details?.quotaCode === 'string')
      this.quotaRefusals.inc({ quota_code: e.details.quotaCode });
  }
}
