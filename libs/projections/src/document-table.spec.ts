import { documentTable } from './document-table';

describe('documentTable', () => {
  it('creates the id and doc columns, the generated columns in order and the named indexes', () => {
    expect(
      documentTable('rm_things', {
        columns: { owner_account_id: 'ownerAccountId', service_id: 'scope.serviceId', usage: { path: 'usage', type: 'integer' } },
        indexes: { owner: ['owner_account_id', 'id'], service: ['service_id'] },
      }),
    ).toEqual([
      `CREATE TABLE rm_things (id text PRIMARY KEY, doc jsonb NOT NULL, ` +
        `owner_account_id text GENERATED ALWAYS AS (doc->>'ownerAccountId') STORED, ` +
        `service_id text GENERATED ALWAYS AS (doc->'scope'->>'serviceId') STORED, ` +
        `usage integer GENERATED ALWAYS AS ((doc->>'usage')::integer) STORED)`,
      `CREATE INDEX rm_things_owner ON rm_things (owner_account_id, id)`,
      `CREATE INDEX rm_things_service ON rm_things (service_id)`,
    ]);
  });

  it('is the bare document table without columns, and refuses a table name that is not an identifier', () => {
    expect(documentTable('cb_things')).toEqual(['CREATE TABLE cb_things (id text PRIMARY KEY, doc jsonb NOT NULL)']);
    expect(() => documentTable('rm-things')).toThrow('projection table "rm-things"');
  });
});
