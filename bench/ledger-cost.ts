import 'reflect-metadata';
import { Pool } from 'pg';
import pino from 'pino';
import { EntityManager } from 'typeorm';
import {
  LedgerScope,
  QuotaLedgerEvent,
  evolveQuotaLedger,
  loadBalancerDecider,
  quotaLedgerDecider,
  quotaLedgerId,
} from '@privatelink/domain';
import { InProcessTransport } from '@privatelink/messaging';
import { Metrics, ReadinessRegistry, ServiceRuntime, loadConfig } from '@privatelink/platform';
import { QuotaGuardCore } from '../apps/quota-guard/src/quota-guard.service';
import { Claim, ledgerStream } from '../apps/quota-guard/src/handlers/ledger-writes';
import { loadBalancerStream, recordLoadBalancerUse } from '../apps/endpoint-api/src/handlers/service-writes';
import { loadBalancerRegisteredPayload } from './fixtures';

/**
 * The cost of one reservation as its ledger grows: a `connections-per-consumer-per-service` ledger seeded
 * with N events (reserved + confirmed holders), then reservations one after the other, each its own
 * transaction as quota-guard runs them. Two ledgers per size: one reserved through quota-guard's path
 * (snapshot: summary + the holder's entry), one through the path it replaced (the whole stream replayed
 * with a copy of the holdings per event, no snapshot), the in-run baseline. Also the first reservation
 * after seeding, which finds no snapshot: the cost of a state schema change (one replay, every entry stored).
 */
export interface LedgerCostRow {
  events: number;
  reservations: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerReservation: number;
  /** Not run at sizes where it would take too long (see BENCH_LEDGER_BASELINE_EVENTS). */
  baseline: { reservations: number; p50Ms: number; p99Ms: number; cpuMsPerReservation: number } | null;
  firstAfterSchemaChangeMs: number;
}

/** The provider path's counterpart: a service starting to use a load balancer whose stream has N events. */
export interface LoadBalancerCostRow {
  events: number;
  commands: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerCommand: number;
  baseline: { commands: number; p50Ms: number; p99Ms: number; cpuMsPerCommand: number } | null;
}

export interface StreamCostResults {
  ledger: LedgerCostRow[];
  loadBalancer: LoadBalancerCostRow[];
}

export interface LedgerCostOptions {
  databaseUrl: string;
  sizes: number[];
  reservations: number;
  /** Events the baseline path may replay per size: it runs budget / size reservations (none below one), so a run stays short. */
  baselineBudgetEvents: number;
  say: (msg: string) => void;
}

const context = { principal: 'bench', correlationId: 'bench-ledger' };

export async function benchLedgerCost(options: LedgerCostOptions): Promise<StreamCostResults> {
  const logger = pino({ level: 'warn' });
  const config = loadConfig({ PRIVATELINK_DATABASE_URL: options.databaseUrl, PRIVATELINK_KAFKA_BROKERS: 'unused:9092' });
  const core = await QuotaGuardCore.open({
    config,
    transport: new InProcessTransport(logger),
    metrics: new Metrics(),
    readiness: new ReadinessRegistry(),
    logger,
  });
  const rows: LedgerCostRow[] = [];
  try {
    for (const size of options.sizes) {
      const fresh = claimFor(`new${size}`);
      const old = claimFor(`old${size}`);
      options.say(`  ledger of ${size} events: seeding two ledgers`);
      await seed(core, fresh, size);
      await seed(core, old, size);

      const t0 = process.hrtime.bigint();
      await core.runtime.transact((tx) => core.ledgers.reserveEverywhere(tx, holder('first', 0), [fresh], context));
      const firstAfterSchemaChangeMs = round(Number(process.hrtime.bigint() - t0) / 1e6);

      const current = await measure(options.reservations, (i) =>
        core.runtime.transact((tx) => core.ledgers.reserveEverywhere(tx, holder('r', i), [fresh], context)),
      );
      const baselineCount = Math.min(options.reservations, Math.floor(options.baselineBudgetEvents / size));
      const baseline =
        baselineCount > 0
          ? {
              reservations: baselineCount,
              ...(await measure(baselineCount, (i) => core.runtime.transact((tx) => reserveByFullReplay(core, tx, holder('b', i), old)))),
            }
          : null;
      const row = { events: size, reservations: options.reservations, ...current, baseline, firstAfterSchemaChangeMs };
      options.say(
        `  ledger of ${size} events: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.cpuMsPerReservation} ms CPU per reservation; ` +
          `full replay (before): ${baseline ? `p50 ${baseline.p50Ms} ms, ${baseline.cpuMsPerReservation} ms CPU` : 'not run'}; first after a schema change ${firstAfterSchemaChangeMs} ms`,
      );
      rows.push(row);
    }
  } finally {
    await core.stop();
  }
  const runtime = await ServiceRuntime.open({
    service: 'endpoint-api',
    config,
    transport: new InProcessTransport(logger),
    metrics: new Metrics(),
    readiness: new ReadinessRegistry(),
    logger,
  });
  try {
    return { ledger: rows, loadBalancer: await loadBalancerCost(runtime, options) };
  } finally {
    await runtime.stop();
  }
}

