import { PrincipalDirectory, sha256 } from './auth';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

describe('SigV4 access keys', () => {
  const base = { principal: 'arn:aws:iam::111122223333:root', role: 'provider' as const };

  it('an access key id maps to its principal and secret, from the file or from the environment', () => {
    const directory = new PrincipalDirectory(
      [
        {
          ...base,
          name: 'p',
          apiKey: 'provider-key-000000001',
          accessKeyId: 'AKIAPROVIDER00000001',
          secretAccessKey: 'provider-secret-000001',
        },
        { ...base, name: 'q', apiKey: 'provider-key-000000002', accessKeyId: 'AKIAPROVIDER00000002', secretAccessKeyEnv: 'Q_SECRET' },
      ],
      { Q_SECRET: 'from-the-environment-01' },
    );
    expect(directory.accessKey('AKIAPROVIDER00000001')).toEqual({
      caller: { principal: base.principal, accountId: '111122223333', role: 'provider', name: 'p' },
      secretAccessKey: 'provider-secret-000001',
    });
    expect(directory.accessKey('AKIAPROVIDER00000002')?.secretAccessKey).toBe('from-the-environment-01');
    expect(directory.accessKey('AKIAUNKNOWN000000001')).toBeUndefined();
    // Only a secret written in the file is printed (npm start), never one from the environment.
    expect(directory.demoKeys.map((k) => [k.accessKeyId, k.secretAccessKey])).toEqual([
      ['AKIAPROVIDER00000001', 'provider-secret-000001'],
      [undefined, undefined],
    ]);
  });

  it('a secretAccessKeyEnv naming an unset variable stops the start', () => {
    expect(
      () =>
        new PrincipalDirectory(
          [
            {
              ...base,
              name: 'q',
              apiKey: 'provider-key-000000002',
              accessKeyId: 'AKIAPROVIDER00000002',
              secretAccessKeyEnv: 'UNSET_SECRET',
            },
          ],
          {},
        ),
    ).toThrow(/UNSET_SECRET/);
  });

  it('two principals may not share one access key id', () => {
    expect(
      () =>
        new PrincipalDirectory([
          {
            ...base,
            name: 'a',
            apiKey: 'provider-key-000000001',
            accessKeyId: 'AKIASAME000000000001',
            secretAccessKey: 'secret-a-0000000001',
          },
          {
            ...base,
            name: 'b',
            apiKey: 'provider-key-000000002',
            accessKeyId: 'AKIASAME000000000001',
            secretAccessKey: 'secret-b-0000000001',
          },
        ]),
    ).toThrow(/share one accessKeyId/);
  });

  it.each([
    [{ accessKeyId: 'AKIAPROVIDER00000001' }, /exactly one of secretAccessKey or secretAccessKeyEnv/],
    [{ accessKeyId: 'AKIAPROVIDER00000001', secretAccessKey: 'provider-secret-000001', secretAccessKeyEnv: 'X' }, /exactly one of/],
    [{ secretAccessKey: 'provider-secret-000001' }, /neither goes without it/],
    [{ accessKeyId: 'akia-lower', secretAccessKey: 'provider-secret-000001' }, /upper-case letters and digits/],
  ])('the principals file refuses %p', (keys, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'principals-'));
    const file = join(dir, 'principals.json');
    writeFileSync(file, JSON.stringify({ principals: [{ ...base, name: 'p', apiKey: 'provider-key-000000001', ...keys }] }));
    expect(() => PrincipalDirectory.fromFile(file)).toThrow(message);
  });

  it('the demo file gives every principal a key pair', () => {
    const directory = PrincipalDirectory.fromFile(join(__dirname, '../../../config/principals.demo.json'));
    expect(directory.demoKeys.length).toBeGreaterThan(0);
    for (const k of directory.demoKeys) expect(directory.accessKey(k.accessKeyId!)?.caller.principal).toBe(k.principal);
  });
});
