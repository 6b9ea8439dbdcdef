// Regions, Availability Zone names (`us-east-1a`, as mapped to one account) and zone ids (`use1-az1`,
// the same location in every account: "use the Availability Zone ID to uniquely and consistently
// identify the endpoint service Availability Zone").
import { DomainError, invalid } from './errors';

export interface AvailabilityZone {
  zoneName: string;
  zoneId: string;
}

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const ZONE_NAME = /^([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})([a-z])$/;
// `use1-az1`, `usgw1-az2`, `apne1-az4` (the form the AWS APIs return) ...
const ZONE_ID_SHORT = /^[a-z]{2,6}\d{1,2}-az\d{1,2}$/;
// ... and the guide's own example form, `us-east-1-az1`.
const ZONE_ID_LONG = /^([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})-az\d{1,2}$/;

export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && REGION.test(value);
}

export function assertRegion(value: unknown, field = 'region'): string {
  if (!isRegion(value)) throw invalid(field, `${field}: '${String(value)}' is not a Region name (expected a form like us-east-1)`);
  return value;
}

export function isZoneName(value: unknown): value is string {
  return typeof value === 'string' && ZONE_NAME.test(value);
}

export function isZoneId(value: unknown): value is string {
  return typeof value === 'string' && (ZONE_ID_SHORT.test(value) || ZONE_ID_LONG.test(value));
}

export function assertZoneName(value: unknown, field = 'zoneName'): string {
  if (!isZoneName(value)) {
    throw invalid(field, `${field}: '${String(value)}' is not an Availability Zone name (expected a form like us-east-1a)`);
  }
  return value;
}

export function assertZoneId(value: unknown, field = 'zoneId'): string {
  if (!isZoneId(value)) {
    throw invalid(field, `${field}: '${String(value)}' is not an Availability Zone id (expected a form like use1-az1)`);
  }
  return value;
}

/** `us-east-1a` → `us-east-1`. */
export function regionOfZoneName(zoneName: string): string {
  const match = ZONE_NAME.exec(zoneName);
  if (!match) throw invalid('zoneName', `zoneName: '${zoneName}' is not an Availability Zone name`);
  return match[1];
}

/** The Region a zone id names, when it is in the long form (`us-east-1-az1`); undefined for `use1-az1`. */
export function regionOfZoneId(zoneId: string): string | undefined {
  return ZONE_ID_LONG.exec(zoneId)?.[1];
}

/**
 * A load balancer's zones: at least one, each name and id well formed, no name or id twice, and when
 * `region` is given every zone in that Region.
 */
export function validateAvailabilityZones(zones: unknown, field = 'availabilityZones', region?: string): AvailabilityZone[] {
  if (!Array.isArray(zones) || zones.length === 0) {
    throw new DomainError('MissingParameter', `${field}: at least one Availability Zone is required`, field);
  }
  const names = new Set<string>();
  const ids = new Set<string>();
  return zones.map((zone: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof zone !== 'object' || zone === null) throw invalid(at, `${at}: expected {zoneName, zoneId}`);
    const { zoneName, zoneId } = zone as Record<string, unknown>;
    const name = assertZoneName(zoneName, `${at}.zoneName`);
    const id = assertZoneId(zoneId, `${at}.zoneId`);
    if (names.has(name)) throw invalid(`${at}.zoneName`, `${at}.zoneName: Availability Zone '${name}' is listed twice`);
    if (ids.has(id)) throw invalid(`${at}.zoneId`, `${at}.zoneId: Availability Zone id '${id}' is listed twice`);
    names.add(name);
    ids.add(id);
    if (region !== undefined) {
      if (regionOfZoneName(name) !== region) {
        throw invalid(`${at}.zoneName`, `${at}.zoneName: Availability Zone '${name}' is not in Region ${region}`);
      }
      const idRegion = regionOfZoneId(id);
      if (idRegion !== undefined && idRegion !== region) {
        throw invalid(`${at}.zoneId`, `${at}.zoneId: Availability Zone id '${id}' is not in Region ${region}`);
      }
    }
    return { zoneName: name, zoneId: id };
  });
}
