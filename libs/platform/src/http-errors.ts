import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { Request, Response } from 'express';
import { ZodError } from 'zod';
import { DomainError, ErrorCode, httpStatusFor } from '@privatelink/domain';
import { StreamVersionConflict } from '@privatelink/eventstore';

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
  const field = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
    .filter(Boolean)
    .join('.')
    .replace(/\.\[/g, '[');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${field ? ` in ${field}` : ''}`
      : `${field || 'request'}: ${issue.message}`;
  return new DomainError(issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'MissingParameter' : 'InvalidParameterValue', message, field || undefined);
}

/**
 * Maps everything that can go wrong to `{code, message, requestId}` with the right status. Unknown
 * errors become a 500 InternalError whose message says nothing of the internals; the stack goes to the log.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly log: (error: unknown, req: Request) => void = () => undefined,
    /** Sees every refused request (the quota refusal counter). */
    private readonly observe: (error: unknown) => void = () => undefined,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, body } = toErrorResponse(exception, requestIdOf(req));
    if (status >= 500) this.log(exception, req);
    this.observe(exception);
    if (res.headersSent) return;
    res.status(status).json(body);
  }
}

export function toErrorResponse(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (exception instanceof DomainError) {
    return {
      status: httpStatusFor(exception.code),
      body: { code: exception.code, message: exception.message, requestId, field: exception.field, details: exception.details },
    };
  }
  if (exception instanceof ZodError) return toErrorResponse(domainErrorFromZod(exception), requestId);
  if (exception instanceof StreamVersionConflict) {
    return {
      status: 409,
      body: { code: 'ConcurrentModification', message: 'the resource was changed by another request at the same time; retry', requestId },
    };
  }
  const e = exception as { type?: string; status?: number; statusCode?: number };
  // Errors raised by Express's body parser before Nest sees the request.
  if (e?.type === 'entity.parse.failed') return bad(400, 'InvalidParameterValue', `the request body is not valid JSON (${(exception as Error).message})`, requestId);
  if (e?.type === 'entity.too.large') return bad(413, 'InvalidParameterValue', 'the request body is larger than the server accepts', requestId);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return bad(415, 'InvalidParameterValue', 'unsupported body encoding', requestId);
  if (exception instanceof HttpException) {
    const cause = (exception as { cause?: unknown }).cause ?? (exception.getResponse() as { cause?: unknown })?.cause;
    if (cause && cause !== exception) {
      const inner = toErrorResponse(cause, requestId);
      if (inner.status !== 500) return inner;
    }
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) return bad(404, 'InvalidAction', 'no such route', requestId);
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return bad(413, 'InvalidParameterValue', 'the request body is too large', requestId);
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return bad(415, 'InvalidParameterValue', 'send the body as application/json', requestId);
    // Nest turns body-parser's SyntaxError (and a bad %-encoding in the path) into a bare 400.
    if (status === HttpStatus.BAD_REQUEST && /JSON/.test(exception.message)) {
      return bad(400, 'InvalidParameterValue', `the request body is not valid JSON (${exception.message})`, requestId);
    }
    if (status < 500) return bad(status, 'InvalidParameterValue', `the request is not well-formed: ${exception.message}`, requestId);
  }
  return bad(500, 'InternalError', 'an internal error occurred; the request id identifies it in the logs', requestId);
}

function bad(status: number, code: string, message: string, requestId: string) {
  return { status, body: { code, message, requestId } };
}
