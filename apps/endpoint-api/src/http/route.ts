import {
  Controller,
  ExecutionContext,
  HttpCode,
  Inject,
  RequestMapping,
  RequestMethod,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Request } from 'express';
import { ZodType, ZodString } from 'zod';
import { Ctx, RequestContext, Role, Roles, StringRulePipe, registerRoute, z } from '@privatelink/platform';
import { jsonBody } from './openapi-helpers';
import { parseBody, parseOptionalBody } from './validation';

/** A path parameter: its schema in the API document, and the domain's check of its form (a 400 naming it). */
export interface PathParam {
  schema: ZodString;
  check?: (value: string, field: string) => void;
}

/**
 * One route, declared once: the API document's entry (registered with the platform's error responses), the
 * Nest route, the roles that may call it, its success status and the schemas of its input.
 */
export interface RouteSpec<P extends Record<string, PathParam> = Record<string, PathParam>, B = unknown> extends Omit<
  RouteConfig,
  'method' | 'path' | 'request'
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The path as the API document writes it: `/v1/provider/endpoint-services/{serviceId}/connections:accept`. */
  path: string;
  roles: Role[];
  /** The status of a success (default: the lowest 2xx of `responses`); an `Answer` may name another. */
  status?: number;
  params?: P;
  /** Only for the API document: the query parameters (filters and pages are checked by their own parsers). */
  query?: z.ZodObject;
  body?: ZodType<B>;
  /** A body the API document marks `required: false` (none is `{}`). */
  optionalBody?: boolean;
  /** Anything else of the document's request (headers). */
  headers?: z.ZodObject;
}

/** What `@Input()` hands a route: its path parameters (checked) and its body (parsed), and the raw query. */
export interface RouteInput<P, B> {
  params: { [K in keyof P]: string };
  body: B;
  query: Record<string, unknown>;
}

/** The input type of a declared route: `@Input() input: InputOf<typeof route>`. */
export type InputOf<S> = S extends RouteSpec<infer P, infer B> ? RouteInput<P, B> : never;

/** Declares a route's spec (for `InputOf` to infer its types). */
export function defineRoute<P extends Record<string, PathParam> = Record<never, PathParam>, B = undefined>(
  spec: RouteSpec<P, B>,
): RouteSpec<P, B> {
  return spec;
}

const ROUTE = 'endpoint-api:route';
const METHODS = {
  get: RequestMethod.GET,
  post: RequestMethod.POST,
  put: RequestMethod.PUT,
  patch: RequestMethod.PATCH,
  delete: RequestMethod.DELETE,
} as const;

/** `/v1/x/{id}/y:accept` → `/v1/x/:id/y\:accept` (Express's syntax: a literal colon is escaped). */
export function expressPath(path: string): string {
  return path.replace(/:/g, '\\:').replace(/\{([A-Za-z]+)\}/g, ':$1');
}

function successStatus(spec: RouteSpec<Record<string, PathParam>, unknown>): number {
  if (spec.status) return spec.status;
  const codes = Object.keys(spec.responses)
    .map(Number)
    .filter((c) => c >= 200 && c < 300)
    .sort((a, b) => a - b);
  return codes[0] ?? 200;
}

/** The route decorator: registers the API document's entry and the Nest route from the one spec. */
export function Route<P extends Record<string, PathParam>, B>(spec: RouteSpec<P, B>): MethodDecorator {
  const { roles, status, params, query, body, optionalBody, headers, ...document } = spec;
  const request: RouteConfig['request'] = {
    ...(params && { params: z.object(Object.fromEntries(Object.entries(params).map(([name, p]) => [name, p.schema]))) }),
    ...(query && { query }),
    ...(headers && { headers }),
    ...(body && (optionalBody ? { body: { required: false, content: { 'application/json': { schema: body } } } } : jsonBody(body))),
  };
  registerRoute({ ...document, ...(Object.keys(request).length > 0 && { request }) });
  return applyDecorators(
    RequestMapping({ path: expressPath(spec.path), method: METHODS[spec.method] }),
    Roles(...roles),
    HttpCode(successStatus(spec as RouteSpec)),
    SetMetadata(ROUTE, spec),
  );
}

const stringRule = new StringRulePipe();

/**
 * The route's input, checked in one place and one order: the string rule on everything the request carries
 * (as the platform's pipe holds every parameter to it), then the path parameters' form, then the body
 * against its schema (unknown fields refused; a route that declares a body needs one).
 */
