import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { SnsInfo } from '@privatelink/testing';
import { ApiClient } from './workflow/http';
import { ServiceProcesses } from './workflow/processes';
import { REPO, distributedStack, embeddedStack } from './workflow/stack';
import { HotVpcResult, LoadSummary, Workload, hotVpc, ownerAvailableTimes, round, setUpProvider, summarize } from './workflow/workload';

/**
 * The workflow rows of `npm run bench`: the full connection workflow through the public API, in the
 * distributed shape (five processes, Kafka, the shared Postgres) and in the embedded default (one process,
 * its embedded PostgreSQL, the in-process transport), each followed by the hot-VPC case.
 */
export interface WorkflowBenchOptions {
  /** The bench's Postgres (a database of its own is created on it for the distributed shape). */
  pgUrl: string;
  brokers: string[];
  sns?: SnsInfo;
  workflows: number;
  seconds: number;
  vpcs: number;
  clients: number;
  inflight: number;
  hotRequests: number;
  shapes: Array<'distributed' | 'embedded'>;
  say: (m: string) => void;
}

export interface ShapeResult {
  shape: string;
  load: LoadSummary;
  /** Events appended per second over the load, in all services' stores. */
  eventsPerSecond: number;
  hotVpc: HotVpcResult;
  crashes: Record<string, number>;
  /** CPU seconds each service process used during the load (not the hot-VPC case), and their sum per second of load. */
  cpu: { perService: Record<string, number>; coresBusy: number };
}

