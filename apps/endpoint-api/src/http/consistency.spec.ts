import { DomainError } from '@privatelink/domain';
import { consistencyTokenOf, parseConsistencyToken } from './consistency';

const refused = (header: unknown): DomainError => {
  try {
    parseConsistencyToken(header);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
};

describe('consistency tokens', () => {
  it('a write’s token names each stream it wrote once, at its highest version', () => {
    expect(consistencyTokenOf([{ streamId: 'endpoint-connection-vpce-0c1308d7312217abc', version: 3 }])).toBe(
      'endpoint-connection-vpce-0c1308d7312217abc@3',
    );
    expect(
      consistencyTokenOf([
        { streamId: 'endpoint-connection-vpce-0c1308d7312217abc', version: 3 },
        { streamId: 'endpoint-connection-vpce-0c1308d7312217abd', version: 5 },
        { streamId: 'endpoint-connection-vpce-0c1308d7312217abc', version: 4 },
      ]),
    ).toBe('endpoint-connection-vpce-0c1308d7312217abc@4,endpoint-connection-vpce-0c1308d7312217abd@5');
  });

  it('a token sent back names the same streams and versions, with their kind', () => {
    const token = 'endpoint-service-vpce-svc-03d5ebb7d9579a2b3@2,quota-ledger-vpc-endpoints-per-vpc/444455556666/vpc-ec43eb89@7';
    expect(parseConsistencyToken(token)).toEqual([
      { streamId: 'endpoint-service-vpce-svc-03d5ebb7d9579a2b3', version: 2, family: 'endpoint-service' },
      { streamId: 'quota-ledger-vpc-endpoints-per-vpc/444455556666/vpc-ec43eb89', version: 7, family: 'quota-ledger' },
    ]);
  });

  it('a malformed token, one naming no known kind of stream, or one naming too many is InvalidParameterValue on the header', () => {
    for (const header of [
      '',
      'no-version',
      'endpoint-service-x@',
      'endpoint-service-x@-1',
      'unknown-family-x@1',
      ['a@1', 'b@2'],
      Array(101).fill('endpoint-service-x@1').join(','),
    ]) {
      expect(refused(header)).toMatchObject({ code: 'InvalidParameterValue', field: 'x-consistency-token' });
    }
  });
});
