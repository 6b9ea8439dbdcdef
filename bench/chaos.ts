import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OwnInfra } from '@privatelink/testing';
import { ApiClient, sleep } from './workflow/http';
import { Check, InvariantReport, checkInvariants, waitForQuiet } from './workflow/invariants';
import { ServiceProcesses } from './workflow/processes';
import { REPO, SERVICES, distributedStack } from './workflow/stack';
import { LoadSummary, Workload, ownerAvailableTimes, round, setUpProvider, summarize } from './workflow/workload';

/**
 * `npm run chaos [-- --small]`: the five services as OS processes on a Postgres, a Kafka and a moto of the
 * suite's own (other ports, another runtime folder: the shared test servers are never touched), under a
 * load of connection workflows, while each service is killed, Kafka stopped, Postgres restarted twice and
 * SNS made unreachable. Afterwards it checks the invariants from the databases, SQS and Kafka, prints them
 * beside the targets with the recovery time after each fault, and exits 1 when any invariant fails.
 */
interface Profile {
  /** Kill each service on its own (full), or all five at once (small: one restart's time instead of five). */
  killOneByOne: boolean;
  workflows: number;
  vpcs: number;
  clients: number;
  inflight: number;
  kafkaDownS: number;
  pgDownS: [number, number];
  snsDownS: number;
  /** Load before each fault once everything is ready. */
  settleS: number;
  /** Load before the first fault (the rate without faults). */
  warmupS: number;
  /** Time the workflows in flight get once the last one started. */
  drainS: number;
  /** Time for outboxes and deliveries to empty before the checks. */
  quietS: number;
  /** How long after a fault to wait for readiness and the next finished workflow. */
  recoveryS: number;
  /** No new workflow after this many seconds of load, even when fewer than `workflows` started (a slow system). */
  loadS: number;
}

const PROFILES: Record<'full' | 'small', Profile> = {
  full: {
    killOneByOne: true,
    workflows: 1000,
    vpcs: 100,
    clients: 16,
    inflight: 1,
    kafkaDownS: 20,
    pgDownS: [5, 60],
    snsDownS: 60,
    settleS: 10,
    warmupS: 30,
    drainS: 180,
    quietS: 180,
    recoveryS: 180,
    loadS: 1_800,
  },
  small: {
    killOneByOne: false,
    workflows: 100,
    vpcs: 20,
    clients: 8,
    inflight: 1,
    kafkaDownS: 5,
    pgDownS: [3, 10],
    snsDownS: 10,
    settleS: 2,
    warmupS: 15,
    drainS: 45,
    quietS: 45,
    recoveryS: 120,
    loadS: 180,
  },
};
const READY_TARGET_MS = 30_000;

const say = (msg: string) => process.stderr.write(`[chaos] ${msg}\n`);

interface FaultResult {
  fault: string;
  /** For a server: how long its stop and its start took (the outage is stop + down + start). */
  stopSeconds?: number;
  startSeconds?: number;
  /** From the fault's start to the dependency's return (a stop's and a start's own time included). */
  downSeconds: number;
  /** From the dependency's return to every service answering ready. */
  readyAfterMs: number | null;
  /** From the dependency's return to the next workflow reaching its end state. */
  progressAfterMs: number | null;
}