export const Input = createParamDecorator((_: unknown, context: ExecutionContext): RouteInput<Record<string, PathParam>, unknown> => {
  const spec = Reflect.getMetadata(ROUTE, context.getHandler()) as RouteSpec | undefined;
  if (!spec) throw new Error(`@Input() on ${context.getHandler().name}, a method without @Route()`);
  const req = context.switchToHttp().getRequest<Request>();
  return checkedRouteInput(spec, { params: req.params, query: req.query, body: req.body });
});

/** The class of a provider a controller injects (its constructor may be private, as the runtime's is). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's injection token: a class, whatever its constructor
export type ProviderClass<T> = Function & { prototype: T };

/** A route method of a controller made by `handlerRoutes`: the checked input and the request's context. */
type HandlerMethod<S, R> = (input: InputOf<S>, ctx: RequestContext) => R;

/**
 * The controller of routes whose whole work is one provider's (a handler, or the queries of a read): `routes`
 * names each route's method and spec, and each hands `run` the provider and its checked input (`@Input()`,
 * `@Ctx()`) to make the answer.
 */
export function handlerRoutes<H, S extends Record<string, RouteSpec<Record<string, PathParam>, unknown>>, R>(
  handler: ProviderClass<H>,
  routes: S,
  run: (handler: H, input: InputOf<S[keyof S]>, ctx: RequestContext) => R,
): new (handler: H) => { [K in keyof S]: HandlerMethod<S[K], R> } {
  class HandlerRoutes {
    constructor(@Inject(handler) readonly handler: H) {}
  }
  const methods = HandlerRoutes.prototype as unknown as Record<string, unknown>;
  for (const [name, spec] of Object.entries(routes)) {
    methods[name] = function (this: HandlerRoutes, input: InputOf<S[keyof S]>, ctx: RequestContext) {
      return run(this.handler, input, ctx);
    };
    Input()(methods, name, 0);
    Ctx()(methods, name, 1);
    Route(spec)(methods, name, Object.getOwnPropertyDescriptor(methods, name)!);
  }
  Controller()(HandlerRoutes);
  return HandlerRoutes as never;
}

/** The controller of one route whose whole work is one handler's (see `handlerRoutes`); its method is `handle`. */
export function handlerRoute<H, S extends RouteSpec<Record<string, PathParam>, unknown>, R>(
  handler: ProviderClass<H>,
  spec: S,
  run: (handler: H, input: InputOf<S>, ctx: RequestContext) => R,
) {
  return handlerRoutes(handler, { handle: spec }, run);
}

/** The checks of `@Input()` on a request's parts, for a caller that is not HTTP (the wire APIs run the same routes). */
export function checkedRouteInput(
  spec: RouteSpec,
  raw: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown },
): RouteInput<Record<string, PathParam>, unknown> {
  const names = Object.keys(spec.params ?? {});
  for (const name of names) stringRule.transform(raw.params?.[name], { type: 'param', data: name });
  if (spec.query) stringRule.transform(raw.query, { type: 'query' });
  if (spec.body) stringRule.transform(raw.body, { type: 'body' });
  const params: Record<string, string> = {};
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    const value = String(raw.params?.[name]);
    param.check?.(value, name);
    params[name] = value;
  }
  const body = spec.body ? (spec.optionalBody ? parseOptionalBody(spec.body, raw.body) : parseBody(spec.body, raw.body)) : undefined;
  return { params, body, query: (raw.query ?? {}) as Record<string, unknown> };
}

/** The spec and success status of a method declared with `@Route()`. */
export function routeOf(method: unknown): { spec: RouteSpec; status: number } {
  const spec = Reflect.getMetadata(ROUTE, method as object) as RouteSpec | undefined;
  if (!spec) throw new Error('not a method declared with @Route()');
  return { spec, status: successStatus(spec) };
}

/**
 * The query of a list route in the API document: `maxResults`, `nextToken` and a `filter.<name>` per
 * filter it accepts (`tag:<key>` is described in the route's text; it has no fixed name).
 */
export function listQuery(filters: readonly string[]): z.ZodObject {
  const named = filters.filter((f) => f !== 'tag:<key>').map((f) => [`filter.${f}`, z.string().optional()] as const);
  return z.object({ maxResults: z.string().optional(), nextToken: z.string().optional(), ...Object.fromEntries(named) });
}
