import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { EventStore } from '@privatelink/eventstore';
import { KafkaTransport } from '@privatelink/messaging';
import { rebuildProjection } from '@privatelink/projections';
import { loadConfig, Metrics, ReadinessRegistry } from '@privatelink/platform';
import { loadBalancers } from '../apps/endpoint-api/src/aggregates';
import { EndpointApiCore } from '../apps/endpoint-api/src/endpoint-api.core';
import { loadBalancersProjection } from '../apps/endpoint-api/src/projections/load-balancers.projection';
import { loadBalancerStream } from '../apps/endpoint-api/src/handlers/load-balancer.handlers';
import { benchDnsRechecks } from './dns-rechecks';
import { benchLedgerCost, ledgerCostLines, ledgerCostSettings } from './ledger-cost';
import { benchEc2VsMoto, ec2VsMotoRows } from './ec2-vs-moto';
import { benchWorkflows, workflowRows } from './workflows';
import { loadBalancerRegisteredPayload } from './fixtures';

/**
 * `npm run bench`: the backbone's figures on this machine, each beside a baseline measured in the same run
 * on the same PostgreSQL (DESIGN.md section 9). Prints a table and writes bench/results/<time>.json.
 * Never a test: nothing here asserts a time.
 */
/** The numeric knobs: each environment variable with its default. */
const knob = numbersFromEnv({
  BENCH_WRITERS: 8,
  BENCH_SECONDS: 5,
  BENCH_RATE: 200,
  BENCH_LATENCY_SECONDS: 10,
  BENCH_REBUILD_EVENTS: 100_000,
  BENCH_DNS_NAMES: 10_000,
  BENCH_DNS_CONCURRENCY: 32,
  BENCH_WORKFLOWS: 1000,
  BENCH_WORKFLOW_SECONDS: 300,
  BENCH_WORKFLOW_VPCS: 100,
  BENCH_WORKFLOW_CLIENTS: 16,
  BENCH_WORKFLOW_INFLIGHT: 1,
  BENCH_HOT_VPC_REQUESTS: 200,
  BENCH_EC2_SERVICES: 300,
  BENCH_EC2_DESCRIBE_ALL_ROUNDS: 50,
});
const WF_SHAPES = (process.env.BENCH_WORKFLOW_SHAPES ?? 'distributed,embedded').split(',').filter(Boolean) as Array<
  'distributed' | 'embedded'
>;
/**
 * BENCH_ONLY=workflows,dns or `npm run bench -- --only ec2-vs-moto`: only those phases (the baseline always
 * runs: every figure stands beside it).
 */
const onlyArg = process.argv.indexOf('--only');
const ONLY = (onlyArg >= 0 ? process.argv[onlyArg + 1] : process.env.BENCH_ONLY)
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const want = (phase: string) => !ONLY || ONLY.includes(phase);

