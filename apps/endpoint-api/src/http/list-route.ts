import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ZodType } from 'zod';
import { PageTokens, parseMaxResults, z } from '@privatelink/platform';
import { Page, nextTokenOf } from '../projections/queries';
import { jsonResponse } from './openapi-helpers';
import { PathParam, RouteSpec, listQuery } from './route';

/** The query of a list without filters in the API document: `maxResults` and `nextToken`. */
export const pageQuery = listQuery([]);

/** A page of a list in the API document: `{ <key>: [item], nextToken? }`. */
export function pageSchema(key: string, item: ZodType) {
  return z.object({ [key]: z.array(item), nextToken: z.string().optional() });
}

/** A page as a list route answers it: `{ <key>: the items in their view, nextToken }`. */
export function pageAnswer<K extends string, T, V>(key: K, page: Page<T>, view: (item: T) => V) {
  return { [key]: page.items.map(view), nextToken: page.nextToken } as { [P in K]: V[] } & { nextToken?: string };
}

/** A list route: a `get` whose query is the page's and the filters', and whose success is a page. */
export interface ListRouteSpec<P extends Record<string, PathParam>> extends Omit<
  RouteSpec<P, undefined>,
  'method' | 'query' | 'responses' | 'body' | 'optionalBody'
> {
  /**
   * The `filter.<name>`s it accepts (none: only the page's parameters). The document's description lists
   * them first (each with its note of `filterNotes` in parentheses), then `description`.
   */
  filters?: readonly string[];
  filterNotes?: Record<string, string>;
  /** Only for the API document: query parameters of its own besides the page's (the route parses them). */
  query?: z.ZodObject;
  /** The page's schema in the API document, and its description (default: "a page"). */
  page: ZodType;
  pageDescription?: string;
  /** The responses besides the page (the 404 of the resource listed under). */
  responses?: RouteConfig['responses'];
}

/** Declares a list route (`GET`, the page query, a page answered with 200). */
export function listRoute<P extends Record<string, PathParam> = Record<never, PathParam>>(spec: ListRouteSpec<P>): RouteSpec<P, undefined> {
  const { filters = [], filterNotes = {}, query, page, pageDescription = 'a page', responses, ...rest } = spec;
  const pageParams = listQuery(filters);
  const named = filters.map((f) => `filter.${f}${filterNotes[f] ? ` (${filterNotes[f]})` : ''}`);
  const description = [named.length > 0 && `Filters: ${named.join(', ')}.`, rest.description].filter(Boolean).join(' ');
  return {
    method: 'get',
    ...rest,
    ...(description && { description }),
    query: query ? pageParams.extend(query.shape) : pageParams,
    responses: { 200: jsonResponse(pageDescription, page), ...responses },
  };
}

/**
 * A keyset page: `read` answers the rows after the token's key, in key order, at most `limit` of them; one
 * more row than the page asks for says that a next page exists, whose token is the page's last key (bound
 * to `fingerprint`, so a token of another query is refused).
 */
export async function keysetPage<R>(
  tokens: PageTokens,
  query: Record<string, unknown>,
  fingerprint: string,
  read: (after: string | null, limit: number) => Promise<R[]> | R[],
  keyOf: (row: R) => string,
): Promise<Page<R>> {
  const maxResults = parseMaxResults(query.maxResults);
  const after = tokens.decode(nextTokenOf(query), fingerprint);
  const rows = await read(after, maxResults + 1);
  const items = rows.slice(0, maxResults);
  return { items, nextToken: rows.length > maxResults ? tokens.encode(keyOf(items[items.length - 1]), fingerprint) : undefined };
}

/** The page a query string asks for: `maxResults` (checked) and `nextToken` (its filters are the route's own business). */
export function pageRequestOf(query: Record<string, unknown>): { maxResults: number; nextToken?: string } {
  return { maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) };
}
