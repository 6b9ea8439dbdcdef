// Private DNS names of endpoint services, and the small DNS helpers the verifier needs.
// Guide: "each DNS label can have up to 63 characters and the whole domain name must not exceed a
// total length of 255 characters"; "Domain names must be lower-cased"; "You can use wildcards in
// domain names, for example, *.myexampleservice.com".
import { accepts, invalid } from './errors';

export const MAX_DNS_NAME_LENGTH = 255;
export const MAX_DNS_LABEL_LENGTH = 63;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Validates a private DNS name and returns it unchanged. Rules: lower case only; labels of 1–63
 * characters from [a-z0-9-], not starting or ending with '-'; at most 255 characters; an optional
 * wildcard `*` only as the whole first label; at least two labels besides the wildcard (a bare TLD
 * such as `com` or `*.com` cannot be verified as one's own domain).
 */
export function validatePrivateDnsName(value: unknown, field = 'privateDnsName'): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, `${field}: a domain name is required`);
  const name = value;
  if (name !== name.toLowerCase()) throw invalid(field, `${field}: '${name}' must be lower case (domain names must be lower-cased)`);
  if (name.length > MAX_DNS_NAME_LENGTH) {
    throw invalid(field, `${field}: the domain name is ${name.length} characters long; at most ${MAX_DNS_NAME_LENGTH} are allowed`);
  }
  if (name.endsWith('.')) throw invalid(field, `${field}: '${name}' must not end with a dot`);
  const labels = name.split('.');
  labels.forEach((label, i) => {
    if (label === '*') {
      if (i !== 0) throw invalid(field, `${field}: '${name}': a wildcard '*' is allowed only as the first label (as in *.example.com)`);
      return;
    }
    if (label.includes('*'))
      throw invalid(field, `${field}: '${name}': a wildcard must be a whole label, '*', and the first one (as in *.example.com)`);
    if (label.length === 0) throw invalid(field, `${field}: '${name}' has an empty label`);
    if (label.length > MAX_DNS_LABEL_LENGTH) {
      throw invalid(field, `${field}: label '${label}' is ${label.length} characters long; at most ${MAX_DNS_LABEL_LENGTH} are allowed`);
    }
    if (!LABEL.test(label)) {
      throw invalid(field, `${field}: label '${label}' may contain only a-z, 0-9 and '-', and may not start or end with '-'`);
    }
  });
  const named = labels[0] === '*' ? labels.length - 1 : labels.length;
  if (named < 2) throw invalid(field, `${field}: '${name}' needs at least two labels (a domain such as example.com)`);
  return name;
}

export function isValidPrivateDnsName(value: unknown): boolean {
  return accepts(validatePrivateDnsName, value);
}

/** A plain host or domain name (used for configured base domains): lower case, valid labels, ≤ 255. */
export function isDnsHostname(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_DNS_NAME_LENGTH &&
    value.split('.').every((label) => label.length <= MAX_DNS_LABEL_LENGTH && LABEL.test(label))
  );
}

/** The domain whose ownership is verified for a private DNS name: the name without a leading `*.`. */
export function verificationDomainFor(privateDnsName: string): string {
  return privateDnsName.startsWith('*.') ? privateDnsName.slice(2) : privateDnsName;
}

/**
 * The domains whose verification covers `name`, closest first: "You can verify the domain of a
 * subdomain. For example, you can verify example.com, instead of a.example.com." Stops at two labels.
 * `*.a.example.com` → [`a.example.com`, `example.com`].
 */
export function coveringDomainsFor(name: string): string[] {
  const labels = verificationDomainFor(name).split('.');
  const result: string[] = [];
  for (let i = 0; labels.length - i >= 2; i++) result.push(labels.slice(i).join('.'));
  return result;
}

/** True when verifying `verifiedDomain` proves control of `name` (same domain or a parent of it). */
export function isCoveredBy(name: string, verifiedDomain: string): boolean {
  const domain = verificationDomainFor(name);
  return domain === verifiedDomain || domain.endsWith(`.${verifiedDomain}`);
}

/** The TXT record name to look up: `_<label>.<domain>`. The domain itself is accepted as an alternative. */
export function verificationRecordNameFor(domain: string, label: string): string {
  return `_${label}.${domain}`;
}

/** The TXT record value to look for: `vpce:<token>`. */
export function verificationRecordValueFor(token: string): string {
  return `vpce:${token}`;
}
