import {
  assertServiceId,
  assertVpcEndpointId,
  baseEndpointDnsNameFor,
  connectionNotificationId,
  isConnectionNotificationId,
  isServiceId,
  isServicePermissionId,
  isVpcEndpointId,
  parseServiceName,
  serviceId,
  serviceNameFor,
  servicePermissionId,
  vpcEndpointId,
} from './ids';
import { caught } from './spec-support';

const HEX = '03d5ebb7d9579a2b3';

describe('ids', () => {
  it('ids are built from 17 passed-in hex characters', () => {
    expect(serviceId(HEX)).toBe('vpce-svc-03d5ebb7d9579a2b3');
    expect(vpcEndpointId(HEX)).toBe('vpce-03d5ebb7d9579a2b3');
    expect(connectionNotificationId(HEX)).toBe('vpce-nfn-03d5ebb7d9579a2b3');
    expect(servicePermissionId(HEX)).toBe('vpce-svc-perm-03d5ebb7d9579a2b3');
  });

  it.each(['03d5ebb7d9579a2b', '03d5ebb7d9579a2b3a', '03D5EBB7D9579A2B3', 'g3d5ebb7d9579a2b3'])(
    'an id needs exactly 17 lower-case hex, not %s',
    (hex) => {
      expect(caught(() => serviceId(hex))).toMatchObject({ code: 'InvalidParameterValue' });
    },
  );

  it('each id kind is recognised only in its own form', () => {
    expect(isServiceId(serviceId(HEX))).toBe(true);
    expect(isVpcEndpointId(serviceId(HEX))).toBe(false);
    expect(isVpcEndpointId(vpcEndpointId(HEX))).toBe(true);
    expect(isServiceId(vpcEndpointId(HEX))).toBe(false);
    expect(isConnectionNotificationId(connectionNotificationId(HEX))).toBe(true);
    expect(isVpcEndpointId(connectionNotificationId(HEX))).toBe(false);
    expect(isServicePermissionId(servicePermissionId(HEX))).toBe(true);
    expect(isServiceId(servicePermissionId(HEX))).toBe(false);
    expect(isServiceId('vpce-svc-1234')).toBe(false);
  });

  it('a malformed id is refused naming the field', () => {
    expect(caught(() => assertServiceId('vpce-svc-123'))).toMatchObject({ code: 'InvalidParameterValue', field: 'serviceId' });
    expect(caught(() => assertVpcEndpointId('vpce-xyz', 'vpcEndpointIds[2]'))).toMatchObject({ field: 'vpcEndpointIds[2]' });
  });

  it('the service name is com.amazonaws.vpce.<region>.<serviceId>', () => {
    expect(serviceNameFor('us-east-1', serviceId(HEX))).toBe('com.amazonaws.vpce.us-east-1.vpce-svc-03d5ebb7d9579a2b3');
  });

  it('a service name reads back into Region and service id', () => {
    expect(parseServiceName('com.amazonaws.vpce.eu-west-1.vpce-svc-03d5ebb7d9579a2b3')).toEqual({
      region: 'eu-west-1',
      serviceId: 'vpce-svc-03d5ebb7d9579a2b3',
    });
  });

  it.each(['com.amazonaws.vpce.us-east-1.vpce-svc-123', 'com.amazonaws.us-east-1.s3', 'vpce-svc-03d5ebb7d9579a2b3'])(
    'a malformed service name %s is InvalidServiceName',
    (name) => {
      expect(caught(() => parseServiceName(name))).toMatchObject({ code: 'InvalidServiceName', field: 'serviceName' });
    },
  );

  it('the base endpoint DNS name is <serviceId>.<region>.vpce.<baseDomain>', () => {
    expect(baseEndpointDnsNameFor(serviceId(HEX), 'us-east-1', 'amazonaws.com')).toBe(
      'vpce-svc-03d5ebb7d9579a2b3.us-east-1.vpce.amazonaws.com',
    );
  });

  it('the base domain must be a lower-case DNS name', () => {
    expect(caught(() => baseEndpointDnsNameFor(serviceId(HEX), 'us-east-1', 'Example.COM'))).toMatchObject({ field: 'baseDomain' });
  });
});
