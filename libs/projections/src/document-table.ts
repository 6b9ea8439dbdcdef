import { assertSqlIdentifier } from '@privatelink/eventstore';

/**
 * A generated filter column of a document table: the document's value at a dotted path (`scope.serviceId`
 * reads `doc->'scope'->>'serviceId'`), as text, or cast to `type`.
 */
export type DocumentColumn = string | { path: string; type: 'integer' };

export interface DocumentTableSpec {
  /** The generated columns, by column name, in table order. */
  columns?: Record<string, DocumentColumn>;
  /** The indexes, by name (`<table>_<name>`): the columns they cover, in order. */
  indexes?: Record<string, string[]>;
}

/**
 * The statements that create a document projection's table (`id text primary key, doc jsonb not null`, see
 * DocumentProjection) with its generated filter columns and their indexes, for a migration's `up`.
 */
export function documentTable(table: string, spec: DocumentTableSpec = {}): string[] {
  assertSqlIdentifier(table, 'projection table');
  const columns = Object.entries(spec.columns ?? {}).map(([name, column]) => `${name} ${generatedColumn(column)}`);
  return [
    `CREATE TABLE ${table} (${['id text PRIMARY KEY', 'doc jsonb NOT NULL', ...columns].join(', ')})`,
    ...Object.entries(spec.indexes ?? {}).map(([name, on]) => `CREATE INDEX ${table}_${name} ON ${table} (${on.join(', ')})`),
  ];
}

function generatedColumn(column: DocumentColumn): string {
  const { path, type } = typeof column === 'string' ? { path: column, type: 'text' } : column;
  const keys = path.split('.').map((key) => `'${key}'`);
  const text = ['doc', ...keys.slice(0, -1)].join('->') + `->>${keys[keys.length - 1]}`;
  const value = type === 'text' ? text : `(${text})::${type}`;
  return `${type} GENERATED ALWAYS AS (${value}) STORED`;
}
