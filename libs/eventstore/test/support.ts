// Shared set-up of the event store's integration tests: a fresh database of the real Postgres with the
// event store's tables in a schema of the test file's own.
import { DataSource } from 'typeorm';
import { EventStore, openServiceDatabase } from '@privatelink/eventstore';
import { freshDatabase, startPostgres } from '@privatelink/testing';

export interface TestEventStore {
  databaseUrl: string;
  db: DataSource;
  store: EventStore;
}

/** Opens an event store on a fresh database named after `label` (the caller destroys `db`). */
export async function openTestEventStore(label: string, schema: string, poolSize: number): Promise<TestEventStore> {
  const { url } = await startPostgres();
  const databaseUrl = await freshDatabase(url, label);
  const db = await openServiceDatabase({ url: databaseUrl, schema, poolSize });
  return { databaseUrl, db, store: new EventStore(db) };
}
