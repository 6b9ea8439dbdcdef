import {
  PrivateDnsVerificationEventType,
  PrivateDnsVerificationFacts,
  payloadOf,
  parseStreamId,
  privateDnsVerificationEventTypes,
  streamFamilies,
} from '@privatelink/contracts';
import { DocumentProjection, documentTable } from '@privatelink/projections';
import { Sql, sqlMigration } from '@privatelink/eventstore';
import { z } from '@privatelink/platform';
import { privateDnsNameConfigurationView } from '../http/private-dns.schemas';

/**
 * dns-verifier's verification of each service's private DNS name, as the edge shows it: on the service
 * (`privateDnsNameConfiguration`), to consumers (`privateDnsNameVerificationState`) and to operators
 * (`/v1/ops/dns-verifications`). One document per service id, from the events' contract facts only.
 */
export interface PrivateDnsVerificationDoc {
  serviceId: string;
  privateDnsName: string;
  state: 'pendingVerification' | 'verified' | 'failed';
  recordName: string | null;
  recordValue: string | null;
  reasonCode: string | null;
  reason: string | null;
  lastCheckedAt: string | null;
  nextCheckAt: string | null;
  /** The last event's type and time. */
  lastEvent: string;
  updatedAt: string;
}

const knownTypes = new Set<string>(privateDnsVerificationEventTypes);

/** A verification event as its contract has it: the facts, and when the next automatic check is due. */
type VerificationEvent = PrivateDnsVerificationFacts & { type: PrivateDnsVerificationEventType; nextCheckAt?: string | null };

export const privateDnsVerificationsProjection: DocumentProjection<PrivateDnsVerificationDoc> = {
  name: 'private-dns-verifications',
  families: [streamFamilies.privateDnsVerification],
  table: 'rm_private_dns_verifications',
  rowIdOf: (event) => (knownTypes.has(event.type) ? parseStreamId(event.streamId).aggregateId : null),
  evolve: (doc, event) => {
    const facts = payloadOf<VerificationEvent>(event);
    if (facts.state === 'removed') return undefined;
    const fresh = event.type === 'privateDnsVerificationStarted';
    return {
      serviceId: facts.serviceId,
      privateDnsName: facts.privateDnsName,
      state: facts.state,
      recordName: facts.recordName ?? null,
      recordValue: facts.recordValue ?? null,
      reasonCode: facts.reasonCode ?? null,
      reason: facts.reason ?? null,
      lastCheckedAt: facts.checkedAt ?? (fresh ? null : (doc?.lastCheckedAt ?? null)),
      nextCheckAt: facts.nextCheckAt ?? null,
      lastEvent: event.type,
      updatedAt: event.metadata.occurredAt,
    };
  },
};

export const CreatePrivateDnsVerificationReadModel1764900000000 = sqlMigration('CreatePrivateDnsVerificationReadModel1764900000000', {
  up: documentTable('rm_private_dns_verifications', { columns: { state: 'state' }, indexes: { state: ['state', 'id'] } }),
  down: ['DROP TABLE rm_private_dns_verifications'],
});

/** The verification documents of some services, by service id (one query). */
export async function verificationsOf(db: Sql, serviceIds: string[]): Promise<Map<string, PrivateDnsVerificationDoc>> {
  if (serviceIds.length === 0) return new Map();
  const rows: Array<{ id: string; doc: PrivateDnsVerificationDoc }> = await db.query(
    `SELECT id, doc FROM rm_private_dns_verifications WHERE id = ANY($1)`,
    [serviceIds],
  );
  return new Map(rows.map((r) => [r.id, r.doc]));
}

/** A service's `privateDnsNameConfiguration` as the API shows it (the schema says what each field is). */
export type PrivateDnsNameConfiguration = z.infer<typeof privateDnsNameConfigurationView>;

/**
 * `privateDnsNameConfiguration` of a service with a name: the verification of that very name, or, until
 * dns-verifier has generated its record, `pendingVerification` without a name and value yet.
 */
export function privateDnsNameConfigurationOf(
  service: { privateDnsName: string | null },
  doc: PrivateDnsVerificationDoc | undefined,
): PrivateDnsNameConfiguration | undefined {
  if (!service.privateDnsName) return undefined;
  if (!doc || doc.privateDnsName !== service.privateDnsName) return { state: 'pendingVerification', type: 'TXT' };
  return configurationFromFacts(doc);
}

export function configurationFromFacts(f: {
  state: string;
  recordName?: string | null;
  recordValue?: string | null;
  reasonCode?: string | null;
  reason?: string | null;
  lastCheckedAt?: string | null;
  checkedAt?: string | null;
  nextCheckAt?: string | null;
}): PrivateDnsNameConfiguration {
  const lastCheckedAt = f.lastCheckedAt ?? f.checkedAt;
  return {
    state: f.state as PrivateDnsNameConfiguration['state'],
    type: 'TXT',
    ...(f.recordName ? { name: f.recordName } : {}),
    ...(f.recordValue ? { value: f.recordValue } : {}),
    ...(f.reasonCode ? { reasonCode: f.reasonCode } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(lastCheckedAt ? { lastCheckedAt } : {}),
    ...(f.nextCheckAt ? { nextCheckAt: f.nextCheckAt } : {}),
  };
}

/** What a consumer sees: the state of the service's current name (null without a name). */
export function verificationStateOf(
  service: { privateDnsName: string | null },
  doc: PrivateDnsVerificationDoc | undefined,
): 'pendingVerification' | 'verified' | 'failed' | null {
  return privateDnsNameConfigurationOf(service, doc)?.state ?? null;
}
