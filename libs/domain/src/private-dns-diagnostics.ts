// What a private DNS name verification check concludes from the DNS answers it got, in the words of the
// guide's "Troubleshoot common private DNS domain verification problems". Pure: the answers come in as
// data (the dns-verifier's resolver asked the domain's authoritative name servers for them).
//
// Guide rules used here:
// - "The domain ownership verification is complete when we detect the existence of the TXT record";
//   "We only verify your domain when it detects a verification record for which the attribute value
//   exactly matches the value that we provided".
// - "If your DNS provider does not allow DNS record names to contain underscores, you can omit
//   `_<label>` from the Domain verification name": a record at the domain itself is accepted.
// - "You can verify the domain of a subdomain. For example, you can verify example.com, instead of
//   a.example.com": the record under a parent domain (down to two labels) is accepted too.
// - "Some DNS providers automatically append the domain name ... resulting in
//   _amazonvpc.example.com.example.com"; "Some providers automatically modify DNS record values to use
//   only lowercase letters".
import { MAX_DNS_NAME_LENGTH, coveringDomainsFor, verificationDomainFor, verificationRecordNameFor } from './dns-name';

/** What DNS said about the TXT records of one name. */
export type TxtLookup =
  /** TXT records exist at the name; each value with its character-strings joined. */
  | { status: 'records'; values: string[] }
  /** The name exists but has no TXT record (NOERROR, no answer). */
  | { status: 'noData' }
  /** The name does not exist (NXDOMAIN). */
  | { status: 'nxDomain' }
  /** Nothing was learnt: the name servers timed out, refused or failed. Never read as "absent". */
  | { status: 'noAnswer'; detail: string };

export type VerificationReasonCode =
  /** No TXT record with the value at any accepted name. */
  | 'RecordNotFound'
  /** A TXT record whose value differs from the expected one only in letter case. */
  | 'ValueCaseMismatch'
  /** The record was published at `<record name>.<domain>`: the DNS provider appended the domain. */
  | 'DomainAppendedTwice'
  /** Found at the domain itself, without the `_<label>` (accepted; noted). */
  | 'RecordAtDomain'
  /** Found under a parent domain, which covers this name (accepted; noted). */
  | 'RecordAtParentDomain'
  /** The domain does not exist (NXDOMAIN). */
  | 'DomainNotFound'
  /** The name servers did not answer (timeouts, refusals, server failures). */
  | 'NameServersUnreachable';

export type VerificationCheckResult = 'found' | 'notFound' | 'unreachable';

export interface VerificationCheckOutcome {
  result: VerificationCheckResult;
  reasonCode?: VerificationReasonCode;
  /** Plain language, for the provider. */
  reason?: string;
  /** The DNS name the record was found at (result `found`). */
  foundAt?: string;
}

/** One place the record is accepted at. */
export interface AcceptedRecordName {
  name: string;
  /** The domain this record proves control of: the name's own domain or a parent of it. */
  domain: string;
  /** `record`: `_<label>.<domain>`; `domain`: the domain itself (providers that forbid underscores). */
  kind: 'record' | 'domain';
}

export interface VerificationLookups {
  /** Where the record is accepted, in the order it is looked for (the name's own record first). */
  accepted: AcceptedRecordName[];
  /** Where a provider that appends its zone name would have put the record (diagnostics only). */
  doubled: string[];
}

/**
 * The TXT names a check looks at for `privateDnsName` with the record label `label` (without `_`):
 * for the domain and each parent down to two labels, `_<label>.<d>` and `<d>`; and the names a provider
 * that appends the zone would have made (`_<label>.<domain>.<d>`), which only explain a failure.
 */
export function verificationLookupsFor(privateDnsName: string, label: string): VerificationLookups {
  const domain = verificationDomainFor(privateDnsName);
  const domains = coveringDomainsFor(privateDnsName);
  const accepted: AcceptedRecordName[] = [];
  for (const d of domains) {
    accepted.push({ name: verificationRecordNameFor(d, label), domain: d, kind: 'record' });
    accepted.push({ name: d, domain: d, kind: 'domain' });
  }
  const recordName = verificationRecordNameFor(domain, label);
  const doubled = domains.map((d) => `${recordName}.${d}`).filter((n) => n.length <= MAX_DNS_NAME_LENGTH);
  return { accepted, doubled };
}

