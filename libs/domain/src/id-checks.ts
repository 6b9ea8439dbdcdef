// The checks every kind of resource id shares (ids.ts, network-ids.ts): 17 lower-case hex characters after
// the kind's prefix. Not exported from the index.
import { invalid } from './errors';

export const ID_HEX_LENGTH = 17;

const HEX17 = /^[0-9a-f]{17}$/;

/** The 17 hex characters of a new id (`what`: 'a service id'). */
export function requireHex(hex: unknown, what: string): string {
  if (typeof hex !== 'string' || !HEX17.test(hex)) {
    throw invalid('hex', `${what} needs ${ID_HEX_LENGTH} lower-case hex characters, got '${String(hex)}'`);
  }
  return hex;
}

/** The checks of one kind of id: `is`, and `assert`, which names `field` (the id's usual field by default). */
export function idChecks(pattern: RegExp, example: string, defaultField: string) {
  const is = (value: unknown): value is string => typeof value === 'string' && pattern.test(value);
  const assert = (value: unknown, field = defaultField): string => {
    if (!is(value)) throw invalid(field, `${field}: '${String(value)}' is not a valid id (expected a form like ${example})`);
    return value;
  };
  return { is, assert };
}
