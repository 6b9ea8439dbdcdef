// The Availability Zones of this system's Region, for the network inventory: six zones `<region>a` … `<region>f`
// with the zone ids `<abbreviation>-az1` … `-az6` (`us-east-1a` is `use1-az1`). AWS maps names to ids per
// account; here every account sees the same mapping, so a zone name and its id name one place for everyone.
import { AvailabilityZone, assertRegion } from './availability-zones';
import { DomainError, invalid } from './errors';

const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** `us-east-1` → `use1`, `eu-west-2` → `euw2`, `ap-southeast-1` → `aps1`. */
export function regionAbbreviation(region: string): string {
  const parts = assertRegion(region).split('-');
  return `${parts[0]}${parts
    .slice(1, -1)
    .map((p) => p[0])
    .join('')}${parts[parts.length - 1]}`;
}

export function availabilityZonesOf(region: string): AvailabilityZone[] {
  const abbreviation = regionAbbreviation(region);
  return LETTERS.map((letter, i) => ({ zoneName: `${region}${letter}`, zoneId: `${abbreviation}-az${i + 1}` }));
}

/**
 * The zone a request names by `zoneName` or `zoneId` (one of them, as EC2's CreateSubnet takes
 * AvailabilityZone or AvailabilityZoneId); a zone of another Region or none at all is refused.
 */
export function resolveAvailabilityZone(
  region: string,
  named: { zoneName?: string; zoneId?: string },
  fields = { zoneName: 'availabilityZone', zoneId: 'availabilityZoneId' },
): AvailabilityZone {
  const zones = availabilityZonesOf(region);
  if (named.zoneName !== undefined && named.zoneId !== undefined) {
    throw new DomainError('InvalidParameterCombination', `give ${fields.zoneName} or ${fields.zoneId}, not both`, fields.zoneId);
  }
  if (named.zoneName !== undefined) {
    const zone = zones.find((z) => z.zoneName === named.zoneName);
    if (!zone)
      throw invalid(
        fields.zoneName,
        `${fields.zoneName}: '${named.zoneName}' is not an Availability Zone of ${region} (${zones.map((z) => z.zoneName).join(', ')})`,
      );
    return zone;
  }
  if (named.zoneId !== undefined) {
    const zone = zones.find((z) => z.zoneId === named.zoneId);
    if (!zone)
      throw invalid(
        fields.zoneId,
        `${fields.zoneId}: '${named.zoneId}' is not an Availability Zone id of ${region} (${zones.map((z) => z.zoneId).join(', ')})`,
      );
    return zone;
  }
  // EC2 picks a zone when none is given; this system asks, so the subnet's zone is the caller's choice.
  throw new DomainError('MissingParameter', `${fields.zoneName} or ${fields.zoneId} is required`, fields.zoneName);
}