export interface DiagnosisInput {
  privateDnsName: string;
  label: string;
  recordValue: string;
  /** The answers got, by name (lower case, no trailing dot). A name not asked counts as not answered. */
  lookups: Record<string, TxtLookup>;
}

/**
 * Classifies one check. Order: the exact value at an accepted name verifies (noting a record at the
 * domain itself or under a parent); otherwise, if any accepted name went unanswered, nothing can be
 * concluded (`unreachable`: a timeout is never "record absent"); otherwise the most specific cause:
 * value differing only in case, domain appended twice, domain that does not exist, no record.
 */
export function diagnoseVerification(input: DiagnosisInput): VerificationCheckOutcome {
  const { privateDnsName, label, recordValue } = input;
  const domain = verificationDomainFor(privateDnsName);
  const recordName = verificationRecordNameFor(domain, label);
  const { accepted, doubled } = verificationLookupsFor(privateDnsName, label);
  const lookup = (name: string): TxtLookup => input.lookups[name] ?? { status: 'noAnswer', detail: 'not asked' };
  const valuesAt = (name: string): string[] => {
    const l = lookup(name);
    return l.status === 'records' ? l.values : [];
  };

  for (const a of accepted) {
    if (!valuesAt(a.name).includes(recordValue)) continue;
    if (a.domain === domain && a.kind === 'record') return { result: 'found', foundAt: a.name };
    if (a.domain === domain) {
      return {
        result: 'found',
        foundAt: a.name,
        reasonCode: 'RecordAtDomain',
        reason:
          `Verified: the TXT record was found at ${a.name} itself rather than at ${recordName}. ` +
          'This is accepted for DNS providers that do not allow underscores in record names.',
      };
    }
    return {
      result: 'found',
      foundAt: a.name,
      reasonCode: 'RecordAtParentDomain',
      reason:
        `Verified through the parent domain ${a.domain} (TXT record at ${a.name}), which covers ${privateDnsName}. ` +
        'Another subdomain added later needs its own or its parent domain’s verification.',
    };
  }

  const unanswered = accepted.filter((a) => lookup(a.name).status === 'noAnswer');
  if (unanswered.length > 0) {
    const first = lookup(unanswered[0].name) as Extract<TxtLookup, { status: 'noAnswer' }>;
    return {
      result: 'unreachable',
      reasonCode: 'NameServersUnreachable',
      reason:
        `The name servers of ${domain} did not answer for ${unanswered[0].name} (${first.detail}). ` +
        'Verification stays pending and is retried; a name server that does not answer is never taken as a missing record.',
    };
  }

  const lowered = recordValue.toLowerCase();
  for (const a of accepted) {
    const near = valuesAt(a.name).find((v) => v !== recordValue && v.toLowerCase() === lowered);
    if (near !== undefined) {
      return {
        result: 'notFound',
        reasonCode: 'ValueCaseMismatch',
        reason:
          `The TXT record at ${a.name} has the value "${near}", which differs from "${recordValue}" only in letter case. ` +
          'The value must match exactly; your DNS provider may have changed it to lower case: contact the DNS provider.',
      };
    }
  }

  for (const name of doubled) {
    if (valuesAt(name).some((v) => v.toLowerCase() === lowered)) {
      return {
        result: 'notFound',
        reasonCode: 'DomainAppendedTwice',
        reason:
          `The TXT record was found at ${name} instead of ${recordName}: your DNS provider appended the domain name to the record name. ` +
          `Enter the name with a trailing period (${recordName}.) so the provider takes it as fully qualified.`,
      };
    }
  }

  if (lookup(domain).status === 'nxDomain') {
    return {
      result: 'notFound',
      reasonCode: 'DomainNotFound',
      reason:
        `The domain ${domain} does not exist in DNS (NXDOMAIN): nothing is published under it, so neither is ${recordName}. ` +
        'Check that the private DNS name is spelled as intended and served by your public name servers, then add the TXT record.',
    };
  }

  const others = valuesAt(recordName);
  return {
    result: 'notFound',
    reasonCode: 'RecordNotFound',
    reason:
      `No TXT record ${recordName} with the value "${recordValue}" was found` +
      (others.length > 0 ? ` (it has ${others.map((v) => `"${v}"`).join(', ')})` : '') +
      `. Add it at your DNS provider (or, if it does not allow underscores, at ${domain} itself).`,
  };
}
