// A test file's own place on the shared servers: a fresh database of the real Postgres and a topic namespace
// of the real Kafka broker, where it starts its applications (each one a real Nest host, as `main.ts` runs it).
import { Host, PlatformConfig } from '@privatelink/platform';
import { dropDatabase, freshDatabase, startPostgres } from './postgres';
import { startKafka } from './kafka';
import { TestHostOptions, startTestHost, uniqueNamespace } from './test-host';

export type TestHost = Host & { config: PlatformConfig };

export interface TestScope {
  databaseUrl: string;
  brokers: string[];
  namespace: string;
  /** Starts an application on this scope's database and namespace (`env`: settings beyond the defaults). */
  startHost(processName: string, services: TestHostOptions['services'], env?: Record<string, string>): Promise<TestHost>;
  /** Drops the database (after the applications closed); never fails. */
  drop(): Promise<void>;
}

/** Makes sure Postgres and Kafka run and opens a scope of their own for `label` (a database and a namespace). */
export async function freshScope(label: string): Promise<TestScope> {
  const { url } = await startPostgres();
  const { brokers } = await startKafka();
  return scopeOf({ databaseUrl: await freshDatabase(url, label), brokers, namespace: uniqueNamespace(label) });
}

function scopeOf(place: Pick<TestScope, 'databaseUrl' | 'brokers' | 'namespace'>): TestScope {
  return {
    ...place,
    startHost: (processName, services, env) => startTestHost({ processName, services, ...place, env }),
    drop: () => dropDatabase(place.databaseUrl).catch(() => undefined),
  };
}
