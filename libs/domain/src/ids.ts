// Resource ids and generated names. The domain never generates randomness: the caller passes 17
// lower-case hex characters in and gets the id back (`serviceId(hex)`), or validates an id it received.
import { assertRegion } from './availability-zones';
import { DomainError, invalid } from './errors';
import { isDnsHostname } from './dns-name';
import { ID_HEX_LENGTH, idChecks, requireHex } from './id-checks';

export { ID_HEX_LENGTH };

const SERVICE_ID = /^vpce-svc-[0-9a-f]{17}$/;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;
const CONNECTION_NOTIFICATION_ID = /^vpce-nfn-[0-9a-f]{17}$/;
const SERVICE_PERMISSION_ID = /^vpce-svc-perm-[0-9a-f]{17}$/;
const SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]{17})$/;

export const { is: isServiceId, assert: assertServiceId } = idChecks(SERVICE_ID, 'vpce-svc-0123456789abcdef0', 'serviceId');
export const { is: isVpcEndpointId, assert: assertVpcEndpointId } = idChecks(VPC_ENDPOINT_ID, 'vpce-0123456789abcdef0', 'vpcEndpointId');
export const { is: isConnectionNotificationId, assert: assertConnectionNotificationId } = idChecks(
  CONNECTION_NOTIFICATION_ID,
  'vpce-nfn-0123456789abcdef0',
  'connectionNotificationId',
);
export const { is: isServicePermissionId, assert: assertServicePermissionId } = idChecks(
  SERVICE_PERMISSION_ID,
  'vpce-svc-perm-0123456789abcdef0',
  'servicePermissionId',
);

/** `vpce-svc-` + 17 hex. */
export const serviceId = (hex: string): string => `vpce-svc-${requireHex(hex, 'a service id')}`;
/** `vpce-` + 17 hex. */
export const vpcEndpointId = (hex: string): string => `vpce-${requireHex(hex, 'a VPC endpoint id')}`;
/** `vpce-nfn-` + 17 hex. */
export const connectionNotificationId = (hex: string): string => `vpce-nfn-${requireHex(hex, 'a connection notification id')}`;
/** `vpce-svc-perm-` + 17 hex. */
export const servicePermissionId = (hex: string): string => `vpce-svc-perm-${requireHex(hex, 'a service permission id')}`;

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
