import { accountOf, anyPrincipalMatches, parsePrincipal, principalMatches, principalTypeOf } from './principal';
import { caught } from './spec-support';

describe('allowed principals', () => {
  it('an account root ARN is an Account principal', () => {
    expect(parsePrincipal('arn:aws:iam::123456789012:root')).toEqual({
      principal: 'arn:aws:iam::123456789012:root',
      principalType: 'Account',
      partition: 'aws',
      accountId: '123456789012',
    });
  });

  it('a user ARN is a User principal, a role ARN a Role principal, * is All', () => {
    expect(parsePrincipal('arn:aws:iam::123456789012:user/alice')).toMatchObject({ principalType: 'User', name: 'alice' });
    expect(parsePrincipal('arn:aws:iam::123456789012:role/deployer')).toMatchObject({ principalType: 'Role', name: 'deployer' });
    expect(principalTypeOf('*')).toBe('All');
  });

  it('a user ARN with a path is refused with a message about paths', () => {
    const error = caught(() => parsePrincipal('arn:aws:iam::123456789012:user/division/alice', 'addAllowedPrincipals[0]'));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'addAllowedPrincipals[0]' });
    expect(error.message).toMatch(/paths are not supported/);
  });

  it('a role ARN with a path is refused too', () => {
    expect(caught(() => parsePrincipal('arn:aws:iam::123456789012:role/service-role/x')).message).toMatch(/path/);
  });

  it.each([
    'arn:aws:iam::12345678901:root',
    'arn:aws:iam::123456789012:group/admins',
    'arn:aws:iam::123456789012:user/',
    'arn:aws:iam::123456789012:user/bad name',
    'arn:aws:sts::123456789012:assumed-role/r/s',
    'arn:aws:iam:us-east-1:123456789012:root',
    '123456789012',
    '**',
    '',
  ])('%s is not an allowed principal', (value) => {
    expect(caught(() => parsePrincipal(value))).toMatchObject({ code: 'InvalidParameterValue', field: 'principal' });
  });

  it('the account of an ARN is its fifth field', () => {
    expect(accountOf('arn:aws:iam::123456789012:user/alice')).toBe('123456789012');
    expect(accountOf('arn:aws:sts::210987654321:assumed-role/r/s')).toBe('210987654321');
    expect(accountOf('123456789012')).toBe('123456789012');
    expect(accountOf('*')).toBeUndefined();
    expect(accountOf('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('* allows every caller', () => {
    expect(principalMatches('*', 'arn:aws:iam::999999999999:user/anyone')).toBe(true);
  });

  it('an account root allows every user and role of that account, and no other account', () => {
    const root = 'arn:aws:iam::123456789012:root';
    expect(principalMatches(root, 'arn:aws:iam::123456789012:user/alice')).toBe(true);
    expect(principalMatches(root, 'arn:aws:iam::123456789012:role/deployer')).toBe(true);
    expect(principalMatches(root, root)).toBe(true);
    expect(principalMatches(root, 'arn:aws:iam::210987654321:user/alice')).toBe(false);
    expect(principalMatches(root, 'arn:aws-cn:iam::123456789012:user/alice')).toBe(false);
  });

  it('a user allows only that user', () => {
    const alice = 'arn:aws:iam::123456789012:user/alice';
    expect(principalMatches(alice, alice)).toBe(true);
    expect(principalMatches(alice, 'arn:aws:iam::123456789012:user/bob')).toBe(false);
    expect(principalMatches(alice, 'arn:aws:iam::123456789012:root')).toBe(false);
  });

  it('a role allows that role and its assumed-role sessions', () => {
    const role = 'arn:aws:iam::123456789012:role/deployer';
    expect(principalMatches(role, role)).toBe(true);
    expect(principalMatches(role, 'arn:aws:sts::123456789012:assumed-role/deployer/session-1')).toBe(true);
    expect(principalMatches(role, 'arn:aws:sts::123456789012:assumed-role/other/session-1')).toBe(false);
    expect(principalMatches(role, 'arn:aws:sts::210987654321:assumed-role/deployer/session-1')).toBe(false);
  });

  it('a malformed allowed entry allows nobody', () => {
    expect(principalMatches('arn:aws:iam::123456789012:group/x', 'arn:aws:iam::123456789012:group/x')).toBe(false);
  });

  it('any matching entry of a list allows the caller', () => {
    const list = [{ principal: 'arn:aws:iam::111111111111:root' }, { principal: 'arn:aws:iam::123456789012:user/alice' }];
    expect(anyPrincipalMatches(list, 'arn:aws:iam::123456789012:user/alice')).toBe(true);
    expect(anyPrincipalMatches(list, 'arn:aws:iam::123456789012:user/bob')).toBe(false);
    expect(anyPrincipalMatches(['*'], 'arn:aws:iam::123456789012:user/bob')).toBe(true);
  });
});
