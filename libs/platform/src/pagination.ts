import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@privatelink/domain';

/**
 * `nextToken`s are keyset cursors (the last id served) bound to the query that made them and signed, so a
 * page is stable under concurrent writes and a tampered or foreign token is refused (InvalidPaginationToken).
 */
export class PageTokens {
  constructor(private readonly secret: string) {}

  encode(lastId: string, query: string): string {
    const body = Buffer.from(JSON.stringify({ a: lastId, q: query })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(token: string | undefined, query: string): string | null {
    if (token === undefined || token === '') return null;
    const refused = () => new DomainError('InvalidPaginationToken', 'nextToken is not a token this API issued', 'nextToken');
    // Only base64url and one dot, as issued: anything else (non-ASCII included) is refused before any
    // comparison, and the signatures are compared as bytes of equal length (timingSafeEqual requires it).
    if (token.length > 4096 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw refused();
    const [body, signature] = token.split('.');
    const given = Buffer.from(signature, 'utf8');
    const expected = Buffer.from(this.sign(body), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
    let parsed: { a?: unknown; q?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString());
    } catch {
      throw refused();
    }
    if (parsed.q !== query)
      throw new DomainError('InvalidPaginationToken', 'nextToken belongs to a different query (filters changed)', 'nextToken');
    if (typeof parsed.a !== 'string') throw refused();
    return parsed.a;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 32);
  }
}

/** EC2-style filters from the query string: `filter.<name>=v1,v2` (repeatable). */
export function parseFilters(query: Record<string, unknown>, allowed: readonly string[]): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [key, raw] of Object.entries(query)) {
    if (!key.startsWith('filter.')) continue;
    const name = key.slice('filter.'.length);
    const isTag = name.startsWith('tag:') && name.length > 4;
    if (!allowed.includes(name) && !(isTag && allowed.includes('tag:<key>'))) {
      throw new DomainError('InvalidParameterValue', `unknown filter "${name}"; allowed: ${allowed.join(', ')}`, key);
    }
    const values = (Array.isArray(raw) ? raw : [raw])
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) throw new DomainError('InvalidParameterValue', `filter "${name}" needs at least one value`, key);
    if (values.length > 200) throw new DomainError('InvalidParameterValue', `filter "${name}" has more than 200 values`, key);
    filters.set(name, [...(filters.get(name) ?? []), ...values]);
  }
  return filters;
}

export function parseMaxResults(raw: unknown, fallback = 100, max = 1000): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 5 || n > max) {
    throw new DomainError('InvalidParameterValue', `maxResults must be an integer from 5 to ${max}`, 'maxResults');
  }
  return n;
}
