import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { Request, Response } from 'express';
import { ZodError } from 'zod';
import { DomainError, ErrorCode, httpStatusFor } from '@privatelink/domain';
import { StreamVersionConflict } from '@privatelink/eventstore';
import { classifyFailure, FailureClass } from '@privatelink/messaging';

/** The one error shape of the API (DESIGN.md section 6). */
export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  requestId: string;
  field?: string;
  details?: Record<string, unknown>;
}

export function requestIdOf(req: Request): string {
  return String((req as Request & { id?: unknown }).id ?? req.headers['x-request-id'] ?? 'unknown');
}

/** Zod issue → the error our API answers: the first problem, with the field path named. */
export function domainErrorFromZod(error: ZodError, prefix = ''): DomainError {
  const issue = error.issues[0];
  const pathOf = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))].filter(Boolean).join('.').replace(/\.\[/g, '[');
  const field = pathOf(issue.path);
  if (issue.code === 'unrecognized_keys') {
    // The field is the first unknown one itself (`subnets[0].colour`), so a client can point at it.
    const message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${field ? ` in ${field}` : ''}`;
    return new DomainError('InvalidParameterValue', message, pathOf([...issue.path, issue.keys[0]]));
  }
  const message = `${field || 'request'}: ${issue.message}`;
  return new DomainError(
    issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'MissingParameter' : 'InvalidParameterValue',
    message,
    field || 'body',
  );
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** Set when the request failed because a dependency is unavailable (503 ServiceUnavailable). */
  unavailable?: FailureClass;
}

export interface ErrorResponseOptions {
  /** Retry-After of a 503 ServiceUnavailable (default 5 s). */
  retryAfterSeconds?: number;
}

/**
 * Maps everything that can go wrong to `{code, message, requestId}` with the right status. Unknown
 * errors become a 500 InternalError whose message says nothing of the internals; the stack goes to the log.
 * A request refused because the database or the broker is down is not logged here but reported to
 * `onUnavailable` (which logs once per outage).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly log: (error: unknown, req: Request) => void = () => undefined,
    private readonly options: ErrorResponseOptions & { onUnavailable?: (failure: FailureClass, error: unknown, req: Request) => void } = {},
    /** Told of errors raised before routing (body parsing, path decoding, no such route), to count them. */
    private readonly beforeRouting: (error: unknown, req: Request) => void = () => undefined,
    /** Sees every refused request (the quota refusal counter). */
    private readonly observe: (error: unknown) => void = () => undefined,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (!isRouted(req)) this.beforeRouting(exception, req);
    const { status, body, headers, unavailable } = toErrorResponse(exception, requestIdOf(req), this.options);
    if (unavailable && this.options.onUnavailable) this.options.onUnavailable(unavailable, exception, req);
    else if (status >= 500) this.log(exception, req);
    this.observe(exception);
    if (res.headersSent) return;
    if (headers) res.set(headers);
    res.status(status).json(body);
  }
}

export function toErrorResponse(exception: unknown, requestId: string, options: ErrorResponseOptions = {}): ErrorResponse {
  const answer = errorResponseOf(exception, requestId, options);
  // Every 400 names a field; a refusal of the request as a whole names `request`.
  if (answer.status === 400 && !answer.body.field) answer.body.field = 'request';
  return answer;
}

function errorResponseOf(exception: unknown, requestId: string, options: ErrorResponseOptions): ErrorResponse {
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  if (exception instanceof DomainError) {
    const status = httpStatusFor(exception.code);
    return {
      status,
      body: { code: exception.code, message: exception.message, requestId, field: exception.field, details: exception.details },
      // An owner that did not answer in time: ask to retry soon.
      ...(status === 503 ? { headers: { 'Retry-After': exception.code === 'Unavailable' ? '1' : retryAfter } } : {}),
    };
  }
  if (exception instanceof ZodError) return toErrorResponse(domainErrorFromZod(exception), requestId, options);
  if (exception instanceof StreamVersionConflict) {
    return {
      status: 409,
      body: { code: 'ConcurrentModification', message: 'the resource was changed by another request at the same time; retry', requestId },
    };
  }
  const e = exception as { type?: string; status?: number; statusCode?: number };
  // Errors raised by Express's body parser and router before Nest sees the request.
  if (e?.type === 'entity.parse.failed')
    return bad(400, 'InvalidParameterValue', `the request body is not valid JSON (${(exception as Error).message})`, requestId, 'body');
  if (e?.type === 'entity.too.large')
    return bad(413, 'InvalidParameterValue', 'the request body is larger than the server accepts', requestId, 'body');
  if (e?.type === 'encoding.unsupported')
    return bad(
      415,
      'InvalidParameterValue',
      `${(exception as Error).message}: send gzip, deflate, br or none`,
      requestId,
      'Content-Encoding',
    );
  if (e?.type === 'charset.unsupported')
    return bad(415, 'InvalidParameterValue', `${(exception as Error).message}: send UTF-8`, requestId, 'Content-Type');
  if (isDecompressionError(exception)) {
    return bad(
      400,
      'InvalidParameterValue',
      'the request body is not compressed as its Content-Encoding says (send it uncompressed without the header, or compress it)',
      requestId,
      'Content-Encoding',
    );
  }
  if (exception instanceof URIError)
    return bad(400, 'InvalidParameterValue', 'the request path has a %-encoding that is not valid UTF-8', requestId, 'path');
  if (exception instanceof HttpException) {
    const cause = (exception as { cause?: unknown }).cause ?? (exception.getResponse() as { cause?: unknown })?.cause;
    if (cause && cause !== exception) {
      const inner = toErrorResponse(cause, requestId, options);
      if (inner.status !== 500) return inner;
    }
    const status = exception.getStatus();
    if (status === HttpStatus.BAD_REQUEST && (cause instanceof URIError || /Failed to decode param/.test(exception.message))) {
      return bad(400, 'InvalidParameterValue', 'the request path has a %-encoding that is not valid UTF-8', requestId, 'path');
    }
    if (status === HttpStatus.NOT_FOUND) return bad(404, 'InvalidAction', 'no such route', requestId);
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return bad(413, 'InvalidParameterValue', 'the request body is too large', requestId);
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE)
      return bad(415, 'InvalidParameterValue', 'send the body as application/json', requestId);
    // Nest turns body-parser's SyntaxError (and a bad %-encoding in the path) into a bare 400.
    if (status === HttpStatus.BAD_REQUEST && /JSON/.test(exception.message)) {
      return bad(400, 'InvalidParameterValue', `the request body is not valid JSON (${exception.message})`, requestId, 'body');
    }
    if (status < 500) return bad(status, 'InvalidParameterValue', `the request is not well-formed: ${exception.message}`, requestId);
  }
  const failure = classifyFailure(exception);
  if (failure.kind === 'unavailable') {
    return {
      ...bad(
        503,
        'ServiceUnavailable',
        `the service is temporarily unavailable (a system it depends on does not answer); retry after ${retryAfter} seconds`,
        requestId,
      ),
      headers: { 'Retry-After': retryAfter },
      unavailable: failure,
    };
  }
  // Serialization failures and deadlocks: the database refused because of concurrent work.
  if (failure.kind === 'contention')
    return bad(409, 'ConcurrentModification', 'the resource was changed by another request at the same time; retry', requestId);
  return bad(500, 'InternalError', 'an internal error occurred; the request id identifies it in the logs', requestId);
}

/**
 * Whether the request reached an operation's route. Wildcard routes (`/{*path}`) are middleware mounted for
 * every path (request logging) and leave `req.route` set even when no operation matched.
 */
export function isRouted(req: Request): boolean {
  return Boolean(req.route) && !String(req.route.path).includes('*');
}

/** zlib's errors (gzip, deflate, br) for a body that is not compressed the way its Content-Encoding says. */
export function isDecompressionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__') || code.startsWith('ERR_BROTLI'));
}

function bad(status: number, code: string, message: string, requestId: string, field?: string): { status: number; body: ErrorBody } {
  return { status, body: field ? { code, message, requestId, field } : { code, message, requestId } };
}
