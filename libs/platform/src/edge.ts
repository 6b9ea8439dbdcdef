import { ArgumentMetadata, HttpException, Injectable, PipeTransform } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { DomainError, findStringProblem } from '@privatelink/domain';
import { isDecompressionError, isRouted, requestIdOf } from './http-errors';
import { Metrics } from './metrics';

// What every request meets before a controller: the string rule on everything it carries, the
// method and media type checks, and the count of requests refused before routing.

/**
 * The string rule (libs/domain/src/text.ts) on every body, query string and path parameter, before the
 * handler runs (so before anything is written or queued). Bodies: every string is text, every field name a
 * name; query strings and path parameters are names, keys and ids throughout. The route's own schema then
 * holds names and ids inside the body to the stricter rule (see `nameString` in openapi.ts).
 */
@Injectable()
export class StringRulePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body') refuseBadString(value, 'text', metadata.data ?? '');
    else if (metadata.type === 'param') refuseBadString(value, 'name', metadata.data ?? '');
    else if (metadata.type === 'query') refuseBadString(value, 'name', metadata.data ?? '');
    return value;
  }
}

function refuseBadString(value: unknown, kind: 'text' | 'name', path: string): void {
  const found = findStringProblem(value, kind, path);
  if (!found) return;
  const field = found.field || (kind === 'text' ? 'body' : 'query');
  throw new DomainError('InvalidParameterValue', `${field}: ${found.problem}`, field);
}

/** Marks a request refused before routing, for `privatelink_http_requests_refused_total{reason}`. */
export function markRefused(req: Request, reason: RefusalReason): void {
  (req as Request & { refusedReason?: RefusalReason }).refusedReason = reason;
}

export type RefusalReason =
  | 'no-such-route'
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'malformed-body'
  | 'body-too-large'
  | 'bad-content-encoding'
  | 'bad-path-encoding'
  | 'other';

/** Counts a request answered without reaching a route handler (called when the response finishes). */
export function countRefusal(metrics: Metrics, req: Request, status: number): void {
  if (isRouted(req)) return;
  const marked = (req as Request & { refusedReason?: RefusalReason }).refusedReason;
  if (!marked && status < 400) return; // the API document, /docs assets: served, not refused
  metrics.httpRefused.inc({ reason: marked ?? (status === 404 ? 'no-such-route' : 'other') });
}

/** `application/json` or a `+json` type, with any parameters (charset). */
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * A body must be JSON: anything else (text/plain, a form, no Content-Type) is a 415 before the body parser
 * runs, instead of a request that silently parses as no body.
 */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req)) return next();
  const type = req.headers['content-type'];
  if (typeof type === 'string' && JSON_TYPE.test(type)) return next();
  markRefused(req, 'unsupported-media-type');
  res.status(415).json({
    code: 'InvalidParameterValue',
    message: type
      ? `Content-Type ${type.slice(0, 100)} is not accepted: send the body as application/json`
      : 'the request has a body but no Content-Type: send it as application/json',
    requestId: requestIdOf(req),
    field: 'Content-Type',
  });
}

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * A path the API serves, asked with a method it does not serve, is a 405 naming the methods in `Allow`
 * (a 404 would say the resource is not there). The routes are read from Express's router at request time,
 * so every controller's routes count, whichever module registered them.
 */
export function refuseUndeclaredMethods(router: () => { stack: RouteLayer[] } | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stack = router()?.stack ?? [];
    const methods = new Set<string>();
    const path = req.path;
    for (const layer of stack) {
      // Wildcard routes are middleware mounted for every path (request logging), not operations.
      if (!layer.route || String(layer.route.path).includes('*')) continue;
      let matches = false;
      try {
        matches = layer.match(path);
      } catch {
        matches = false; // a %-encoding that does not decode: the router answers it (400)
      }
      if (!matches) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
    }
    if (methods.size === 0) return next();
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.has(req.method)) return next();
    const allow = [...methods].sort().join(', ');
    markRefused(req, 'method-not-allowed');
    res.setHeader('Allow', allow);
    res.status(405).json({
      code: 'MethodNotAllowed',
      message: `${req.method} is not served on this path; it serves ${allow}`,
      requestId: requestIdOf(req),
    });
  };
}

/**
 * Refusal reason of an error raised before routing: body-parser's and the router's own errors, or Nest's
 * HttpExceptions made of them (Nest turns a JSON SyntaxError and a path's URIError into a bare 400).
 */
export function refusalReasonOf(error: unknown): RefusalReason {
  const e = error as { type?: string; code?: string; name?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return 'malformed-body';
  if (e?.type === 'entity.too.large') return 'body-too-large';
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return 'unsupported-media-type';
  if (isDecompressionError(error)) return 'bad-content-encoding';
  if (e?.name === 'URIError') return 'bad-path-encoding';
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return 'no-such-route';
    if (status === 413) return 'body-too-large';
    if (status === 415) return 'unsupported-media-type';
    if (status === 400) return /Failed to decode param/.test(error.message) ? 'bad-path-encoding' : 'malformed-body';
  }
  return 'other';
}
