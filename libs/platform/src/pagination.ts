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
    const [body, signature, extra] = token.split('.');
    const expected = body ? this.sign(body) : '';
    if (!body || !signature || extra !== undefined || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      throw new DomainError('InvalidPaginationToken', 'nextToken is not a token this API issued', 'nextToken');
    }
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString()) as { a: string; q: string };
    if (parsed.q !== query) throw new DomainError('InvalidPaginationToken', 'nextToken belongs to a different query (filters changed)', 'nextToken');
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
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
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
