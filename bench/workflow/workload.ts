import { SnsInfo, TopicWithQueue, pgQuery } from '@privatelink/testing';
import { Answer, ApiClient, retryable, sleep } from './http';

/**
 * The connection workflow under load, through the public API only (DESIGN.md section 9): a provider's
 * services with its consumer allowed and SNS notifications on; consumers requesting endpoints over many
 * VPCs; the provider accepting or rejecting the requests of the service that needs acceptance; consumers
 * deleting some; each workflow followed until it reaches its end state (available, rejected, failed or
 * deleted). Every call that fails for a reason worth retrying (5xx, network, 409 ConcurrentModification)
 * is retried; creates carry a clientToken, so a retried create is the same request.
 */
export const KEYS = { provider: 'demo-provider-key-0001', consumer: 'demo-consumer-key-0001' } as const;
export const CONSUMER_ACCOUNT = '444455556666';
const CONSUMER_ROOT = `arn:aws:iam::${CONSUMER_ACCOUNT}:root`;
const ZONES = [
  { zoneName: 'us-east-1a', zoneId: 'use1-az1' },
  { zoneName: 'us-east-1b', zoneId: 'use1-az2' },
];
const SUBNETS = [
  { subnetId: 'subnet-01000001', availabilityZoneId: 'use1-az1' },
  { subnetId: 'subnet-02000001', availabilityZoneId: 'use1-az2' },
];
export const END_STATES = ['available', 'rejected', 'failed', 'deleted'] as const;

export interface ServiceUnderLoad {
  /** `auto`: acceptanceRequired false (the throughput target's workflow); `manual`: the provider decides. */
  kind: 'auto' | 'manual';
  serviceId: string;
  serviceName: string;
  /** The permissions write's consistency token: requests are validated against the allowlist as it left it. */
  token: string;
  notificationId?: string;
  topic?: TopicWithQueue;
}

type Say = (msg: string) => void;

/**
 * Retries `call` while its answer is worth retrying, until `ok` or the deadline (read at every try: a drain may
 * bring it forward); null when time ran out.
 */
async function persist(
  call: () => Promise<Answer>,
  ok: (a: Answer) => boolean,
  deadline: () => number,
  what: string,
  notYet: (a: Answer) => boolean = () => false,
): Promise<Answer | null> {
  let pause = 100;
  for (;;) {
    const a = await call();
    if (ok(a)) return a;
    if (!retryable(a) && !notYet(a)) throw new Error(`${what}: answered ${a.status} ${JSON.stringify(a.body)?.slice(0, 300)}`);
    if (Date.now() > deadline()) return null;
    await sleep(pause);
    pause = Math.min(pause * 2, 2_000);
  }
}

async function must(
  call: () => Promise<Answer>,
  ok: (a: Answer) => boolean,
  what: string,
  timeoutMs = 120_000,
  notYet?: (a: Answer) => boolean,
): Promise<Answer> {
  const until = Date.now() + timeoutMs;
  const a = await persist(call, ok, () => until, what, notYet);
  if (!a) throw new Error(`${what}: no answer within ${timeoutMs / 1000} s`);
  return a;
}

/**
 * The provider side: one load balancer and one service per kind, the consumer account allowed on both, and
 * (with SNS) a service notification for all four connection events on an SNS topic with an SQS queue
 * subscribed. Waits until notifier knows the notifications (its table, in `databaseUrl`), so every
 * connection event of the load is expected to be delivered.
 */
