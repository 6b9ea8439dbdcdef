// IPv4 CIDR blocks of VPCs and subnets: `10.0.0.0/16`. EC2's rules: a VPC's block is /16 to /28, a subnet's
// block lies inside its VPC's, is /16 to /28 too, and overlaps no other subnet of the VPC.
import { DomainError, invalid } from './errors';

export interface Cidr {
  /** The network address as a 32-bit unsigned number. */
  base: number;
  prefix: number;
  /** The canonical text (`10.0.0.0/16`). */
  text: string;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export const MIN_CIDR_PREFIX = 16;
export const MAX_CIDR_PREFIX = 28;

/** A well-formed IPv4 CIDR block whose host bits are zero; InvalidParameterValue otherwise. */
export function parseCidr(value: unknown, field = 'cidrBlock'): Cidr {
  const m = typeof value === 'string' ? CIDR.exec(value) : null;
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32 || octets.some((o, i) => String(o) !== m[i + 1])) {
    throw invalid(field, `${field}: '${String(value)}' is not an IPv4 CIDR block (expected a form like 10.0.0.0/16)`);
  }
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((base & mask) >>> 0 !== base) {
    throw invalid(
      field,
      `${field}: '${value}' has host bits set; the network address of a /${prefix} is ${textOf((base & mask) >>> 0, prefix)}`,
    );
  }
  return { base, prefix, text: textOf(base, prefix) };
}

function textOf(base: number, prefix: number): string {
  return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`;
}

const size = (c: Cidr) => 2 ** (32 - c.prefix);

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** A block of /16 to /28, with `code` (InvalidVpc.Range or InvalidSubnet.Range) otherwise. */
export function cidrOfAllowedSize(value: unknown, field: string, code: 'InvalidVpc.Range' | 'InvalidSubnet.Range'): Cidr {
  const cidr = parseCidr(value, field);
  if (cidr.prefix < MIN_CIDR_PREFIX || cidr.prefix > MAX_CIDR_PREFIX) {
    throw new DomainError(
      code,
      `${field}: the CIDR '${cidr.text}' is invalid: the block size must be between /${MIN_CIDR_PREFIX} and /${MAX_CIDR_PREFIX}`,
      field,
    );
  }
  return cidr;
}
