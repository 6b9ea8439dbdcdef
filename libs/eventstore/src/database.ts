import { DataSource, MigrationInterface } from 'typeorm';
import { assertSqlIdentifier } from './sql';
import { eventStoreMigrations } from './migrations';
import { tracePool } from './trace-stats';

export interface ServiceDatabaseOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Each service owns one schema; no service reads another's tables (DESIGN.md section 2). */
  schema: string;
  /** Migrations of the service's own tables (projections, ledgers); the event store's come first. */
  migrations?: Array<new () => MigrationInterface>;
  poolSize?: number;
  applicationName?: string;
  /** false for a second pool on a schema another pool of this process has migrated already. */
  migrate?: boolean;
}

/**
 * Opens the service's connection pool with `search_path` set to its schema, creates the schema and
 * runs the migrations under an advisory lock, so replicas starting together do not race.
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const schema = assertSqlIdentifier(options.schema, 'database schema');
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    applicationName: options.applicationName ?? schema,
    migrations: [...eventStoreMigrations, ...(options.migrations ?? [])],
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    // A burst wider than the pool waits for a free connection (back pressure) rather than failing as if the
    // database were down; a database that is really down refuses new connections at once anyway.
    extra: { options: `-c search_path=${schema},public`, connectionTimeoutMillis: 30_000 },
  });
  await dataSource.initialize();
  keepConnectionErrorsFromEndingTheProcess(
    (dataSource.driver as unknown as { master?: Parameters<typeof keepConnectionErrorsFromEndingTheProcess>[0] }).master,
  );
  if (options.migrate === false) return dataSource;
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await lock.release();
    await dataSource.destroy();
    throw error;
  }
  await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
  await lock.release();
  tracePool((dataSource.driver as unknown as { master?: PoolCounts }).master);
  return dataSource;
}

interface ClientEvents {
  on(event: 'error', listener: (error: Error) => void): void;
}

/**
 * pg-pool takes its own 'error' listener off a client while the client is checked out, and an 'error' event
 * with no listener ends the process. A server restart can emit one on a checked-out connection after its
 * user's listener is gone (seen as endpoint-api crashing during a Postgres restart in the chaos run). The
 * statement that uses the connection fails on its own and is handled as an outage; this listener only
 * keeps the event itself from being fatal. Every client gets it on its first checkout.
 */
function keepConnectionErrorsFromEndingTheProcess(
  pool: { on(event: 'acquire', listener: (client: ClientEvents) => void): void } | undefined,
) {
  const guarded = new WeakSet<ClientEvents>();
  pool?.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', () => undefined);
  });
}

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}
