import { TxtLookup, diagnoseVerification, verificationLookupsFor } from './private-dns-diagnostics';

const VALUE = 'vpce:Q3xTr9KpLm2ZaB7c';
const LABEL = 'k2p9x7a1';
const records = (...values: string[]): TxtLookup => ({ status: 'records', values });
const noData: TxtLookup = { status: 'noData' };
const nxDomain: TxtLookup = { status: 'nxDomain' };
const timeout: TxtLookup = { status: 'noAnswer', detail: 'timed out after 2 tries' };

/** Every name a check may ask, answered "exists, no TXT" unless overridden. */
function answers(name: string, overrides: Record<string, TxtLookup> = {}): Record<string, TxtLookup> {
  const { accepted, doubled } = verificationLookupsFor(name, LABEL);
  const all: Record<string, TxtLookup> = {};
  for (const a of accepted) all[a.name] = a.kind === 'record' ? nxDomain : noData;
  for (const d of doubled) all[d] = nxDomain;
  return { ...all, ...overrides };
}

const diagnose = (name: string, overrides: Record<string, TxtLookup>) =>
  diagnoseVerification({ privateDnsName: name, label: LABEL, recordValue: VALUE, lookups: answers(name, overrides) });

describe('where a check looks', () => {
  it('the record, the domain itself, then the parents down to two labels; doubled names only for diagnostics', () => {
    const { accepted, doubled } = verificationLookupsFor('api.svc.example.com', LABEL);
    expect(accepted.map((a) => a.name)).toEqual([
      `_${LABEL}.api.svc.example.com`,
      'api.svc.example.com',
      `_${LABEL}.svc.example.com`,
      'svc.example.com',
      `_${LABEL}.example.com`,
      'example.com',
    ]);
    expect(doubled).toEqual([
      `_${LABEL}.api.svc.example.com.api.svc.example.com`,
      `_${LABEL}.api.svc.example.com.svc.example.com`,
      `_${LABEL}.api.svc.example.com.example.com`,
    ]);
  });

  it('a wildcard name is verified on its domain: *.example.com → example.com', () => {
    const { accepted } = verificationLookupsFor('*.example.com', LABEL);
    expect(accepted.map((a) => a.name)).toEqual([`_${LABEL}.example.com`, 'example.com']);
  });
});

describe('diagnosing a check (the guide’s common problems)', () => {
  it('the exact value at _<label>.<domain> verifies, without a note', () => {
    expect(diagnose('example.com', { [`_${LABEL}.example.com`]: records('other', VALUE) })).toEqual({
      result: 'found',
      foundAt: `_${LABEL}.example.com`,
    });
  });

  it('a record at the domain itself (no underscore label) is accepted, and noted', () => {
    const outcome = diagnose('api.example.com', { 'api.example.com': records('v=spf1 -all', VALUE) });
    expect(outcome).toMatchObject({ result: 'found', reasonCode: 'RecordAtDomain', foundAt: 'api.example.com' });
    expect(outcome.reason).toMatch(/underscores/);
  });

  it('a wildcard name is verified by the record on its domain', () => {
    expect(diagnose('*.example.com', { [`_${LABEL}.example.com`]: records(VALUE) })).toMatchObject({ result: 'found' });
  });

  it('a parent domain’s record covers a subdomain, and is noted', () => {
    const outcome = diagnose('a.example.com', { [`_${LABEL}.example.com`]: records(VALUE) });
    expect(outcome).toMatchObject({ result: 'found', reasonCode: 'RecordAtParentDomain', foundAt: `_${LABEL}.example.com` });
    expect(outcome.reason).toMatch(/parent domain example\.com/);
  });

  it('no TXT record → RecordNotFound, naming the record and value', () => {
    const outcome = diagnose('example.com', {});
    expect(outcome).toMatchObject({ result: 'notFound', reasonCode: 'RecordNotFound' });
    expect(outcome.reason).toContain(`_${LABEL}.example.com`);
    expect(outcome.reason).toContain(VALUE);
  });

  it('a record with another value → RecordNotFound, saying what it holds', () => {
    const outcome = diagnose('example.com', { [`_${LABEL}.example.com`]: records('vpce:someoneelse1') });
    expect(outcome).toMatchObject({ result: 'notFound', reasonCode: 'RecordNotFound' });
    expect(outcome.reason).toContain('vpce:someoneelse1');
  });

  it('a value that differs only in letter case → ValueCaseMismatch (the provider lower-cased it)', () => {
    const outcome = diagnose('example.com', { [`_${LABEL}.example.com`]: records(VALUE.toLowerCase()) });
    expect(outcome).toMatchObject({ result: 'notFound', reasonCode: 'ValueCaseMismatch' });
    expect(outcome.reason).toMatch(/lower case/);
  });

  it('the record under the domain appended twice → DomainAppendedTwice, advising a trailing period', () => {
    const outcome = diagnose('example.com', { [`_${LABEL}.example.com.example.com`]: records(VALUE) });
    expect(outcome).toMatchObject({ result: 'notFound', reasonCode: 'DomainAppendedTwice' });
    expect(outcome.reason).toContain(`_${LABEL}.example.com.example.com`);
    expect(outcome.reason).toMatch(/trailing period/);
  });

  it('the zone name appended to a subdomain’s record is found too', () => {
    const outcome = diagnose('api.example.com', { [`_${LABEL}.api.example.com.example.com`]: records(VALUE) });
    expect(outcome).toMatchObject({ reasonCode: 'DomainAppendedTwice' });
  });

  it('the domain does not exist → DomainNotFound (NXDOMAIN)', () => {
    const outcome = diagnose('nowhere.example.com', { 'nowhere.example.com': nxDomain });
    expect(outcome).toMatchObject({ result: 'notFound', reasonCode: 'DomainNotFound' });
    expect(outcome.reason).toMatch(/NXDOMAIN/);
  });

  it('name servers that do not answer → unreachable, never "record absent"', () => {
    const outcome = diagnose('example.com', { [`_${LABEL}.example.com`]: timeout });
    expect(outcome).toMatchObject({ result: 'unreachable', reasonCode: 'NameServersUnreachable' });
    expect(outcome.reason).toContain('timed out');
  });

  it('one unanswered place the record may be at is enough to conclude nothing', () => {
    expect(diagnose('a.example.com', { 'example.com': timeout })).toMatchObject({ result: 'unreachable' });
  });

  it('a found record wins over an unanswered parent', () => {
    expect(diagnose('a.example.com', { [`_${LABEL}.a.example.com`]: records(VALUE), 'example.com': timeout })).toMatchObject({
      result: 'found',
    });
  });

  it('unanswered doubled names do not matter (they only explain failures)', () => {
    expect(diagnose('example.com', { [`_${LABEL}.example.com.example.com`]: timeout })).toMatchObject({ reasonCode: 'RecordNotFound' });
  });

  it('a name that was not asked counts as unanswered', () => {
    expect(diagnoseVerification({ privateDnsName: 'example.com', label: LABEL, recordValue: VALUE, lookups: {} })).toMatchObject({
      result: 'unreachable',
    });
  });
});
