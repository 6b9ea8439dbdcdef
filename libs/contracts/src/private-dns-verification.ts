/**
 * What other services may rely on in dns-verifier's events (stream family `private-dns-verification`,
 * aggregate id = serviceId): every event's payload carries the service, the name and the state after it.
 * endpoint-api shows it as `privateDnsNameConfiguration`; connection-broker denies new requests unless `verified`.
 */
export type PrivateDnsVerificationState = 'pendingVerification' | 'verified' | 'failed' | 'removed';

export interface PrivateDnsVerificationFacts {
  serviceId: string;
  privateDnsName: string;
  state: PrivateDnsVerificationState;
  /** The TXT record the provider must publish: `_<label>.<domain>` with value `vpce:<token>`. */
  recordName?: string;
  recordValue?: string;
  /** Machine-readable diagnostic of the last check (e.g. `RecordNotFound`, `ValueCaseMismatch`), and in words. */
  reasonCode?: string;
  reason?: string;
  checkedAt?: string;
}
