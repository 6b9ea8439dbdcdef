// A PostgreSQL server of a test's own, for outage tests that stop and restart it: never the shared server
// of startPostgres(). Debian's binaries (scripts/infra/postgres.sh installs them), a fresh cluster in a
// temporary folder on a free loopback port, trust authentication, role and database `privatelink`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infraScript } from './infra';
import { pgQuery } from './pg';

export interface DisposablePostgres {
  /** postgres://privatelink:privatelink@127.0.0.1:<port>/privatelink */
  url: string;
  port: number;
  /** Fast shutdown (connections are terminated, as in a restart); data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function exec(file: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  // initdb and pg_ctl refuse to run as root: run them as the postgres OS user.
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) =>
    execFile(cmd, argv, { cwd: '/', timeout: 120_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout))),
  );
}

function freePort(): Promise<number> {
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

/** Creates and starts a PostgreSQL cluster of the caller's own (`label` names its folder). */
export async function startDisposablePostgres(label = 'disposable'): Promise<DisposablePostgres> {
  let bin = binDir();
  if (!bin) {
    await infraScript('postgres', 'start'); // installs Debian's binaries when missing (idempotent)
    bin = binDir();
  }
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), `${label.replace(/[^a-z0-9-]/gi, '-')}-pg-`));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  if (process.getuid?.() === 0) {
    const { execFileSync } = await import('node:child_process');
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    writeFileSync(log, '');
    chownSync(log, uid, gid);
  }
  await exec(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale']);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=100 -c fsync=off -c shared_buffers=32MB`;
  const start = async () => {
    await exec(join(bin!, 'pg_ctl'), ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options]);
  };
  const stop = async () => {
    await exec(join(bin!, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
  };
  await start();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await pgQuery(admin, `CREATE ROLE privatelink LOGIN CREATEDB PASSWORD 'privatelink'`);
  await pgQuery(admin, `CREATE DATABASE privatelink OWNER privatelink`);
  let disposed = false;
  return {
    url: `postgres://privatelink:privatelink@127.0.0.1:${port}/privatelink`,
    port,
    stop,
    start,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
