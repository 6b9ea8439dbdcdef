import {
  assertRegion,
  isRegion,
  isZoneId,
  isZoneName,
  regionOfZoneId,
  regionOfZoneName,
  validateAvailabilityZones,
} from './availability-zones';
import { caught } from './spec-support';

describe('regions and Availability Zones', () => {
  it.each(['us-east-1', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-northwest-1'])('%s is a Region', (r) => {
    expect(isRegion(r)).toBe(true);
  });

  it.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', ''])('%s is not a Region', (r) => {
    expect(isRegion(r)).toBe(false);
  });

  it('an invalid Region is refused naming the field', () => {
    expect(caught(() => assertRegion('nowhere', 'region'))).toMatchObject({ code: 'InvalidParameterValue', field: 'region' });
  });

  it.each(['us-east-1a', 'eu-west-3c', 'us-gov-west-1b'])('%s is a zone name', (z) => expect(isZoneName(z)).toBe(true));
  it.each(['us-east-1', 'us-east-1A', 'use1-az1', 'us-east-1ab'])('%s is not a zone name', (z) => expect(isZoneName(z)).toBe(false));

  it.each(['use1-az1', 'usw2-az3', 'apne1-az4', 'usgw1-az2', 'us-east-1-az1'])('%s is a zone id', (z) => expect(isZoneId(z)).toBe(true));
  it.each(['us-east-1a', 'use1az1', 'USE1-AZ1', 'use1-az', ''])('%s is not a zone id', (z) => expect(isZoneId(z)).toBe(false));

  it('the Region of a zone name is the name without its letter', () => {
    expect(regionOfZoneName('ap-southeast-2b')).toBe('ap-southeast-2');
  });

  it('the Region of a zone id is known only for the long form', () => {
    expect(regionOfZoneId('us-east-1-az1')).toBe('us-east-1');
    expect(regionOfZoneId('use1-az1')).toBeUndefined();
  });

  it('a load balancer needs at least one zone', () => {
    expect(caught(() => validateAvailabilityZones([]))).toMatchObject({ code: 'MissingParameter', field: 'availabilityZones' });
  });

  it.each([
    ['name', { zoneName: 'us-east-1a', zoneId: 'use1-az2' }, 'availabilityZones[1].zoneName'],
    ['id', { zoneName: 'us-east-1b', zoneId: 'use1-az1' }, 'availabilityZones[1].zoneId'],
  ])('a zone %s may not be listed twice', (_, second, field) => {
    const error = caught(() => validateAvailabilityZones([{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }, second]));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field });
  });

  it('a malformed zone id is refused naming its field', () => {
    const error = caught(() => validateAvailabilityZones([{ zoneName: 'us-east-1a', zoneId: 'az1' }]));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'availabilityZones[0].zoneId' });
  });

  it('a zone of another Region is refused', () => {
    const error = caught(() =>
      validateAvailabilityZones([{ zoneName: 'us-west-2a', zoneId: 'usw2-az1' }], 'availabilityZones', 'us-east-1'),
    );
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'availabilityZones[0].zoneName' });
    const byId = caught(() =>
      validateAvailabilityZones([{ zoneName: 'us-east-1a', zoneId: 'us-west-2-az1' }], 'availabilityZones', 'us-east-1'),
    );
    expect(byId).toMatchObject({ field: 'availabilityZones[0].zoneId' });
  });

  it('valid zones come back as {zoneName, zoneId}', () => {
    expect(validateAvailabilityZones([{ zoneName: 'us-east-1a', zoneId: 'use1-az6', extra: 1 }], 'z', 'us-east-1')).toEqual([
      { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
    ]);
  });
});