/**
 * A service marked as a user of a load balancer whose stream already has N events (one per service that
 * used it): endpoint-api's path (snapshot every 32 events), and beside it the whole stream replayed.
 */
async function loadBalancerCost(runtime: ServiceRuntime, options: LedgerCostOptions): Promise<LoadBalancerCostRow[]> {
  const rows: LoadBalancerCostRow[] = [];
  for (const size of options.sizes) {
    const fresh = lbArn(`new${size}`);
    const old = lbArn(`old${size}`);
    await seedLoadBalancer(runtime, fresh, size);
    await seedLoadBalancer(runtime, old, size);
    const use = (arn: string, i: number) =>
      runtime.transact((tx) => recordLoadBalancerUse(runtime, tx, serviceId(`u${size}`, i), { used: [arn], released: [] }, context));
    await use(fresh, 0); // the first load finds no snapshot
    const current = await measure(options.reservations, (i) => use(fresh, i + 1));
    const count = Math.min(options.reservations, Math.floor(options.baselineBudgetEvents / size));
    const baseline =
      count > 0
        ? await measure(count, (i) =>
            runtime.transact(async (tx) => {
              const stream = loadBalancerStream(old);
              const { state, version } = await runtime.store.aggregate(
                stream,
                loadBalancerDecider.evolve,
                loadBalancerDecider.initialState,
                tx,
              );
              await appendAsBefore(
                runtime,
                tx,
                stream,
                version,
                loadBalancerDecider.decide({ type: 'markUsedByService', serviceId: serviceId(`b${size}`, i) }, state),
              );
            }),
          )
        : null;
    const row: LoadBalancerCostRow = {
      events: size,
      commands: options.reservations,
      p50Ms: current.p50Ms,
      p99Ms: current.p99Ms,
      cpuMsPerCommand: current.cpuMsPerReservation,
      baseline: baseline && {
        commands: count,
        p50Ms: baseline.p50Ms,
        p99Ms: baseline.p99Ms,
        cpuMsPerCommand: baseline.cpuMsPerReservation,
      },
    };
    options.say(
      `  load balancer of ${size} events: p50 ${row.p50Ms} ms, ${row.cpuMsPerCommand} ms CPU per service attached; ` +
        `full replay (before): ${row.baseline ? `p50 ${row.baseline.p50Ms} ms, ${row.baseline.cpuMsPerCommand} ms CPU` : 'not run'}`,
    );
    rows.push(row);
  }
  return rows;
}

function lbArn(label: string): string {
  return `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/bench-${label}/${hash(label).toString(16).padStart(16, '0')}`;
}

function serviceId(label: string, i: number): string {
  return `vpce-svc-${(hash(label) % 0xfff).toString(16).padStart(3, '0')}${i.toString(16).padStart(14, '0')}`;
}

/** A registered load balancer and `size - 1` services attached to it, appended in bulk without a snapshot. */
async function seedLoadBalancer(runtime: ServiceRuntime, arn: string, size: number): Promise<void> {
  const events = [
    loadBalancerRegisteredPayload(arn),
    ...Array.from({ length: size - 1 }, (_, i) => ({ type: 'loadBalancerAttachedToService', arn, serviceId: serviceId(`seed${arn}`, i) })),
  ];
  for (let from = 0; from < events.length; from += 500) {
    const batch = events.slice(from, from + 500);
    await runtime.store.append(
      loadBalancerStream(arn),
      from,
      batch.map((e) => ({ type: e.type, payload: e })),
      { metadata: { ...context, causationId: null } },
    );
  }
}

function claimFor(label: string): Claim {
  const consumer = String(100000000000 + hash(label)).slice(0, 12);
  return {
    code: 'connections-per-consumer-per-service',
    scope: {
      serviceId: 'vpce-svc-0123456789abcdef0',
      providerAccountId: '111122223333',
      consumerAccountId: consumer,
    } satisfies LedgerScope,
  };
}

function holder(kind: string, i: number): string {
  return `vpce-${(hash(kind) % 0xfff).toString(16).padStart(3, '0')}${i.toString(16).padStart(14, '0')}`;
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
  return h;
}

/** `size` events: holders reserved and confirmed in turn, appended in bulk (no snapshot: as a stream from before them). */
async function seed(core: QuotaGuardCore, claim: Claim, size: number): Promise<void> {
  const ledgerId = quotaLedgerId(claim.code, claim.scope);
  const scopeKey = ledgerId.slice(claim.code.length + 1);
  const at = new Date().toISOString();
  const base = { code: claim.code, scopeKey, scope: claim.scope, limit: null, at };
  const events: QuotaLedgerEvent[] = [];
  for (let i = 0; events.length < size; i++) {
    const holderId = holder('seed', i);
    events.push({ type: 'quotaReserved', ...base, usage: i + 1, holderId, units: 1, effectiveLimit: null, expiresAt: at });
    if (events.length < size) events.push({ type: 'quotaReservationConfirmed', ...base, usage: i + 1, holderId });
  }
  for (let from = 0; from < events.length; from += 500) {
    const batch = events.slice(from, from + 500);
    await core.runtime.store.append(
      ledgerStream(ledgerId),
      from,
      batch.map((e) => ({ type: e.type, payload: e as unknown as Record<string, unknown> })),
      { metadata: { ...context, causationId: null } },
    );
  }
}

