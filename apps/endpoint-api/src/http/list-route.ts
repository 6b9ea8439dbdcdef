import { Controller, Inject } from '@nestjs/common';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ZodType } from 'zod';
import { Caller, Ctx, PageTokens, RequestContext, parseMaxResults, z } from '@privatelink/platform';
import { ListRequest, Page, listRequestOf, nextTokenOf } from '../projections/queries';
import { jsonResponse } from './openapi-helpers';
import { Input, InputOf, PathParam, ProviderClass, Route, RouteSpec, defineRoute, listQuery } from './route';

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

type RouteResponse = RouteConfig['responses'][number];

/** The reads of a collection of the caller's resources (see `collectionReads`). */
export interface CollectionReadsSpec<Q, Pg extends Page<unknown>, K extends string, V, N extends string> extends Pick<
  ListRouteSpec<Record<never, PathParam>>,
  'path' | 'roles' | 'tags' | 'summary' | 'description' | 'filterNotes'
> {
  filters: readonly string[];
  /** The page's items are under `key`, each `item` in the API document; the page is named `pageName` there. */
  key: K;
  item: ZodType;
  pageName: string;
  /** The caller's page (the filters and page the query asks for), and each of its items as the page shows it. */
  page(queries: Q, caller: Caller, request: ListRequest): Promise<Pg>;
  view(item: Pg['items'][number], page: Pg): V;
  /** One of them: `GET <path>/{<param>}`, answering what `read` answers (`response`), else `notFound`. */
  one: {
    param: N;
    schema: PathParam;
    summary: string;
    response: RouteResponse;
    notFound: RouteResponse;
    read(queries: Q, id: string, caller: Caller): Promise<unknown>;
  };
}

/**
 * The two reads of a collection, as one controller over the `queries` provider: its list (`GET <path>`, a
 * page `{ <key>: [item], nextToken }` filtered by `filters`) and one of its resources (`GET <path>/{<param>}`,
 * with the same roles and tags). The controller's methods are `list` and `get` (as the wire APIs run them).
 */
export function collectionReads<Q, Pg extends Page<unknown>, K extends string, V, N extends string>(
  queries: ProviderClass<Q>,
  spec: CollectionReadsSpec<Q, Pg, K, V, N>,
) {
  const { key, item, pageName, page, view, one, ...listed } = spec;
  const listSpec = listRoute({ ...listed, page: pageSchema(key, item).openapi(pageName) });
  const oneSpec = defineRoute({
    method: 'get',
    path: `${spec.path}/{${one.param}}`,
    roles: spec.roles,
    tags: spec.tags,
    summary: one.summary,
    params: { [one.param]: one.schema } as Record<N, PathParam>,
    responses: { 200: one.response, 404: one.notFound },
  });

  @Controller()
  class CollectionReads {
    constructor(@Inject(queries) readonly queries: Q) {}

    @Route(listSpec)
    async list(@Input() { query }: InputOf<typeof listSpec>, @Ctx() ctx: RequestContext) {
      const found = await page(this.queries, ctx.caller, listRequestOf(query, spec.filters));
      return pageAnswer(key, found, (each) => view(each, found));
    }

    @Route(oneSpec)
    get(@Input() { params }: InputOf<typeof oneSpec>, @Ctx() ctx: RequestContext) {
      return one.read(this.queries, params[one.param], ctx.caller);
    }
  }
  return CollectionReads;
}