export async function benchWorkflows(o: WorkflowBenchOptions): Promise<ShapeResult[]> {
  const results: ShapeResult[] = [];
  const stamp = Date.now().toString(36);
  const logDir = join(REPO, 'bench', 'results', `workflow-logs-${stamp}`);
  for (const shape of o.shapes) {
    o.say(
      `workflows, ${shape} shape: ${o.workflows} workflows (at most ${o.seconds} s) over ${o.vpcs} VPCs, ${o.clients} clients × ${o.inflight} in flight; logs in ${logDir}`,
    );
    if (shape === 'distributed') {
      const database = `bench_wf_${stamp}`;
      const admin = new Pool({ connectionString: o.pgUrl, max: 1 });
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const databaseUrl = o.pgUrl.replace(/\/[^/?]+(\?|$)/, `/${database}$1`);
      const processes = await distributedStack({
        databaseUrl,
        brokers: o.brokers,
        namespace: `bench-wf-${stamp}`,
        sns: o.sns,
        logDir: join(logDir, shape),
        say: o.say,
      });
      results.push(await runShape(shape, processes, 'endpoint-api', databaseUrl, o, `wf${stamp}d`));
    } else {
      const dataDir = join(tmpdir(), `privatelink-bench-embedded-${stamp}`);
      const { processes, databaseUrl } = await embeddedStack({ dataDir, sns: o.sns, logDir: join(logDir, shape), say: o.say });
      try {
        results.push(await runShape(shape, processes, 'embedded', databaseUrl, o, `wf${stamp}e`));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  return results;
}

async function runShape(
  shape: string,
  processes: ServiceProcesses,
  apiName: string,
  databaseUrl: string,
  o: WorkflowBenchOptions,
  run: string,
): Promise<ShapeResult> {
  // Interrupted: the service processes go too.
  const interrupted = () => void processes.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await processes.start(180_000);
    const api = new ApiClient(() => processes.url(apiName));
    const services = await setUpProvider(api, { run, sns: o.sns, databaseUrl, say: o.say });
    const eventsBefore = await countEvents(databaseUrl);
    const workload = new Workload({
      api,
      services,
      run,
      workflows: o.workflows,
      vpcs: o.vpcs,
      clients: o.clients,
      inflightPerClient: o.inflight,
      maxSeconds: o.seconds,
      drainSeconds: 60,
      say: o.say,
    });
    const cpuBefore = processes.cpuSeconds();
    await workload.run();
    const cpuAfter = processes.cpuSeconds();
    const load = summarize(workload, await ownerAvailableTimes(databaseUrl));
    const perService = Object.fromEntries([...cpuAfter].map(([name, s]) => [name, round(s - (cpuBefore.get(name) ?? 0))]));
    const cpu = { perService, coresBusy: round(Object.values(perService).reduce((a, b) => a + b, 0) / load.seconds) };
    const eventsPerSecond = round(((await countEvents(databaseUrl)) - eventsBefore) / load.seconds);
    o.say(
      `  ${shape}: ${load.finished}/${load.started} workflows in ${load.seconds} s = ${load.perSecond}/s; request → available p50 ${load.requestToAvailable.p50Ms} ms, p99 ${load.requestToAvailable.p99Ms} ms; ` +
        `service CPU ${cpu.coresBusy} cores (${Object.entries(perService)
          .map(([k, v]) => `${k} ${v} s`)
          .join(', ')})`,
    );
    const auto = services.find((s) => s.kind === 'auto')!;
    const hot = await hotVpc(api, auto, { run, requests: o.hotRequests, clients: o.clients, timeoutMs: 180_000, say: o.say });
    o.say(
      `  ${shape} hot VPC: ${hot.requests} requests settled in ${hot.seconds} s = ${hot.perSecond}/s; ${hot.available} live of quota ${hot.limit}`,
    );
    for (const s of services) s.topic?.close();
    return { shape, load, eventsPerSecond, hotVpc: hot, crashes: Object.fromEntries(processes.crashes), cpu };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await processes.stop();
  }
}

async function countEvents(databaseUrl: string): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const schemas = (await pool.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'es_events'`)).rows.map(
      (r) => r.table_schema as string,
    );
    let n = 0;
    for (const s of schemas) n += Number((await pool.query(`SELECT count(*) AS n FROM "${s}".es_events`)).rows[0].n);
    return n;
  } finally {
    await pool.end();
  }
}

/** The table rows of one shape, beside the run's plain INSERT baseline. */
export function workflowRows(r: ShapeResult, baselinePerSecond: number): Array<[string, string, string]> {
  const l = r.load;
  const ends = Object.entries(l.byEndState)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const crashes = Object.entries(r.crashes)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  return [
    [
      `workflows/s, ${r.shape}`,
      `${l.perSecond}`,
      `target ≥ 300/s; ${l.finished}/${l.started} finished in ${l.seconds} s (${[ends, l.unfinished ? `unfinished ${l.unfinished}` : ''].filter(Boolean).join('; ')}); ` +
        `${l.early.label} ${l.early.perSecond}/s, ${l.late.label} ${l.late.perSecond}/s (flat: within 10 %); ` +
        `${r.eventsPerSecond} events appended/s = ${((r.eventsPerSecond / baselinePerSecond) * 100).toFixed(1)} % of the baseline's INSERT commits${crashes ? `; crashes: ${crashes}` : ''}`,
    ],
    [
      `request → available, ${r.shape}`,
      `p50 ${l.requestToAvailable.p50Ms} ms`,
      `p99 ${l.requestToAvailable.p99Ms} ms (target ≤ 250 ms), max ${l.requestToAvailable.maxMs} ms, ${l.requestToAvailable.n} auto-accept requests (to connection-broker's event); ` +
        `as the consumer reads it: ${l.requestToVisible.n > 0 ? `p50 ${l.requestToVisible.p50Ms} ms, p99 ${l.requestToVisible.p99Ms} ms` : 'never seen available'}`,
    ],
    [
      `service CPU, ${r.shape}`,
      `${r.cpu.coresBusy} cores`,
      `CPU seconds per second of load, all service processes (not PostgreSQL, Kafka or the clients): ${Object.entries(r.cpu.perService)
        .map(([k, v]) => `${k} ${v} s`)
        .join(
          ', ',
        )}; ${r.load.finished > 0 ? `${round((Object.values(r.cpu.perService).reduce((a, b) => a + b, 0) * 1000) / r.load.finished)} ms per workflow` : ''}`,
    ],
    [
      `hot VPC requests/s, ${r.shape}`,
      `${r.hotVpc.perSecond}`,
      `target ≥ 100/s; ${r.hotVpc.requests} requests into one VPC, quota ${r.hotVpc.limit}: ${r.hotVpc.available} live ` +
        `(${r.hotVpc.available === r.hotVpc.limit ? 'exactly the quota' : 'NOT the quota'}), ${r.hotVpc.failed} failed${r.hotVpc.unsettled ? `, ${r.hotVpc.unsettled} unsettled` : ''}`,
    ],
  ];
}
