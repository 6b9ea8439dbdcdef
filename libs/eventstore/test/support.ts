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

/** Who appends in these tests (the metadata of their events). */
export const meta = { metadata: { principal: 'arn:aws:iam::111122223333:root', correlationId: 'c-1', causationId: null } };

/**
 * The event store of a spec file's `describe`: opened (see openTestEventStore) before its tests, its
 * database closed after them; its fields are there once the tests run.
 */
export function eventStoreForSpec(label: string, schema: string, poolSize: number): TestEventStore {
  const opened = {} as TestEventStore;
  beforeAll(async () => {
    Object.assign(opened, await openTestEventStore(label, schema, poolSize));
  });
  afterAll(() => opened.db?.destroy());
  return opened;
}

/** Opens an event store on a fresh database named after `label` (the caller destroys `db`). */
export async function openTestEventStore(label: string, schema: string, poolSize: number): Promise<TestEventStore> {
  const { url } = await startPostgres();
  const databaseUrl = await freshDatabase(url, label);
  const db = await openServiceDatabase({ url: databaseUrl, schema, poolSize });
  return { databaseUrl, db, store: new EventStore(db) };
}
