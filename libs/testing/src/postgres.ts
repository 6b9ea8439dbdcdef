// PostgreSQL for integration tests: PRIVATELINK_TEST_PG_URL, else testcontainers (Docker engine
// present), else scripts/infra/postgres.sh (Debian's PostgreSQL on 127.0.0.1:55432).
import { randomBytes } from 'node:crypto';
import { infraScript, useContainers } from './infra';
import { pgQuery, quoteIdent, withDatabase } from './pg';

export interface PostgresInfo {
  /** URL of the shared database `privatelink`; use freshDatabase(url) for a database of your own. */
  url: string;
}

const PG_IMAGE = process.env.PRIVATELINK_TEST_PG_IMAGE ?? 'postgres:18-alpine';

/**
 * Makes sure a PostgreSQL server runs and returns the URL of its `privatelink` database (user and
 * password `privatelink`, allowed to create databases). Idempotent and cheap when it already runs.
 */
export async function startPostgres(): Promise<PostgresInfo> {
  const fromEnv = process.env.PRIVATELINK_TEST_PG_URL;
  if (fromEnv) return { url: fromEnv };
  if (await useContainers()) return { url: await startPostgresContainer() };
  const url = await infraScript('postgres', 'start');
  if (!url.startsWith('postgres://')) throw new Error(`postgres.sh start printed no URL: ${url}`);
  return { url };
}

async function startPostgresContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  // withReuse: one container for every test file and run (testcontainers finds it by its config).
  const container = await new GenericContainer(PG_IMAGE)
    .withEnvironment({ POSTGRES_USER: 'privatelink', POSTGRES_PASSWORD: 'privatelink', POSTGRES_DB: 'privatelink' })
    .withCommand(['postgres', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'])
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(120_000)
    .withReuse()
    .start();
  return `postgres://privatelink:privatelink@${container.getHost()}:${container.getMappedPort(5432)}/privatelink`;
}

const PREFIX = 'pltest_';
let swept = false;

/**
 * Creates a new, empty database on the server of `baseUrl` (connecting with its credentials, which
 * become the owner) and returns its URL. The name is unique: `pltest_<name>_<time>_<random>`, where
 * `name` (optional) is sanitised to [a-z0-9_]. Give each integration test file its own database.
 * Once per process, databases made by this function more than a day ago are dropped, so a
 * long-lived local server does not fill up.
 */
export async function freshDatabase(baseUrl: string, name?: string): Promise<string> {
  const label =
    (name ?? 'db')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'db';
  const stamp = Math.floor(Date.now() / 1000).toString(36);
  const db = `${PREFIX}${label}_${stamp}_${randomBytes(4).toString('hex')}`;
  if (!swept) {
    swept = true;
    await dropStaleDatabases(baseUrl).catch(() => undefined);
  }
  await pgQuery(baseUrl, `CREATE DATABASE ${quoteIdent(db)}`);
  return withDatabase(baseUrl, db);
}

/** Drops the database that `url` points at (closing its connections first). */
export async function dropDatabase(url: string): Promise<void> {
  const db = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const admin = withDatabase(url, 'postgres');
  await pgQuery(admin, `DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`);
}

async function dropStaleDatabases(baseUrl: string): Promise<void> {
  const dayAgo = Math.floor(Date.now() / 1000) - 24 * 3600;
  const rows = await pgQuery<{ datname: string }>(
    baseUrl,
    `SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
      WHERE r.rolname = current_user AND datname LIKE '${PREFIX}%'`,
  );
  for (const { datname } of rows) {
    const stamp = datname?.split('_').at(-2);
    if (!datname || !stamp || parseInt(stamp, 36) > dayAgo) continue;
    await pgQuery(baseUrl, `DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`).catch(() => undefined);
  }
}