const logger = pino({ level: 'warn' });
const say = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function main(): Promise<void> {
  const baseUrl = required('PRIVATELINK_BENCH_PG_URL');
  const brokers = required('PRIVATELINK_BENCH_KAFKA_BROKERS').split(',');
  const database = `bench_${Date.now()}`;
  const url = await createDatabase(baseUrl, database);

  const config = {
    ...loadConfig({
      PRIVATELINK_DATABASE_URL: url,
      PRIVATELINK_KAFKA_BROKERS: brokers.join(','),
      PRIVATELINK_DB_POOL_SIZE: String(knob.BENCH_WRITERS + 4),
    }),
  };
  const metrics = new Metrics();
  const transport = new KafkaTransport({ brokers, clientId: 'bench', namespace: `bench-${Date.now()}`, logger });
  const core = await EndpointApiCore.open({ config, transport, metrics, readiness: new ReadinessRegistry(), logger });
  const store: EventStore = core.runtime.store;
  const results: Record<string, unknown> = {
    machine: { cpus: require('node:os').cpus().length, node: process.version },
    writers: knob.BENCH_WRITERS,
  };

  // 1. Baseline: plain single-row INSERT commits per second, same Postgres, same concurrency.
  say(`baseline: single-row INSERT commits, ${knob.BENCH_WRITERS} writers, ${knob.BENCH_SECONDS}s`);
  const pool = new Pool({ connectionString: url, max: knob.BENCH_WRITERS });
  await pool.query('CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
  const baseline = await closedLoop(knob.BENCH_WRITERS, knob.BENCH_SECONDS, async () => {
    await pool.query('INSERT INTO bench_baseline (payload) VALUES ($1)', [JSON.stringify({ type: 'x', n: 1 })]);
  });
  await pool.end();
  results.baselineInsert = baseline;

  // 2. Event appends: one event per command, each its own transaction, events + outbox, several writers.
  if (want('appends')) {
    say(`event appends (event + outbox row, one transaction each), ${knob.BENCH_WRITERS} writers, ${knob.BENCH_SECONDS}s`);
    let seq = 0;
    const appends = await closedLoop(knob.BENCH_WRITERS, knob.BENCH_SECONDS, async () => {
      const n = seq++;
      await store.append(`load-balancer-bench-append-${n}`, 0, [{ type: 'benchAppended', payload: { n } }], {
        metadata: { principal: 'bench', correlationId: `c-${n}`, causationId: null },
      });
    });
    results.eventAppends = { ...appends, ofBaseline: round(appends.perSecond / baseline.perSecond) };
  }

  // 3. Whole commands: load the stream, decide, append (register a load balancer), several writers.
  if (want('commands')) {
    say(`commands (load + decide + append), ${knob.BENCH_WRITERS} writers, ${knob.BENCH_SECONDS}s`);
    let lbSeq = 0;
    const commands = await closedLoop(knob.BENCH_WRITERS, knob.BENCH_SECONDS, async () => {
      const arn = benchArn('cmd', lbSeq++);
      await core.runtime.handle(loadBalancers, arn, registerCommand(arn), { principal: 'bench', correlationId: 'c' });
    });
    results.commands = { ...commands, ofBaseline: round(commands.perSecond / baseline.perSecond) };
  }

  // 4. Command → projection visible through Kafka, at a fixed rate.
  if (want('latency')) {
    say(`command → projection visible through Kafka at ${knob.BENCH_RATE}/s for ${knob.BENCH_LATENCY_SECONDS}s`);
    // On a store and topics of their own: the throughput phases' events are no backlog in front of it.
    const latencyUrl = await createDatabase(baseUrl, `${database}_latency`);
    const latencyTransport = new KafkaTransport({ brokers, clientId: 'bench-latency', namespace: `bench-latency-${Date.now()}`, logger });
    const latencyCore = await EndpointApiCore.open({
      config: { ...config, databaseUrl: latencyUrl },
      transport: latencyTransport,
      metrics,
      readiness: new ReadinessRegistry(),
      logger,
    });
    const sent = new Map<string, bigint>();
    const latencies: number[] = [];
    latencyCore.loadBalancers.onApplied((event) => {
      const t0 = sent.get(event.streamId);
      if (t0 !== undefined) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
    await latencyCore.start();
    await waitUntilConsuming(latencyCore);
    const total = knob.BENCH_RATE * knob.BENCH_LATENCY_SECONDS;
    const started = Date.now();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / knob.BENCH_RATE;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const arn = benchArn('lat', i);
      const streamId = loadBalancerStream(arn);
      sent.set(streamId, process.hrtime.bigint());
      inflight.push(latencyCore.runtime.handle(loadBalancers, arn, registerCommand(arn), { principal: 'bench', correlationId: 'c' }));
      if (i % knob.BENCH_RATE === 0) say(`  sent ${i}/${total}, visible ${latencies.length}`);
    }
    await Promise.all(inflight);
    const deadline = Date.now() + 30_000;
    while (latencies.length < total && Date.now() < deadline) await sleep(20);
    results.commandToProjection = { commands: total, visible: latencies.length, ratePerSecond: knob.BENCH_RATE, ...percentiles(latencies) };
    await latencyCore.stop();
    await latencyTransport.close();
  }
  await core.stop();

  // 5. Projection rebuild from the event store.
  if (want('rebuild')) {
    const db2 = (await EndpointApiCore.open({ config, transport, metrics, readiness: new ReadinessRegistry(), logger })).runtime;
    const have = Number((await db2.db.query(`SELECT count(*) FROM es_events`))[0].count);
    if (have < knob.BENCH_REBUILD_EVENTS) await seedEvents(db2.store, knob.BENCH_REBUILD_EVENTS - have);
    say(`projection rebuild over ${Math.max(have, knob.BENCH_REBUILD_EVENTS)} events`);
    const rebuild = await rebuildProjection(db2.db, db2.store, loadBalancersProjection, {
      onProgress: (p) =>
        p.phase === 'replaying' && p.events % 50_000 < 10_000 && say(`  ${p.phase} ${p.events}/${p.total} (${p.eventsPerSecond}/s)`),
    });
    results.rebuild = rebuild;
    await db2.stop();
  }

  // 6. Private DNS daily re-checks against the local DNS server (Knot), through dns-verifier's scheduler.
  if (want('dns')) {
    say(`private DNS re-checks: ${knob.BENCH_DNS_NAMES} verified names, ${knob.BENCH_DNS_CONCURRENCY} checks at a time`);
    results.dnsRechecks = await benchDnsRechecks({
      databaseUrl: url,
      transport,
      names: knob.BENCH_DNS_NAMES,
      concurrency: knob.BENCH_DNS_CONCURRENCY,
      say,
    });
  }
  await transport.close();

  // 7. One reservation's cost as its quota ledger grows (quota-guard's path, and the full replay it replaced).
  if (want('ledger')) {
    const ledger = ledgerCostSettings();
    say(`reservation cost at ${ledger.sizes.join(' / ')} ledger events, ${ledger.reservations} reservations each`);
    results.ledgerCost = await benchLedgerCost({ databaseUrl: await createDatabase(baseUrl, `${database}_ledger`), ...ledger, say });
  }

  // 8. The connection workflow through the public API: the distributed shape and the embedded default.
  if (want('workflows')) {
    results.workflows = await benchWorkflows({
      pgUrl: baseUrl,
      brokers,
      sns: process.env.PRIVATELINK_BENCH_SNS_ENDPOINT
        ? {
            endpoint: process.env.PRIVATELINK_BENCH_SNS_ENDPOINT,
            region: 'us-east-1',
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          }
        : undefined,
      workflows: knob.BENCH_WORKFLOWS,
      seconds: knob.BENCH_WORKFLOW_SECONDS,
      vpcs: knob.BENCH_WORKFLOW_VPCS,
      clients: knob.BENCH_WORKFLOW_CLIENTS,
      inflight: knob.BENCH_WORKFLOW_INFLIGHT,
      hotRequests: knob.BENCH_HOT_VPC_REQUESTS,
      shapes: WF_SHAPES,
      say,
    });
  }

  // 9. The EC2 Query API side by side with moto's EC2 backend, the same SDK client and calls.
  if (want('ec2-vs-moto')) {
    results.ec2VsMoto = await benchEc2VsMoto({
      services: knob.BENCH_EC2_SERVICES,
      describeAllRounds: knob.BENCH_EC2_DESCRIBE_ALL_ROUNDS,
      say,
    });
  }

  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  results.peakRssMb = round(peakRss / 1024 / 1024);
  print(results);
  const dir = resolve(__dirname.includes('/dist/') ? resolve(__dirname, '../..') : resolve(__dirname, '..'), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  say(`results written to ${file}`);
  process.exit(0);
}

interface Throughput {
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `writers` loops, each running `op` back to back for `seconds`. */
async function closedLoop(writers: number, seconds: number, op: () => Promise<void>): Promise<Throughput> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (Date.now() < until) {
        const t0 = process.hrtime.bigint();
        await op();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const p = percentiles(latencies);
  return {
    operations: latencies.length,
    seconds: round(elapsed),
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: p.p50Ms,
    p99Ms: p.p99Ms,
  };
}

function percentiles(values: number[]): { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
}

async function seedEvents(store: EventStore, count: number): Promise<void> {
  say(`seeding ${count} events for the rebuild (100 per stream, bulk appends)`);
  const perStream = 100;
  for (let s = 0; s * perStream < count; s += 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => {
        const arn = benchArn('seed', s + k);
        const events = [
          { type: 'loadBalancerRegistered', payload: loadBalancerRegisteredPayload(arn) },
          ...Array.from({ length: perStream - 1 }, (_, i) => ({
            type: 'loadBalancerTagsChanged',
            payload: { type: 'loadBalancerTagsChanged', arn, tags: [{ key: 'n', value: String(i) }] },
          })),
        ];
        return store.append(loadBalancerStream(arn), 0, events, {
          metadata: { principal: 'bench', correlationId: 'seed', causationId: null },
        });
      }),
    );
  }
}

async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new Pool({ connectionString: baseUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return baseUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
}

function benchArn(kind: string, n: number): string {
  return `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/${kind}-${n}/${n.toString(16).padStart(16, '0')}`;
}

function registerCommand(arn: string) {
  return {
    type: 'registerLoadBalancer' as const,
    arn,
    loadBalancerType: 'network' as const,
    availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }],
    ipAddressType: 'ipv4' as const,
    ownerAccountId: '111122223333',
    tags: [],
    now: new Date().toISOString(),
  };
}

async function waitUntilConsuming(core: EndpointApiCore): Promise<void> {
  // Consumer groups take a moment to get their partitions; measure from the first delivered event.
  const arn = benchArn('warmup', 0);
  await core.runtime.handle(loadBalancers, arn, registerCommand(arn), { principal: 'bench', correlationId: 'w' });
  if (!(await core.loadBalancers.waitFor(loadBalancerStream(arn), 1, 60_000))) throw new Error('the projection consumer never started');
}

function print(r: Record<string, any>): void {
  const rows: Array<[string, string, string]> = [
    [
      'plain INSERT commits/s (baseline)',
      `${r.baselineInsert.perSecond}`,
      `p50 ${r.baselineInsert.p50Ms} ms, p99 ${r.baselineInsert.p99Ms} ms`,
    ],
  ];
  if (r.eventAppends) {
    rows.push([
      'event appends/s (event + outbox)',
      `${r.eventAppends.perSecond}`,
      `${pct(r.eventAppends.ofBaseline)} of baseline (target ≥ 80 %); p50 ${r.eventAppends.p50Ms} ms, p99 ${r.eventAppends.p99Ms} ms`,
    ]);
  }
  if (r.commands)
    rows.push([
      'commands/s (load + decide + append)',
      `${r.commands.perSecond}`,
      `${pct(r.commands.ofBaseline)} of baseline; p50 ${r.commands.p50Ms} ms, p99 ${r.commands.p99Ms} ms`,
    ]);
  if (r.commandToProjection) {
    rows.push([
      `command → projection via Kafka @ ${r.commandToProjection.ratePerSecond}/s`,
      `p50 ${r.commandToProjection.p50Ms} ms`,
      `p95 ${r.commandToProjection.p95Ms} ms, p99 ${r.commandToProjection.p99Ms} ms (targets p50 ≤ 10, p99 ≤ 50); ${r.commandToProjection.visible}/${r.commandToProjection.commands} visible`,
    ]);
  }
  if (r.rebuild)
    rows.push([
      'projection rebuild events/s',
      `${r.rebuild.eventsPerSecond}`,
      `${r.rebuild.events} events, ${r.rebuild.rows} rows in ${round(r.rebuild.seconds)} s (target ≥ 50,000/s)`,
    ]);
  if (r.dnsRechecks) {
    rows.push([
      'private DNS re-checks/s (local Knot DNS)',
      `${r.dnsRechecks.checksPerSecond}`,
      `${r.dnsRechecks.checks} daily re-checks of ${r.dnsRechecks.names} verified names in ${round(r.dnsRechecks.seconds)} s (target: 10,000 in ≤ 300 s), ` +
        `${r.dnsRechecks.concurrency} at a time; DNS queries per check: ${r.dnsRechecks.queriesPerCheck}; NS discoveries (shared by all checks): ${r.dnsRechecks.nsDiscoveries}`,
    ]);
  }
  if (r.ledgerCost) rows.push(...ledgerCostLines(r.ledgerCost));
  for (const shape of r.workflows ?? []) rows.push(...workflowRows(shape, r.baselineInsert.perSecond));
  if (r.ec2VsMoto) rows.push(...ec2VsMotoRows(r.ec2VsMoto));
  rows.push([
    'peak RSS of the bench process',
    `${r.peakRssMb} MB`,
    'endpoint-api core + Kafka client + pg pools (+ the workflow clients; the services run as processes of their own)',
  ]);
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  process.stdout.write(`\nPrivateLink control plane benchmark (${r.machine.cpus} cores, Node ${r.machine.node}, ${r.writers} writers)\n`);
  process.stdout.write(`${'-'.repeat(w0 + w1 + 60)}\n`);
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
  process.stdout.write('\n');
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const round = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Each named environment variable as a number, or its default when it is not set. */
function numbersFromEnv<K extends string>(defaults: Record<K, number>): Record<K, number> {
  return Object.fromEntries(
    Object.entries<number>(defaults).map(([name, fallback]) => [name, Number(process.env[name] ?? fallback)]),
  ) as Record<K, number>;
}
function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (npm run bench sets it)`);
  return v;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
