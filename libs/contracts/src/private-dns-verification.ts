import { defineCommand } from './commands';

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

/**
 * The event types of the family, each carrying the facts above (and `nextCheckAt`, the next automatic
 * check, null when none is due). A change of `state` comes as its own type: Verified, VerificationFailed,
 * VerificationPending (back to pending because the name servers did not answer) and Removed; Started is
 * a new record to publish (pendingVerification); Checked is a check that left the state as it was.
 */
export const privateDnsVerificationEventTypes = [
  'privateDnsVerificationStarted',
  'privateDnsVerificationChecked',
  'privateDnsNameVerified',
  'privateDnsNameVerificationFailed',
  'privateDnsNameVerificationPending',
  'privateDnsVerificationRemoved',
] as const;

export type PrivateDnsVerificationEventType = (typeof privateDnsVerificationEventTypes)[number];

export interface StartPrivateDnsVerificationPayload {
  serviceId: string;
  /** The service's name as the edge's own event store has it, and that stream's version. */
  privateDnsName: string;
  sourceVersion: number;
}

/** dns-verifier's answer to it: the facts after the check (or after starting, when it had not seen the name yet). */
export interface StartPrivateDnsVerificationResult {
  verification: PrivateDnsVerificationFacts & { nextCheckAt?: string | null };
  /** True when a DNS check answered (one run for this call, or one already running that it shared); false when the name had just been started. */
  checked: boolean;
  streamId: string;
  version: number;
}

export const dnsVerifierService = 'dns-verifier';

/** StartVpcEndpointServicePrivateDnsVerification, forwarded by the edge to dns-verifier (target = serviceId). */
export const startPrivateDnsVerificationCommand = defineCommand<
  'startPrivateDnsVerification',
  StartPrivateDnsVerificationPayload,
  StartPrivateDnsVerificationResult
>('startPrivateDnsVerification', { service: dnsVerifierService, targetOf: (p) => p.serviceId });
