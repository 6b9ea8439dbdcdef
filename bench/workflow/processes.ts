import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './http';

/** One OS process of the control plane: a service's compiled main (or the embedded one) with its settings. */
export interface ProcessSpec {
  name: string;
  /** The entry point, relative to the repository (dist/apps/endpoint-api/src/main.js, or apps/endpoint-api/src/main.ts from the sources). */
  main: string;
  env: Record<string, string>;
  /** Its PRIVATELINK_HTTP_PORT (health, metrics, and the API for endpoint-api). */
  port: number;
}

export interface ProcessesOptions {
  repo: string;
  /** The module each process preloads, relative to the repository: scripts/paths.js for dist/, scripts/ts-register.js for the sources. */
  preload: string;
  logDir: string;
  /** Pause before a process that exited is started again (a kill by the runner or a crash). */
  restartDelayMs?: number;
  say: (msg: string) => void;
}

interface Running {
  spec: ProcessSpec;
  child?: ChildProcess;
  /** Set while the runner itself kills the process: its exit is then no crash. */
  killing: boolean;
  respawned?: () => void;
}

/**
 * Runs the control plane's services as separate OS processes, the way `node dist/apps/<service>/src/main.js`
 * starts each (the distributed shape; the embedded shape is one process). A process that exits without the
 * runner asking is a crash: counted, reported with its last log lines, and started again after
 * `restartDelayMs` (services started at once may fail on their first metadata round).
 */
export class ServiceProcesses {
  /** Exits nobody asked for, per process. */
  readonly crashes = new Map<string, number>();
  /** Kills by the runner, per process (each followed by a restart). */
  readonly kills = new Map<string, number>();
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(
    readonly specs: ProcessSpec[],
    private readonly options: ProcessesOptions,
  ) {
    for (const spec of specs) this.running.set(spec.name, { spec, killing: false });
  }

  get names(): string[] {
    return this.specs.map((s) => s.name);
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.spec(name).port}`;
  }

  logFile(name: string): string {
    return join(this.options.logDir, `${name}.log`);
  }

  /** Starts every process and waits until all answer ready (or throws after `timeoutMs`). */
  async start(timeoutMs = 120_000): Promise<void> {
    for (const r of this.running.values()) this.spawn(r);
    const ms = await this.waitReady(this.names, timeoutMs);
    if (ms === null)
      throw new Error(`not ready within ${timeoutMs / 1000} s: ${JSON.stringify(await this.readiness())}; logs in ${this.options.logDir}`);
    this.options.say(`${this.names.join(', ')} ready after ${(ms / 1000).toFixed(1)} s`);
  }

  /** GET /health/ready answers 200. */
  async ready(name: string): Promise<boolean> {
    try {
      const res = await fetch(`${this.url(name)}/health/ready`, { signal: AbortSignal.timeout(3_000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async readiness(): Promise<Record<string, boolean>> {
    const entries = await Promise.all(this.names.map(async (n) => [n, await this.ready(n)] as const));
    return Object.fromEntries(entries);
  }

  /** Milliseconds until every named process answers ready, or null when `timeoutMs` passed first. */
  async waitReady(names: string[] = this.names, timeoutMs = 60_000): Promise<number | null> {
    const t0 = Date.now();
    for (;;) {
      const states = await Promise.all(names.map((n) => this.ready(n)));
      if (states.every(Boolean)) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) return null;
      await sleep(200);
    }
  }

  /** kill -9, then a restart after the pause; resolves once the new process is spawned. */
  async kill(name: string): Promise<void> {
    const r = this.running.get(name)!;
    const respawned = new Promise<void>((resolve) => (r.respawned = resolve));
    r.killing = true;
    this.kills.set(name, (this.kills.get(name) ?? 0) + 1);
    r.child?.kill('SIGKILL');
    await respawned;
  }

  /** SIGTERM to all (SIGKILL after 15 s); nothing is restarted after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        const child = r.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /**
   * CPU seconds (user + system) each running process has used so far, from /proc (Linux; empty elsewhere).
   * The difference of two readings is what the services cost over a load.
   */
  cpuSeconds(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, r] of this.running) {
      if (!r.child?.pid) continue;
      try {
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${r.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        out.set(name, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // not Linux, or the process just exited
      }
    }
    return out;
  }

  private spec(name: string): ProcessSpec {
    const r = this.running.get(name);
    if (!r) throw new Error(`no process ${name}`);
    return r.spec;
  }

  private spawn(r: Running): void {
    const log = openSync(this.logFile(r.spec.name), 'a');
    const child = spawn(process.execPath, ['-r', join(this.options.repo, this.options.preload), join(this.options.repo, r.spec.main)], {
      cwd: this.options.repo,
      env: { ...process.env, ...r.spec.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    r.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      if (r.killing) {
        r.killing = false;
      } else {
        this.crashes.set(r.spec.name, (this.crashes.get(r.spec.name) ?? 0) + 1);
        this.options.say(
          `${r.spec.name} crashed (${signal ?? `exit ${code}`}); restarting it in ${(this.options.restartDelayMs ?? 1_000) / 1000} s. Last log lines:\n${this.tail(r.spec.name, 6)}`,
        );
      }
      setTimeout(() => {
        if (this.stopping) return;
        this.spawn(r);
        r.respawned?.();
        r.respawned = undefined;
      }, this.options.restartDelayMs ?? 1_000);
    });
  }

  private tail(name: string, lines: number): string {
    try {
      return readFileSync(this.logFile(name), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .map((l) => `    ${l.slice(0, 400)}`)
        .join('\n');
    } catch {
      return '    (no log)';
    }
  }
}

/** A TCP port nothing listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
