import { ZodType } from 'zod';
import { nameString, z } from '@privatelink/platform';

/** An id a batch names: the name rule, at most 64 characters (the domain checks its form). */
export const batchId = () => nameString().max(64);

/** The body of a batch request: `{ <field>: 1 to 100 items }`, unknown fields refused; `name` in the API document. */
export function batchBody<K extends string, T extends ZodType>(field: K, item: T, name: string) {
  return z
    .object({ [field]: z.array(item).min(1).max(100) } as Record<K, z.ZodArray<T>>)
    .strict()
    .openapi(name);
}
