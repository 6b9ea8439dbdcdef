import { PrivateDnsVerificationFacts, PrivateDnsVerificationState, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { DocumentProjection, aggregateProjection } from '@privatelink/projections';

/** The last verification facts dns-verifier published for a service. */
export interface VerificationView {
  serviceId: string;
  privateDnsName: string;
  state: PrivateDnsVerificationState;
}

const STATES: readonly PrivateDnsVerificationState[] = ['pendingVerification', 'verified', 'failed', 'removed'];

/**
 * dns-verifier's facts (stream family `private-dns-verification`, aggregate id = serviceId): every event
 * carries the service, the name and the state after it, so the view keeps the latest. Events without
 * those facts leave it as it was.
 */
export const privateDnsVerificationsProjection: DocumentProjection<VerificationView> = aggregateProjection({
  name: 'private-dns-verifications',
  family: streamFamilies.privateDnsVerification,
  table: 'cb_private_dns_verifications',
  evolve: (doc, event) => {
    const facts = event.payload as Partial<PrivateDnsVerificationFacts>;
    if (typeof facts.privateDnsName !== 'string' || !STATES.includes(facts.state as PrivateDnsVerificationState)) return doc;
    return {
      serviceId: facts.serviceId ?? parseStreamId(event.streamId).aggregateId,
      privateDnsName: facts.privateDnsName,
      state: facts.state!,
    };
  },
});

/**
 * A service's private DNS name counts as verified only when dns-verifier's latest fact is `verified` for
 * that very name; a service with a name and no such fact is not verified.
 */
export function isPrivateDnsNameVerified(privateDnsName: string | null, view: VerificationView | null | undefined): boolean {
  return !!privateDnsName && !!view && view.state === 'verified' && view.privateDnsName === privateDnsName;
}