/** The reservation as it was before snapshots: the whole stream folded with a copy per event, then decide and append. */
async function reserveByFullReplay(core: QuotaGuardCore, tx: EntityManager, holderId: string, claim: Claim): Promise<void> {
  const stream = ledgerStream(quotaLedgerId(claim.code, claim.scope));
  const { state, version } = await core.runtime.store.aggregate(stream, evolveQuotaLedger, null, tx);
  const now = core.now();
  const events = quotaLedgerDecider.decide(
    {
      type: 'reserve',
      code: claim.code,
      scope: claim.scope,
      holderId,
      units: 1,
      limit: null,
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    },
    state,
  );
  await appendAsBefore(core.runtime, tx, stream, version, events);
}

/** The baselines' append: the decided events at the version the full replay found, no snapshot (as before snapshots). */
async function appendAsBefore(runtime: ServiceRuntime, tx: EntityManager, stream: string, version: number, events: { type: string }[]) {
  if (events.length === 0) return;
  const newEvents = events.map((e) => ({ type: e.type, payload: { ...e } }));
  await runtime.store.append(stream, version, newEvents, { metadata: { ...context, causationId: null } }, tx);
}

async function measure(
  count: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ p50Ms: number; p99Ms: number; cpuMsPerReservation: number }> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99), cpuMsPerReservation: round((cpu.user + cpu.system) / 1000 / count) };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The table rows `npm run bench` prints for this measurement. */
export function ledgerCostLines(results: StreamCostResults): Array<[string, string, string]> {
  const ledger = results.ledger.map((r): [string, string, string] => [
    `reservation cost at ${r.events.toLocaleString('en-US')} ledger events`,
    `p50 ${r.p50Ms} ms`,
    `p99 ${r.p99Ms} ms, ${r.cpuMsPerReservation} ms CPU (${r.reservations} reservations); full replay before: ` +
      (r.baseline
        ? `p50 ${r.baseline.p50Ms} ms, p99 ${r.baseline.p99Ms} ms, ${r.baseline.cpuMsPerReservation} ms CPU (${r.baseline.reservations})`
        : 'not run at this size (BENCH_LEDGER_BASELINE_EVENTS)') +
      `; first after a schema change ${r.firstAfterSchemaChangeMs} ms (target: flat)`,
  ]);
  const loadBalancer = results.loadBalancer.map((r): [string, string, string] => [
    `service attached to a load balancer of ${r.events.toLocaleString('en-US')} events`,
    `p50 ${r.p50Ms} ms`,
    `p99 ${r.p99Ms} ms, ${r.cpuMsPerCommand} ms CPU (${r.commands}); full replay before: ` +
      (r.baseline
        ? `p50 ${r.baseline.p50Ms} ms, p99 ${r.baseline.p99Ms} ms, ${r.baseline.cpuMsPerCommand} ms CPU (${r.baseline.commands})`
        : 'not run at this size'),
  ]);
  return [...ledger, ...loadBalancer];
}

/** Standalone: `node -r ./scripts/paths.js dist/bench/ledger-cost.js` with PRIVATELINK_BENCH_PG_URL set. */
if (require.main === module) {
  const say = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
  (async () => {
    const baseUrl = process.env.PRIVATELINK_BENCH_PG_URL;
    if (!baseUrl) throw new Error('PRIVATELINK_BENCH_PG_URL is not set');
    const name = `bench_ledger_${Date.now()}`;
    const admin = new Pool({ connectionString: baseUrl, max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const results = await benchLedgerCost({ databaseUrl: baseUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`), ...ledgerCostSettings(), say });
    for (const [a, b, c] of ledgerCostLines(results)) process.stdout.write(`${a}  ${b}  ${c}\n`);
    process.exit(0);
  })().catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/** BENCH_LEDGER_SIZES (default 100,1000,10000), BENCH_LEDGER_RESERVATIONS (100), BENCH_LEDGER_BASELINE_EVENTS (5000). */
export function ledgerCostSettings(): Pick<LedgerCostOptions, 'sizes' | 'reservations' | 'baselineBudgetEvents'> {
  return {
    sizes: (process.env.BENCH_LEDGER_SIZES ?? '100,1000,10000').split(',').map(Number),
    reservations: Number(process.env.BENCH_LEDGER_RESERVATIONS ?? 100),
    baselineBudgetEvents: Number(process.env.BENCH_LEDGER_BASELINE_EVENTS ?? 5_000),
  };
}
