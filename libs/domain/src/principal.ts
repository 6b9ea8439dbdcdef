// Allowed principals of an endpoint service. Guide: "For an AWS account (and therefore all principals
// in the account), the ARN is in the form arn:aws:iam::aws-account-id:root. For a specific IAM user,
// ...:user/user-name. For a specific IAM role, ...:role/role-name." and "Specify * to add permissions
// for all principals."
import { invalid } from './errors';

export type PrincipalType = 'All' | 'Account' | 'User' | 'Role';

export interface ParsedPrincipal {
  principal: string;
  principalType: PrincipalType;
  /** Absent for `*`. */
  partition?: string;
  accountId?: string;
  /** The user or role name (User and Role only). */
  name?: string;
}

export const ALL_PRINCIPALS = '*';

const IAM_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):(.+)$/;
const IAM_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const ANY_ARN = /^arn:[^:]*:[^:]*:[^:]*:(\d{12})?:/;
const ASSUMED_ROLE = /^arn:(aws(?:-[a-z]+)*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

const EXPECTED =
  'expected arn:aws:iam::<12-digit account>:root, arn:aws:iam::<account>:user/<name>, arn:aws:iam::<account>:role/<name> or *';

/** Parses an allowed principal; a path in a user or role ARN is refused with a message saying so. */
export function parsePrincipal(value: unknown, field = 'principal'): ParsedPrincipal {
  if (value === ALL_PRINCIPALS) return { principal: ALL_PRINCIPALS, principalType: 'All' };
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, `${field}: a principal is required (${EXPECTED})`);
  const match = IAM_ARN.exec(value);
  if (!match) throw invalid(field, `${field}: '${value}' is not a valid principal (${EXPECTED})`);
  const [, partition, accountId, resource] = match;
  if (resource === 'root') return { principal: value, principalType: 'Account', partition, accountId };
  const slash = resource.indexOf('/');
  const kind = slash < 0 ? resource : resource.slice(0, slash);
  if (kind !== 'user' && kind !== 'role') {
    throw invalid(field, `${field}: '${value}' is not an account root, IAM user or IAM role ARN (${EXPECTED})`);
  }
  const rest = resource.slice(slash + 1);
  if (rest.includes('/')) {
    throw invalid(
      field,
      `${field}: '${value}' has a path; ARNs with paths are not supported, give the ${kind} as arn:${partition}:iam::${accountId}:${kind}/<name>`,
    );
  }
  if (!IAM_NAME.test(rest)) throw invalid(field, `${field}: '${value}' has an invalid ${kind} name`);
  return { principal: value, principalType: kind === 'user' ? 'User' : 'Role', partition, accountId, name: rest };
}

export function principalTypeOf(value: string): PrincipalType {
  return parsePrincipal(value).principalType;
}

/** The 12-digit account of an ARN (or of a bare account id); undefined for `*` or a value without one. */
export function accountOf(arn: string): string | undefined {
  if (/^\d{12}$/.test(arn)) return arn;
  return ANY_ARN.exec(arn)?.[1];
}

function partitionOf(arn: string): string | undefined {
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

/**
 * Whether an allowed principal lets `callerArn` connect: `*` allows everyone; an account root allows
 * every principal of that account ("for an AWS account (and therefore all principals in the account)");
 * a user or role allows exactly that ARN, and a role also allows its STS assumed-role sessions
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
 */
export function principalMatches(allowed: string, callerArn: string): boolean {
  if (allowed === ALL_PRINCIPALS) return true;
  let parsed: ParsedPrincipal;
  try {
    parsed = parsePrincipal(allowed);
  } catch {
    return false;
  }
  if (parsed.principalType === 'Account') {
    return accountOf(callerArn) === parsed.accountId && (partitionOf(callerArn) ?? parsed.partition) === parsed.partition;
  }
  if (callerArn === allowed) return true;
  if (parsed.principalType === 'Role') {
    const session = ASSUMED_ROLE.exec(callerArn);
    return !!session && session[1] === parsed.partition && session[2] === parsed.accountId && session[3] === parsed.name;
  }
  return false;
}

/** Whether any of the allowed principals lets `callerArn` connect. */
export function anyPrincipalMatches(allowed: ReadonlyArray<string | { principal: string }>, callerArn: string): boolean {
  return allowed.some((entry) => principalMatches(typeof entry === 'string' ? entry : entry.principal, callerArn));
}
