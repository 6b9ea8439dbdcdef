import { DataSource } from 'typeorm';
import { PageTokens, parseFilters, parseMaxResults } from '@privatelink/platform';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** A page of a list as a route or an EC2 action asks for it: the filters `parseFilters` read, the page's size and token. */
export interface ListRequest {
  filters: Map<string, string[]>;
  maxResults: number;
  nextToken?: string;
}

/** The list request of a query string: `filter.<name>` (only the allowed names), `maxResults`, `nextToken`. */
export function listRequestOf(query: Record<string, unknown>, allowed: readonly string[]): ListRequest {
  const filters = parseFilters(query, allowed);
  return { filters, maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) };
}

/** `nextToken` of a query string (a repeated one is no token). */
export function nextTokenOf(query: Record<string, unknown>): string | undefined {
  return typeof query.nextToken === 'string' ? query.nextToken : undefined;
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

/**
 * The WHERE clauses of consumer discovery: Available services whose allowed principals contain `*`, the
 * caller's account root or the caller's exact ARN. Each is a jsonb containment the GIN index
 * `rm_endpoint_services_principals` answers, so the query does not scan every service.
 */
export function discoverableBy(caller: { principal: string; accountId: string }, params: unknown[]): string[] {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const allowedBy = ['*', `arn:aws:iam::${caller.accountId}:root`, caller.principal].map(
    (principal) => `(doc->'allowedPrincipals') @> ${param(JSON.stringify([{ principal }]))}::jsonb`,
  );
  return [`service_state = 'Available'`, `(${allowedBy.join(' OR ')})`];
}