export async function setUpProvider(
  api: ApiClient,
  options: { run: string; sns?: SnsInfo; databaseUrl: string; say: Say },
): Promise<ServiceUnderLoad[]> {
  const services: ServiceUnderLoad[] = [];
  for (const [i, kind] of (['auto', 'manual'] as const).entries()) {
    const hex = (Date.now() * 4 + i).toString(16).slice(-16).padStart(16, '0');
    const arn = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/${options.run}-${kind}/${hex}`;
    const lb = await must(
      () => api.call(KEYS.provider, 'POST', '/v1/provider/load-balancers', { loadBalancerArn: arn, availabilityZones: ZONES }),
      (a) => a.status === 201,
      'register load balancer',
    );
    // Read-your-writes: the registry's read model has it before the service names it.
    await must(
      () =>
        api.call(KEYS.provider, 'GET', `/v1/provider/load-balancers/${encodeURIComponent(arn)}`, undefined, {
          'x-consistency-token': lb.headers.get('x-consistency-token') ?? '',
        }),
      (a) => a.status === 200,
      'load balancer visible',
      120_000,
      (a) => a.status === 404,
    );
    const created = await must(
      () =>
        api.call(KEYS.provider, 'POST', '/v1/provider/endpoint-services', {
          networkLoadBalancerArns: [arn],
          acceptanceRequired: kind === 'manual',
          clientToken: `${options.run}-${kind}`,
        }),
      (a) => a.status === 201 || a.status === 200,
      'create endpoint service',
    );
    const { serviceId, serviceName } = created.body.serviceConfiguration as { serviceId: string; serviceName: string };
    const createdToken = created.headers.get('x-consistency-token');
    // Available once endpoint-api's activation reaction ran (through Kafka); a 404 or Pending is "not yet".
    await must(
      () =>
        api.call(
          KEYS.provider,
          'GET',
          `/v1/provider/endpoint-services/${serviceId}`,
          undefined,
          createdToken ? { 'x-consistency-token': createdToken } : {},
        ),
      (a) => a.status === 200 && a.body.serviceConfiguration?.serviceState === 'Available',
      `service ${serviceId} Available`,
      120_000,
      (a) => a.status === 404 || a.status === 200,
    );
    const allowed = await must(
      () =>
        api.call(KEYS.provider, 'POST', `/v1/provider/endpoint-services/${serviceId}/permissions`, {
          addAllowedPrincipals: [CONSUMER_ROOT],
        }),
      (a) => a.status === 200,
      'allow the consumer',
    );
    const service: ServiceUnderLoad = { kind, serviceId, serviceName, token: allowed.headers.get('x-consistency-token') ?? '' };
    if (options.sns) {
      // A FIFO topic: SNS promises a standard topic's messages at least once, so "exactly one delivery per
      // event" can only hold end to end where SNS de-duplicates, on the event id the notifier sends as the
      // deduplication id (a notifier killed between its publish and its record publishes again).
      service.topic = await TopicWithQueue.create(options.sns, `${options.run}-${kind}.fifo`);
      service.topic.collect();
      const n = await must(
        () =>
          api.call(KEYS.provider, 'POST', `/v1/provider/endpoint-services/${serviceId}/notifications`, {
            connectionNotificationArn: service.topic!.topicArn,
            connectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
          }),
        (a) => a.status === 201,
        'create the service notification',
      );
      service.notificationId = n.body.connectionNotification.connectionNotificationId;
    }
    services.push(service);
  }
  const ids = services.flatMap((s) => (s.notificationId ? [s.notificationId] : []));
  const deadline = Date.now() + 120_000;
  while (ids.length > 0) {
    const rows = await pgQuery<{ n: number }>(
      options.databaseUrl,
      `SELECT count(*)::int AS n FROM notifier.rm_notification_targets WHERE id = ANY($1)`,
      [ids],
    ).catch(() => [{ n: 0 }]);
    if (rows[0].n === ids.length) break;
    if (Date.now() > deadline) throw new Error('notifier never learned the notification configurations');
    await sleep(200);
  }
  options.say(
    `provider ready: ${services.map((s) => `${s.kind} ${s.serviceId}`).join(', ')}${options.sns ? ', notifications on (SNS → SQS)' : ''}`,
  );
  return services;
}

export type Plan = 'keep' | 'delete' | 'accept' | 'reject' | 'accept-delete';

export interface WorkflowRecord {
  n: number;
  kind: 'auto' | 'manual';
  plan: Plan;
  vpcId: string;
  vpcEndpointId?: string;
  /** Epoch ms of the first create call. */
  startedAt: number;
  /** Epoch ms of the first read that showed it available (the consumer's view, polled). */
  availableSeenAt?: number;
  endedAt?: number;
  endState?: string;
  /** Why it has no end state (a call kept failing until the deadline, an unexpected answer). */
  problem?: string;
  /** The last state (or HTTP status) the consumer's reads showed. */
  lastSeen?: string;
}

export interface LoadOptions {
  api: ApiClient;
  services: ServiceUnderLoad[];
  run: string;
  /** Workflows to start (at least: see keepGoing). */
  workflows: number;
  vpcs: number;
  clients: number;
  /** Workflows each client keeps going at once. */
  inflightPerClient: number;
  /** While true, clients keep starting workflows, past `workflows` and `maxSeconds` (the chaos suite's faults are still running). */
  keepGoing?: () => boolean;
  /** No new workflow after this many seconds. */
  maxSeconds: number;
  /** Once no new workflow starts, the ones in flight get this long to finish (unless `drain` set a deadline). */
  drainSeconds?: number;
  say: Say;
  progressEveryMs?: number;
}

/** 16 clients (by default) running workflows back to back; `run()` resolves when every started one ended or gave up. */
export class Workload {
  readonly records: WorkflowRecord[] = [];
  private startedAt = 0;
  /** Epoch ms at which `run()` returned (every workflow ended or gave up). */
  ranUntil = 0;
  /** Workflows still waiting give up after this (set by `drain`). */
  private giveUpAt = Infinity;
  private readonly auto: ServiceUnderLoad;
  private readonly manual: ServiceUnderLoad;
  private readonly vpcIds: string[];

  constructor(private readonly o: LoadOptions) {
    this.auto = o.services.find((s) => s.kind === 'auto')!;
    this.manual = o.services.find((s) => s.kind === 'manual')!;
    const base = parseInt(o.run.replace(/[^0-9a-f]/g, '').slice(-5) || '0', 16) & 0xfffff;
    this.vpcIds = Array.from({ length: o.vpcs }, (_, i) => `vpc-${(base * 0x100 + i).toString(16).padStart(8, '0').slice(-8)}`);
  }

  /** Workflows still waiting stop trying `ms` from now (they count as unfinished). */
  drain(ms: number): void {
    this.giveUpAt = Date.now() + ms;
  }

  async run(): Promise<void> {
    this.startedAt = Date.now();
    const progress = setInterval(() => this.o.say(this.progressLine()), this.o.progressEveryMs ?? 10_000);
    // Once no new workflow may start (enough started, or the time is up, and the faults are over), the ones
    // in flight get their drain time: checked every second, since every slot may be waiting on a stuck one.
    const stopping = setInterval(() => {
      const enough = this.records.length >= this.o.workflows || Date.now() - this.startedAt > this.o.maxSeconds * 1000;
      if (this.giveUpAt === Infinity && enough && !this.o.keepGoing?.()) this.drain((this.o.drainSeconds ?? 60) * 1000);
    }, 1_000);
    const slots = Array.from({ length: this.o.clients * this.o.inflightPerClient }, () => this.slot());
    try {
      await Promise.all(slots);
    } finally {
      clearInterval(progress);
      clearInterval(stopping);
      this.ranUntil = Date.now();
    }
  }

  get finished(): WorkflowRecord[] {
    return this.records.filter((r) => r.endState);
  }

  /** Epoch ms of the last workflow that reached its end state. */
  lastEndAt(): number {
    return Math.max(0, ...this.finished.map((r) => r.endedAt!));
  }

  progressLine(): string {
    const now = Date.now();
    const done = this.finished;
    const recent = done.filter((r) => r.endedAt! > now - 10_000).length;
    const statuses = [...this.o.api.statuses].map(([k, v]) => `${k} ${v}`).join(', ');
    return `  ${Math.round((now - this.startedAt) / 1000)} s: started ${this.records.length}, finished ${done.length} (${(recent / 10).toFixed(1)}/s over the last 10 s), in flight ${this.records.length - done.length - this.records.filter((r) => r.problem).length}; HTTP ${statuses}`;
  }

  private take(): number | null {
    if (Date.now() > this.giveUpAt) return null;
    if (this.o.keepGoing?.()) return this.records.length;
    if (this.records.length >= this.o.workflows || Date.now() - this.startedAt > this.o.maxSeconds * 1000) return null;
    return this.records.length;
  }

  private async slot(): Promise<void> {
    for (;;) {
      const n = this.take();
      if (n === null) return;
      const rand = mulberry32(n + 1);
      const kind = rand() < 0.7 ? 'auto' : 'manual';
      const r = rand();
      const plan: Plan = kind === 'auto' ? (r < 0.8 ? 'keep' : 'delete') : r < 0.5 ? 'accept' : r < 0.75 ? 'reject' : 'accept-delete';
      const record: WorkflowRecord = { n, kind, plan, vpcId: this.vpcIds[n % this.vpcIds.length], startedAt: Date.now() };
      this.records.push(record);
      try {
        await this.workflow(record);
      } catch (error) {
        record.problem = error instanceof Error ? error.message : String(error);
      }
    }
  }

  private async workflow(rec: WorkflowRecord): Promise<void> {
    const { api } = this.o;
    const service = rec.kind === 'auto' ? this.auto : this.manual;
    const body = {
      serviceName: service.serviceName,
      vpcEndpointType: 'Interface',
      vpcId: rec.vpcId,
      subnets: SUBNETS,
      clientToken: `${this.o.run}-${rec.n}`,
    };
    const created = await persist(
      () => api.call(KEYS.consumer, 'POST', '/v1/consumer/endpoints', body, { 'x-consistency-token': service.token }),
      (a) => a.status === 201 || a.status === 200,
      () => this.giveUpAt,
      'create endpoint',
    );
    if (!created) {
      this.gaveUp(rec, 'create never answered');
      return;
    }
    rec.vpcEndpointId = created.body.vpcEndpoint.vpcEndpointId;
    let state = await this.waitFor(
      rec,
      ['available', 'pendingAcceptance', 'failed', 'rejected'],
      created.headers.get('x-consistency-token') ?? undefined,
    );
    if (state === 'pendingAcceptance') {
      const verb = rec.plan === 'reject' ? 'reject' : 'accept';
      state = await this.decide(rec, service, verb);
    }
    if (state === 'available' && (rec.plan === 'delete' || rec.plan === 'accept-delete')) state = await this.remove(rec);
    if (state && (END_STATES as readonly string[]).includes(state)) {
      rec.endState = state;
      rec.endedAt = Date.now();
    } else if (!rec.problem) {
      this.gaveUp(rec, `stopped waiting; last read ${rec.lastSeen ?? 'none'}`);
    }
  }

  private async decide(rec: WorkflowRecord, service: ServiceUnderLoad, verb: 'accept' | 'reject'): Promise<string | null> {
    const want = verb === 'accept' ? 'available' : 'rejected';
    for (;;) {
      const a = await persist(
        () =>
          this.o.api.call(KEYS.provider, 'POST', `/v1/provider/endpoint-services/${service.serviceId}/connections:${verb}`, {
            vpcEndpointIds: [rec.vpcEndpointId],
          }),
        (x) => x.status === 200 || x.status === 202,
        () => this.giveUpAt,
        verb,
      );
      if (!a) return this.gaveUp(rec, `${verb} never answered`);
      const state = await this.waitFor(rec, [want, 'failed', 'rejected', 'deleted'], undefined, 10_000);
      if (state) return state;
      if (Date.now() > this.giveUpAt) return this.gaveUp(rec, `still not ${want} after ${verb}`);
    }
  }

  private async remove(rec: WorkflowRecord): Promise<string | null> {
    for (;;) {
      // A 404 answers a retried delete whose first try went through (a deleted endpoint no longer exists).
      const a = await persist(
        () => this.o.api.call(KEYS.consumer, 'DELETE', `/v1/consumer/endpoints/${rec.vpcEndpointId}`),
        (x) => x.status === 200 || x.status === 202 || x.status === 404,
        () => this.giveUpAt,
        'delete',
      );
      if (!a) return this.gaveUp(rec, 'delete never answered');
      const state = await this.waitFor(rec, ['deleted'], undefined, 10_000, true);
      if (state) return state;
      if (Date.now() > this.giveUpAt) return this.gaveUp(rec, 'still not deleted');
    }
  }

  /**
   * Polls the consumer's view until the endpoint is in one of `states` (null after `tryMs` or the deadline);
   * `goneIsDeleted`: a 404 counts as deleted (after the consumer's delete).
   * Polling starts at 20 ms and backs off to 500 ms, so a slow system is not also flooded with reads.
   */
  private async waitFor(
    rec: WorkflowRecord,
    states: string[],
    token?: string,
    tryMs = Infinity,
    goneIsDeleted = false,
  ): Promise<string | null> {
    const tryUntil = Date.now() + tryMs;
    let pause = 20;
    for (let first = true; ; first = false) {
      const a = await this.o.api.call(
        KEYS.consumer,
        'GET',
        `/v1/consumer/endpoints/${rec.vpcEndpointId}`,
        undefined,
        first && token ? { 'x-consistency-token': token } : {},
      );
      // After a delete, an endpoint the consumer API no longer knows is gone: deleted.
      const gone = goneIsDeleted && a.status === 404 ? 'deleted' : undefined;
      const state: string | undefined = a.status === 200 ? a.body?.vpcEndpoint?.vpcEndpointState : gone;
      rec.lastSeen = state ?? `HTTP ${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`;
      if (state === 'available' && !rec.availableSeenAt) rec.availableSeenAt = Date.now();
      if (state && states.includes(state)) return state;
      if (Date.now() > Math.min(this.giveUpAt, tryUntil)) return null;
      await sleep(pause);
      pause = Math.min(pause * 1.5, 500);
    }
  }

  private gaveUp(rec: WorkflowRecord, why: string): null {
    rec.problem = why;
    return null;
  }
}

export interface HotVpcResult {
  requests: number;
  limit: number;
  available: number;
  failed: number;
  unsettled: number;
  seconds: number;
  perSecond: number;
}

/**
 * The hot-VPC case: `requests` endpoint requests into one VPC at once (16 clients), against the VPC's
 * endpoint quota; settled when every request is available or failed. Exactly the quota's number may be live.
 */
export async function hotVpc(
  api: ApiClient,
  service: ServiceUnderLoad,
  options: { run: string; requests: number; clients: number; timeoutMs: number; say: Say },
): Promise<HotVpcResult> {
  const quotas = await must(
    () => api.call(KEYS.consumer, 'GET', '/v1/quotas'),
    (a) => a.status === 200,
    'read the quotas',
  );
  const row = (quotas.body.quotas as Array<{ quotaCode: string; scope: Record<string, string>; limit: number }>).find(
    (q) => q.quotaCode === 'vpc-endpoints-per-vpc' && Object.keys(q.scope ?? {}).length === 0,
  );
  if (!row) throw new Error('GET /v1/quotas lists no default for vpc-endpoints-per-vpc');
  const vpcId = `vpc-${(Date.now() % 0xfffffff).toString(16).padStart(8, 'f')}`;
  options.say(`hot VPC ${vpcId}: ${options.requests} requests from ${options.clients} clients, quota ${row.limit}`);
  const t0 = Date.now();
  const deadline = t0 + options.timeoutMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (let n = next++; n < options.requests; n = next++) {
        const body = {
          serviceName: service.serviceName,
          vpcEndpointType: 'Interface',
          vpcId,
          subnets: SUBNETS,
          clientToken: `${options.run}-hot-${n}`,
        };
        await persist(
          () => api.call(KEYS.consumer, 'POST', '/v1/consumer/endpoints', body, { 'x-consistency-token': service.token }),
          (a) => a.status === 201 || a.status === 200,
          () => deadline,
          'hot-VPC create',
        );
      }
    }),
  );
  let counts: Record<string, number> = {};
  for (;;) {
    counts = {};
    let token: string | undefined;
    do {
      const page = await api.call(
        KEYS.consumer,
        'GET',
        `/v1/consumer/endpoints?filter.vpc-id=${vpcId}&maxResults=1000${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
      );
      if (page.status !== 200) break;
      for (const e of page.body.vpcEndpoints as Array<{ vpcEndpointState: string }>)
        counts[e.vpcEndpointState] = (counts[e.vpcEndpointState] ?? 0) + 1;
      token = page.body.nextToken;
    } while (token);
    if ((counts.available ?? 0) + (counts.failed ?? 0) >= options.requests || Date.now() > deadline) break;
    await sleep(250);
  }
  const seconds = (Date.now() - t0) / 1000;
  const available = counts.available ?? 0;
  const failed = counts.failed ?? 0;
  return {
    requests: options.requests,
    limit: row.limit,
    available,
    failed,
    unsettled: options.requests - available - failed,
    seconds: round(seconds),
    perSecond: round(options.requests / seconds),
  };
}

