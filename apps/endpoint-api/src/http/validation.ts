import { ZodType } from 'zod';
import { DomainError } from '@privatelink/domain';
import { domainErrorFromZod } from '@privatelink/platform';

/**
 * Shape and type checks of a route's JSON body at the edge (unknown fields refused); the domain checks the
 * values' rules. A route that declares a body needs one: none at all is a 400 naming `body`.
 */
export function parseBody<T>(schema: ZodType<T>, body: unknown): T {
  if (body === undefined)
    throw new DomainError('MissingParameter', 'body: this operation needs a JSON body (Content-Type: application/json)', 'body');
  return parseWith(schema, body);
}

/** The body of a route whose body is optional (`required: false` in the API document): none is `{}`. */
export function parseOptionalBody<T>(schema: ZodType<T>, body: unknown): T {
  return parseWith(schema, body ?? {});
}

/** One query parameter (absent is undefined, as the API document's optional parameters say). */
export function parseQueryValue<T>(schema: ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw domainErrorFromZod(result.error, name);
  return result.data;
}

function parseWith<T>(schema: ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw domainErrorFromZod(result.error);
  return result.data;
}
