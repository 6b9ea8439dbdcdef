import { DomainError } from '@privatelink/domain';
import { PageTokens, parseFilters, parseMaxResults } from './pagination';

describe('pagination tokens', () => {
  const tokens = new PageTokens('a-secret-of-enough-length');

  it('a token issued for a query leads back to the last id served', () => {
    expect(tokens.decode(tokens.encode('vpce-svc-1', 'q'), 'q')).toBe('vpce-svc-1');
  });

  it('a tampered token is refused with InvalidPaginationToken', () => {
    const token = tokens.encode('vpce-svc-1', 'q');
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ a: 'vpce-svc-9', q: 'q' })).toString('base64url');
    expect(() => tokens.decode(`${forged}.${sig}`, 'q')).toThrow(expect.objectContaining({ code: 'InvalidPaginationToken' }));
    expect(() => tokens.decode(`${body}x.${sig}`, 'q')).toThrow(DomainError);
    expect(() => tokens.decode('garbage', 'q')).toThrow(DomainError);
  });

  it('a token whose signature holds non-ASCII characters (same length in characters, not in bytes) is refused, not a crash', () => {
    const [body, sig] = tokens.encode('vpce-svc-1', 'q').split('.');
    const refused = expect.objectContaining({ code: 'InvalidPaginationToken', field: 'nextToken' });
    expect(() => tokens.decode(`${body}.${'é'.repeat(sig.length)}`, 'q')).toThrow(refused);
    expect(() => tokens.decode(`${body}.${sig.slice(0, -1)}\u{1F600}`, 'q')).toThrow(refused);
    expect(() => tokens.decode(`${body}.${sig.slice(0, -1)}\u0000`, 'q')).toThrow(refused);
  });

  it('a token with extra dots, an empty part or a body that is not JSON is refused', () => {
    const [body, sig] = tokens.encode('vpce-svc-1', 'q').split('.');
    for (const bad of [`${body}.${sig}.x`, `.${sig}`, `${body}.`, '.', `${body}..${sig}`]) {
      expect(() => tokens.decode(bad, 'q')).toThrow(expect.objectContaining({ code: 'InvalidPaginationToken' }));
    }
    // A well-signed body that does not decode to the token's JSON: only a holder of the secret could make one.
    const secret = new PageTokens('a-secret-of-enough-length');
    const notJson = Buffer.from('not json').toString('base64url');
    const signed = (secret as unknown as { sign(b: string): string }).sign(notJson);
    expect(() => tokens.decode(`${notJson}.${signed}`, 'q')).toThrow(expect.objectContaining({ code: 'InvalidPaginationToken' }));
  });

  it('a token from another query (other filters or caller) is refused', () => {
    expect(() => tokens.decode(tokens.encode('x', 'q1'), 'q2')).toThrow(expect.objectContaining({ code: 'InvalidPaginationToken' }));
  });

  it('a token signed with another secret is refused', () => {
    expect(() => tokens.decode(new PageTokens('another-secret-of-length').encode('x', 'q'), 'q')).toThrow(DomainError);
  });

  it('no token starts at the first page', () => {
    expect(tokens.decode(undefined, 'q')).toBeNull();
  });
});

describe('EC2-style filters', () => {
  it('filter values are comma-separated or repeated', () => {
    const f = parseFilters({ 'filter.service-state': ['Available,Pending', 'Failed'], other: 'x' }, ['service-state']);
    expect(f.get('service-state')).toEqual(['Available', 'Pending', 'Failed']);
  });

  it('tag filters name the key after "tag:"', () => {
    expect(parseFilters({ 'filter.tag:env': 'prod' }, ['tag:<key>']).get('tag:env')).toEqual(['prod']);
  });

  it('an unknown filter is refused naming it', () => {
    expect(() => parseFilters({ 'filter.colour': 'red' }, ['service-state'])).toThrow(expect.objectContaining({ field: 'filter.colour' }));
  });

  it('a filter without values is refused', () => {
    expect(() => parseFilters({ 'filter.service-state': '' }, ['service-state'])).toThrow(DomainError);
  });
});

describe('maxResults', () => {
  it('defaults to 100 and accepts 5 to 1000', () => {
    expect(parseMaxResults(undefined)).toBe(100);
    expect(parseMaxResults('5')).toBe(5);
    expect(parseMaxResults('1000')).toBe(1000);
  });

  it.each(['4', '1001', '2.5', 'ten', '-1'])('refuses %s', (v) => {
    expect(() => parseMaxResults(v)).toThrow(expect.objectContaining({ field: 'maxResults' }));
  });
});
