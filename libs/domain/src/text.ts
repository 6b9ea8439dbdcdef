// The one rule for strings a client sends (bodies, query strings, path parameters).
//
// Every string: no NUL (PostgreSQL's text and jsonb cannot hold U+0000) and no unpaired UTF-16
// surrogate (not a character at all: it cannot be encoded as UTF-8, so it cannot be stored or sent on).
// Names, keys and ids besides: no control characters (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F)
// and no bidirectional formatting characters (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069),
// which make one id look like another in a console or a log ("Trojan Source").
// Free text (a request message, a policy document, a reason) may hold line breaks and tabs.

export type StringKind = 'text' | 'name';

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `value` breaks the rule for its kind (naming the first offending character and its position), or undefined. */
export function stringProblem(value: string, kind: StringKind): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0) return `contains a NUL character (U+0000) at position ${i}`;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: one character outside the BMP
        continue;
      }
      return `contains an unpaired surrogate (${hex(code)}) at position ${i}: not a Unicode character`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `contains an unpaired surrogate (${hex(code)}) at position ${i}: not a Unicode character`;
    if (kind === 'name') {
      if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
        return `contains a control character (${hex(code)}) at position ${i}; names, keys and ids may not`;
      if (BIDI.has(code))
        return `contains a bidirectional formatting character (${hex(code)}) at position ${i}; names, keys and ids may not`;
    }
  }
  return undefined;
}

/** Deeper than any request of the API nests; a body nested deeper is refused before it is walked. */
export const MAX_NESTING = 32;

/**
 * The first string anywhere in `value` (a parsed JSON body) that breaks the rule, with its field path; keys
 * are names. A value nested deeper than MAX_NESTING is a problem of its own (walking it would exhaust the stack).
 */
export function findStringProblem(value: unknown, kind: StringKind, path = '', depth = 0): { field: string; problem: string } | undefined {
  if (depth > MAX_NESTING && typeof value === 'object' && value !== null)
    return { field: path, problem: `is nested more than ${MAX_NESTING} levels deep` };
  if (typeof value === 'string') {
    const problem = stringProblem(value, kind);
    return problem ? { field: path, problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findStringProblem(value[i], kind, `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = stringProblem(key, 'name');
      // A bad key cannot name itself readably: the field is the object holding it.
      if (keyProblem) return { field: path, problem: `a field name ${keyProblem}` };
      const found = findStringProblem(inner, kind, path ? `${path}.${key}` : key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
