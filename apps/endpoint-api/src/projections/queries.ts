import { DataSource } from 'typeorm';
import { PageTokens } from '@privatelink/platform';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Keyset-paginated reads of a document read model: rows after the token's id, in id order, so a page
 * never repeats or skips a row that existed throughout, whatever is written meanwhile.
 */
export async function pageOfDocuments<T>(
  db: DataSource,
  tokens: PageTokens,
  query: { table: string; where: string[]; params: unknown[]; maxResults: number; nextToken?: string; fingerprint: string },
): Promise<Page<T>> {
  const after = tokens.decode(query.nextToken, query.fingerprint);
  const params = [...query.params];
  const where = [...query.where];
  if (after !== null) {
    params.push(after);
    where.push(`id > $${params.length}`);
  }
  params.push(query.maxResults + 1);
  const rows: Array<{ id: string; doc: T }> = await db.query(
    `SELECT id, doc FROM ${query.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, query.maxResults);
  return {
    items: items.map((r) => r.doc),
    nextToken: rows.length > query.maxResults ? tokens.encode(items[items.length - 1].id, query.fingerprint) : undefined,
  };
}