/** Epoch ms at which connection-broker recorded each endpoint available (its own event store: the owner's record). */
export async function ownerAvailableTimes(databaseUrl: string): Promise<Map<string, number>> {
  const rows = await pgQuery<{ id: string; at: Date }>(
    databaseUrl,
    `SELECT substr(stream_id, length('endpoint-connection-') + 1) AS id, min(occurred_at) AS at
       FROM connection_broker.es_events WHERE payload->>'stateAfter' = 'available' GROUP BY stream_id`,
  );
  return new Map(rows.map((r) => [r.id, new Date(r.at).getTime()]));
}

export interface LoadSummary {
  started: number;
  finished: number;
  byEndState: Record<string, number>;
  unfinished: number;
  problems: Record<string, number>;
  seconds: number;
  perSecond: number;
  /** Workflows finished per second in the first and the last minute (halves of the run when it is shorter than 2 minutes). */
  early: { label: string; perSecond: number };
  late: { label: string; perSecond: number };
  /** Auto-accept workflows, request → connection-broker's available event. */
  requestToAvailable: Percentiles;
  /** Auto-accept workflows, request → the consumer's read showing available (polled: 20 ms backing off to 500 ms). */
  requestToVisible: Percentiles;
}

export interface Percentiles {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(w: Workload, ownerAvailable: Map<string, number>): LoadSummary {
  const records = w.records;
  const done = w.finished;
  const t0 = Math.min(...records.map((r) => r.startedAt));
  // The load's window: first start to last end (to the run's end when nothing finished).
  const tEnd = done.length > 0 ? w.lastEndAt() : w.ranUntil || Date.now();
  const seconds = Math.max(0.001, (tEnd - t0) / 1000);
  const window = seconds >= 120 ? 60 : seconds / 2;
  const label = seconds >= 120 ? 'minute' : `half (${Math.round(window)} s)`;
  const inWindow = (from: number) => done.filter((r) => r.endedAt! >= from && r.endedAt! <= from + window * 1000).length / window;
  const byEndState: Record<string, number> = {};
  for (const r of done) byEndState[r.endState!] = (byEndState[r.endState!] ?? 0) + 1;
  const problems: Record<string, number> = {};
  for (const r of records) if (!r.endState && r.problem) problems[r.problem] = (problems[r.problem] ?? 0) + 1;
  const auto = records.filter((r) => r.kind === 'auto' && r.vpcEndpointId);
  const owner = auto.flatMap((r) => (ownerAvailable.has(r.vpcEndpointId!) ? [ownerAvailable.get(r.vpcEndpointId!)! - r.startedAt] : []));
  const visible = auto.flatMap((r) => (r.availableSeenAt ? [r.availableSeenAt - r.startedAt] : []));
  return {
    started: records.length,
    finished: done.length,
    byEndState,
    unfinished: records.length - done.length,
    problems,
    seconds: round(seconds),
    perSecond: round(done.length / seconds),
    early: { label: `first ${label}`, perSecond: round(inWindow(t0)) },
    late: { label: `last ${label}`, perSecond: round(inWindow(tEnd - window * 1000)) },
    requestToAvailable: percentiles(owner),
    requestToVisible: percentiles(visible),
  };
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { n: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

/** A small deterministic generator, so the mix of plans is the same in every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const round = (x: number) => Math.round(x * 100) / 100;
