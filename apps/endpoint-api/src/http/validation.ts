import { ZodType } from 'zod';
import { domainErrorFromZod } from '@privatelink/platform';

/** Shape and type checks at the edge (unknown fields refused); the domain checks the values' rules. */
export function parseBody<T>(schema: ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw domainErrorFromZod(result.error);
  return result.data;
}
