// Resource ids and generated names. The domain never generates randomness: the caller passes 17
// lower-case hex characters in and gets the id back (`serviceId(hex)`), or validates an id it received.
import { assertRegion } from './availability-zones';
import { DomainError, invalid } from './errors';
import { isDnsHostname } from './dns-name';

export const ID_HEX_LENGTH = 17;

const HEX17 = /^[0-9a-f]{17}$/;
const SERVICE_ID = /^vpce-svc-[0-9a-f]{17}$/;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;
const CONNECTION_NOTIFICATION_ID = /^vpce-nfn-[0-9a-f]{17}$/;
const SERVICE_PERMISSION_ID = /^vpce-svc-perm-[0-9a-f]{17}$/;
const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]{17})$/;

function requireHex(hex: unknown, what: string): string {
  if (typeof hex !== 'string' || !HEX17.test(hex)) {
    throw invalid('hex', `${what} needs ${ID_HEX_LENGTH} lower-case hex characters, got '${String(hex)}'`);
  }
  return hex;
}

function checker(pattern: RegExp, example: string) {
  const is = (value: unknown): value is string => typeof value === 'string' && pattern.test(value);
  const assert = (value: unknown, field: string): string => {
    if (!is(value)) throw invalid(field, `${field}: '${String(value)}' is not a valid id (expected a form like ${example})`);
    return value;
  };
  return { is, assert };
}

const serviceIds = checker(SERVICE_ID, 'vpce-svc-0123456789abcdef0');
const vpcEndpointIds = checker(VPC_ENDPOINT_ID, 'vpce-0123456789abcdef0');
const notificationIds = checker(CONNECTION_NOTIFICATION_ID, 'vpce-nfn-0123456789abcdef0');
const permissionIds = checker(SERVICE_PERMISSION_ID, 'vpce-svc-perm-0123456789abcdef0');

/** `vpce-svc-` + 17 hex. */
export const serviceId = (hex: string): string => `vpce-svc-${requireHex(hex, 'a service id')}`;
/** `vpce-` + 17 hex. */
export const vpcEndpointId = (hex: string): string => `vpce-${requireHex(hex, 'a VPC endpoint id')}`;
/** `vpce-nfn-` + 17 hex. */
export const connectionNotificationId = (hex: string): string => `vpce-nfn-${requireHex(hex, 'a connection notification id')}`;
/** `vpce-svc-perm-` + 17 hex. */
export const servicePermissionId = (hex: string): string => `vpce-svc-perm-${requireHex(hex, 'a service permission id')}`;

export const isServiceId = serviceIds.is;
export const isVpcEndpointId = vpcEndpointIds.is;
export const isConnectionNotificationId = notificationIds.is;
export const isServicePermissionId = permissionIds.is;

export const assertServiceId = (value: unknown, field = 'serviceId'): string => serviceIds.assert(value, field);
export const assertVpcEndpointId = (value: unknown, field = 'vpcEndpointId'): string => vpcEndpointIds.assert(value, field);
export const assertConnectionNotificationId = (value: unknown, field = 'connectionNotificationId'): string =>
  notificationIds.assert(value, field);
export const assertServicePermissionId = (value: unknown, field = 'servicePermissionId'): string => permissionIds.assert(value, field);

/** `com.amazonaws.vpce.<region>.<serviceId>`. */
export function serviceNameFor(region: string, id: string): string {
  return `com.amazonaws.vpce.${assertRegion(region)}.${assertServiceId(id)}`;
}

/** Reads a service name back; a malformed one is `InvalidServiceName` (EC2's code for it). */
export function parseServiceName(value: unknown, field = 'serviceName'): { region: string; serviceId: string } {
  const match = typeof value === 'string' ? SERVICE_NAME.exec(value) : null;
  if (!match || !/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(match[1])) {
    throw new DomainError(
      'InvalidServiceName',
      `${field}: '${String(value)}' is not an endpoint service name (expected com.amazonaws.vpce.<region>.vpce-svc-<17 hex>)`,
      field,
    );
  }
  return { region: match[1], serviceId: match[2] };
}

/** `<serviceId>.<region>.vpce.<baseDomain>`, as `vpce-svc-03d5ebb7d9579a2b3.us-east-1.vpce.amazonaws.com`. */
export function baseEndpointDnsNameFor(id: string, region: string, baseDomain: string): string {
  if (!isDnsHostname(baseDomain)) throw invalid('baseDomain', `baseDomain: '${baseDomain}' is not a lower-case DNS name`);
  return `${assertServiceId(id)}.${assertRegion(region)}.vpce.${baseDomain}`;
}