async function main(): Promise<void> {
  const profileName = process.argv.includes('--small') || process.env.CHAOS_PROFILE === 'small' ? 'small' : 'full';
  const profile: Profile = {
    ...PROFILES[profileName],
    ...(process.env.CHAOS_WORKFLOWS ? { workflows: Number(process.env.CHAOS_WORKFLOWS) } : {}),
  };
  const stamp = Date.now().toString(36);
  const infra = new OwnInfra({
    dir: process.env.CHAOS_INFRA_DIR ?? '/tmp/privatelink-chaos-infra',
    pgPort: Number(process.env.CHAOS_PG_PORT ?? 56432),
    kafkaPort: Number(process.env.CHAOS_KAFKA_PORT ?? 56092),
    kafkaControllerPort: Number(process.env.CHAOS_KAFKA_CONTROLLER_PORT ?? 56093),
    motoPort: Number(process.env.CHAOS_MOTO_PORT ?? 56566),
  });
  const logDir = join(REPO, 'bench', 'results', `chaos-logs-${stamp}`);
  mkdirSync(logDir, { recursive: true });
  say(
    `${profileName} profile: ${profile.workflows} workflows over ${profile.vpcs} VPCs, ${profile.clients} clients × ${profile.inflight}; own servers in ${infra.options.dir}; logs in ${logDir}`,
  );

  const t0 = Date.now();
  say('starting own PostgreSQL, Kafka and moto (from a clean folder)');
  await infra.reset();
  const [pgUrl, broker] = await Promise.all([infra.start('postgres'), infra.start('kafka'), infra.start('moto')]);
  const sns = infra.sns();
  say(`servers up after ${round((Date.now() - t0) / 1000)} s: ${pgUrl}, kafka ${broker}, moto ${sns.endpoint}`);

  let processes: ServiceProcesses | undefined;
  let exitCode = 1;
  // Interrupted: stop what the suite started (its processes, its own servers) before leaving.
  const interrupted = (signal: string) => {
    say(`${signal}: stopping the services and the suite's own servers`);
    void (processes?.stop() ?? Promise.resolve())
      .then(() => Promise.allSettled([infra.stop('kafka'), infra.stop('moto'), infra.stop('postgres')]))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));
  try {
    processes = await distributedStack({ databaseUrl: pgUrl, brokers: [broker], namespace: 'chaos', sns, logDir, say });
    await processes.start(180_000);
    const stack = processes;
    const api = new ApiClient(() => stack.url('endpoint-api'));
    const services = await setUpProvider(api, { run: `ch${stamp}`, sns, databaseUrl: pgUrl, say });

    let faultsDone = false;
    const workload = new Workload({
      api,
      services,
      run: `ch${stamp}`,
      workflows: profile.workflows,
      vpcs: profile.vpcs,
      clients: profile.clients,
      inflightPerClient: profile.inflight,
      keepGoing: () => !faultsDone,
      maxSeconds: profile.loadS,
      drainSeconds: profile.drainS,
      say,
    });
    const load = workload.run();
    await sleep(profile.warmupS * 1000);

    const faults: FaultResult[] = [];
    const fault = async (name: string, act: () => Promise<Partial<FaultResult> | void>) => {
      await stack.waitReady(stack.names, profile.recoveryS * 1000);
      await sleep(profile.settleS * 1000);
      say(`fault: ${name}`);
      const down = Date.now();
      const phases = (await act()) ?? {};
      const back = Date.now();
      const [readyAfterMs, progressAfterMs] = await Promise.all([
        stack.waitReady(stack.names, profile.recoveryS * 1000),
        progressAfter(workload, back, profile.recoveryS * 1000),
      ]);
      faults.push({ fault: name, ...phases, downSeconds: round((back - down) / 1000), readyAfterMs, progressAfterMs });
      const how = phases.stopSeconds !== undefined ? ` (stop took ${phases.stopSeconds} s, start ${phases.startSeconds} s)` : '';
      const waited = `> ${profile.recoveryS} s`;
      say(
        `  ${name}: back after ${round((back - down) / 1000)} s${how}; all ready after ${fmtMs(readyAfterMs, waited)}; workflows finishing again after ${fmtMs(progressAfterMs, waited)}`,
      );
    };
    /** A server's outage: stop it, leave it down `seconds`, start it; how long the stop and the start took. */
    const outage = async (server: 'kafka' | 'postgres', seconds: number): Promise<Partial<FaultResult>> => {
      const t0 = Date.now();
      await infra.stop(server);
      const stopped = Date.now();
      await sleep(seconds * 1000);
      const starting = Date.now();
      await infra.start(server);
      return { stopSeconds: round((stopped - t0) / 1000), startSeconds: round((Date.now() - starting) / 1000) };
    };
    if (profile.killOneByOne) {
      for (const name of SERVICES) await fault(`kill -9 ${name}`, () => stack.kill(name));
    } else {
      await fault('kill -9 all five services', async () => {
        await Promise.all(SERVICES.map((name) => stack.kill(name)));
      });
    }
    await fault(`Kafka stopped ${profile.kafkaDownS} s`, () => outage('kafka', profile.kafkaDownS));
    for (const seconds of profile.pgDownS) await fault(`Postgres down ${seconds} s`, () => outage('postgres', seconds));
    await fault(`SNS unreachable ${profile.snsDownS} s`, async () => {
      infra.pauseSns();
      try {
        await sleep(profile.snsDownS * 1000);
      } finally {
        infra.resumeSns();
      }
    });
    faultsDone = true;
    say(`faults done; the load finishes its ${Math.max(profile.workflows, workload.records.length)} workflows (drain ${profile.drainS} s)`);
    await load;
    const summary = summarize(workload, await ownerAvailableTimes(pgUrl).catch(() => new Map<string, number>()));
    say(
      `load done: ${summary.finished}/${summary.started} workflows; waiting up to ${profile.quietS} s for outboxes and deliveries to empty`,
    );
    const quietMs = await waitForQuiet(pgUrl, profile.quietS * 1000, say);
    const report = await checkInvariants({
      databaseUrl: pgUrl,
      kafka: { brokers: [broker], namespace: 'chaos' },
      services,
      workload,
      readiness: await stack.readiness(),
    });
    const slow = faults.filter((f) => f.readyAfterMs === null || f.readyAfterMs > READY_TARGET_MS);
    report.checks.push({
      name: 'faults after which a service was not ready within 30 s',
      value: slow.length,
      ok: slow.length === 0,
      detail: slow.map((f) => `${f.fault}: ${fmtMs(f.readyAfterMs, `> ${profile.recoveryS} s`)}`).join('; ') || undefined,
    });
    report.ok = report.checks.every((c) => c.ok);
    for (const s of services) s.topic?.close();
    print(profileName, profile, infra.options, faults, summary, report, stack, api, quietMs, round((Date.now() - t0) / 1000));
    const file = join(REPO, 'bench', 'results', `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          profile: profileName,
          settings: profile,
          faults,
          load: summary,
          checks: report.checks,
          facts: report.facts,
          crashes: Object.fromEntries(stack.crashes),
          quietMs,
        },
        null,
        2,
      ),
    );
    say(`results written to ${file}`);
    exitCode = report.ok ? 0 : 1;
  } finally {
    await processes?.stop();
    if (!process.env.CHAOS_KEEP_INFRA) {
      await Promise.allSettled([infra.stop('kafka'), infra.stop('moto'), infra.stop('postgres')]);
    }
  }
  process.exit(exitCode);
}

/** Milliseconds from `since` until a workflow reaches its end state after it (null when none did in time). */
async function progressAfter(w: Workload, since: number, timeoutMs: number): Promise<number | null> {
  for (;;) {
    const first = w.records.reduce((min, r) => (r.endedAt && r.endedAt >= since && r.endedAt < min ? r.endedAt : min), Infinity);
    if (first !== Infinity) return first - since;
    if (Date.now() - since > timeoutMs) return null;
    await sleep(100);
  }
}

function print(
  profileName: string,
  profile: Profile,
  ports: { pgPort: number; kafkaPort: number; motoPort: number },
  faults: FaultResult[],
  l: LoadSummary,
  report: InvariantReport,
  stack: ServiceProcesses,
  api: ApiClient,
  quietMs: number | null,
  seconds: number,
): void {
  const out: string[] = [];
  out.push('');
  out.push(
    `PrivateLink chaos suite, ${profileName} profile (${seconds} s): five services as processes on their own Postgres :${ports.pgPort}, Kafka :${ports.kafkaPort}, moto :${ports.motoPort}`,
  );
  out.push('');
  out.push('Faults (recovery: from the dependency’s return; target: every service ready within 30 s)');
  const w = Math.max(...faults.map((f) => f.fault.length));
  out.push(
    `  ${'fault'.padEnd(w)}  ${'away'.padStart(7)}  ${'all ready after'.padStart(15)}  ${'workflows finishing again after'.padStart(31)}`,
  );
  for (const f of faults) {
    const ok = f.readyAfterMs !== null && f.readyAfterMs <= READY_TARGET_MS ? 'ok' : 'MISSED';
    const how = f.stopSeconds !== undefined ? `  (stop took ${f.stopSeconds} s, start ${f.startSeconds} s)` : '';
    const waited = `> ${profile.recoveryS} s`;
    out.push(
      `  ${f.fault.padEnd(w)}  ${`${f.downSeconds} s`.padStart(7)}  ${`${fmtMs(f.readyAfterMs, waited)} ${ok}`.padStart(15)}  ${fmtMs(f.progressAfterMs, waited).padStart(31)}${how}`,
    );
  }
  const crashes = [...stack.crashes].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none';
  out.push('');
  if (l.started < profile.workflows)
    out.push(
      `Load: only ${l.started} of the ${profile.workflows} planned workflows started within ${profile.loadS} s (the system was too slow)`,
    );
  out.push(
    `Load: ${l.finished}/${l.started} workflows reached an end state (${
      Object.entries(l.byEndState)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }) in ${l.seconds} s = ${l.perSecond}/s (target ≥ 300/s)`,
  );
  out.push(
    l.requestToAvailable.n > 0
      ? `  request → available p50 ${l.requestToAvailable.p50Ms} ms, p99 ${l.requestToAvailable.p99Ms} ms (target ≤ 250 ms), max ${l.requestToAvailable.maxMs} ms over ${l.requestToAvailable.n} auto-accept requests, faults included`
      : '  request → available: no auto-accept request became available (target p99 ≤ 250 ms)',
  );
  out.push(`  HTTP answers: ${[...api.statuses].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`  crashes restarted by the runner (not its own kills): ${crashes}`);
  out.push(`  outboxes and deliveries empty ${quietMs === null ? `NOT within ${profile.quietS} s` : `${fmtMs(quietMs)} after the load`}`);
  if (Object.keys(l.problems).length > 0)
    out.push(
      `  unfinished: ${Object.entries(l.problems)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ')}`,
    );
  out.push('');
  out.push('Invariants (checked from the databases, SQS and Kafka; target 0 each)');
  const wc = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks)
    out.push(`  ${c.name.padEnd(wc)}  ${String(c.value).padStart(6)}  ${c.ok ? 'ok' : 'FAIL'}${c.detail ? `  e.g. ${c.detail}` : ''}`);
  out.push('');
  out.push(`Facts: ${JSON.stringify(report.facts)}`);
  const failed = report.checks.filter((c: Check) => !c.ok).length;
  out.push('');
  out.push(failed === 0 ? 'chaos: every invariant held' : `chaos: ${failed} of ${report.checks.length} invariants FAILED`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Seconds, or `missing` when the wait ended first. */
const fmtMs = (ms: number | null, missing = 'never') => (ms === null ? missing : `${round(ms / 1000)} s`);

main().catch((error) => {
  process.stderr.write(`chaos failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
