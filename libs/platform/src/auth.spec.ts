import { PrincipalDirectory, sha256 } from './auth';

describe('API keys', () => {
  const directory = new PrincipalDirectory([
    { name: 'p', apiKey: 'provider-key-000000001', principal: 'arn:aws:iam::111122223333:root', role: 'provider' },
    { name: 'c', apiKeySha256: sha256('consumer-key-00000001'), principal: 'arn:aws:iam::444455556666:role/portal', role: 'consumer' },
  ]);

  it('a bearer key maps to its principal, account and role', () => {
    expect(directory.authenticate('Bearer provider-key-000000001')).toMatchObject({
      principal: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      role: 'provider',
    });
  });

  it('a key given only as its SHA-256 hash still authenticates', () => {
    expect(directory.authenticate('Bearer consumer-key-00000001').accountId).toBe('444455556666');
  });

  it.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer unknown-key-000000'])('%p is an AuthFailure', (header) => {
    expect(() => directory.authenticate(header)).toThrow(expect.objectContaining({ code: 'AuthFailure' }));
  });

  it('two principals may not share one key', () => {
    expect(
      () =>
        new PrincipalDirectory([
          { name: 'a', apiKey: 'same-key-000000000001', principal: 'arn:aws:iam::111122223333:root', role: 'provider' },
          { name: 'b', apiKey: 'same-key-000000000001', principal: 'arn:aws:iam::444455556666:root', role: 'consumer' },
        ]),
    ).toThrow(/share one API key/);
  });
});
