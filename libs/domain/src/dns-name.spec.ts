import {
  coveringDomainsFor,
  isCoveredBy,
  isDnsHostname,
  isValidPrivateDnsName,
  validatePrivateDnsName,
  verificationDomainFor,
  verificationRecordNameFor,
  verificationRecordValueFor,
} from './dns-name';
import { caught } from './spec-support';

const label = (c: string, n: number) => c.repeat(n);
// 4 labels of 63 + 3 dots = 255 characters; 63+63+63+61+2 + 4 dots = 256 characters.
const NAME_255 = [label('a', 63), label('b', 63), label('c', 63), label('d', 63)].join('.');
const NAME_256 = [label('a', 63), label('b', 63), label('c', 63), label('d', 61), 'ee'].join('.');

describe('private DNS names', () => {
  it.each(['example.com', 'api.example.com', '*.example.com', 'a-b.c0.example.co.uk', '1.example.com'])(
    '%s is a valid private DNS name',
    (name) => {
      expect(validatePrivateDnsName(name)).toBe(name);
    },
  );

  it('an upper-case name is refused: domain names must be lower-cased', () => {
    const error = caught(() => validatePrivateDnsName('Example.com'));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'privateDnsName' });
    expect(error.message).toMatch(/lower case/);
  });

  it('a label of 63 characters is accepted, 64 refused', () => {
    expect(isValidPrivateDnsName(`${'a'.repeat(63)}.example.com`)).toBe(true);
    const error = caught(() => validatePrivateDnsName(`${'a'.repeat(64)}.example.com`));
    expect(error.message).toMatch(/64 characters/);
  });

  it('a name of 255 characters is accepted, 256 refused', () => {
    expect(NAME_255).toHaveLength(255);
    expect(validatePrivateDnsName(NAME_255)).toBe(NAME_255);
    expect(NAME_256).toHaveLength(256);
    expect(caught(() => validatePrivateDnsName(NAME_256)).message).toMatch(/at most 255/);
  });

  it('a wildcard is allowed only as the first label', () => {
    expect(caught(() => validatePrivateDnsName('api.*.example.com')).message).toMatch(/first label/);
    expect(caught(() => validatePrivateDnsName('*.*.example.com')).message).toMatch(/first label/);
  });

  it('a wildcard must be a whole label', () => {
    expect(caught(() => validatePrivateDnsName('api*.example.com')).message).toMatch(/whole label/);
  });

  it.each([
    ['a label starting with a hyphen', '-api.example.com'],
    ['a label ending with a hyphen', 'api-.example.com'],
    ['an underscore', 'my_api.example.com'],
    ['an empty label', 'api..example.com'],
    ['a trailing dot', 'example.com.'],
    ['a single label', 'localhost'],
    ['a wildcard on a top-level domain', '*.com'],
    ['an empty name', ''],
    ['a space', 'my api.example.com'],
  ])('a name with %s is refused', (_why, name) => {
    expect(caught(() => validatePrivateDnsName(name))).toMatchObject({ code: 'InvalidParameterValue', field: 'privateDnsName' });
  });

  it('the verification domain is the name without its leading *.', () => {
    expect(verificationDomainFor('*.example.com')).toBe('example.com');
    expect(verificationDomainFor('api.example.com')).toBe('api.example.com');
  });

  it('verifying a parent domain covers its subdomains, not the other way round', () => {
    expect(isCoveredBy('a.example.com', 'example.com')).toBe(true);
    expect(isCoveredBy('*.a.example.com', 'example.com')).toBe(true);
    expect(isCoveredBy('example.com', 'example.com')).toBe(true);
    expect(isCoveredBy('example.com', 'a.example.com')).toBe(false);
    expect(isCoveredBy('badexample.com', 'example.com')).toBe(false);
  });

  it('the covering domains of a name go up to two labels', () => {
    expect(coveringDomainsFor('*.a.b.example.com')).toEqual(['a.b.example.com', 'b.example.com', 'example.com']);
  });

  it('the TXT record is _<label>.<domain> with value vpce:<token>', () => {
    expect(verificationRecordNameFor('example.com', 'abc123')).toBe('_abc123.example.com');
    expect(verificationRecordValueFor('tok')).toBe('vpce:tok');
  });

  it('a base domain is a lower-case host name', () => {
    expect(isDnsHostname('amazonaws.com')).toBe(true);
    expect(isDnsHostname('localhost')).toBe(true);
    expect(isDnsHostname('Amazonaws.com')).toBe(false);
    expect(isDnsHostname('')).toBe(false);
  });
});
