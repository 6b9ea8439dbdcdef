// Ids of the network inventory: `vpc-`, `subnet-` and `sg-` + 17 lower-case hex characters (EC2's long ids).
// As for the other ids the caller passes the hex in (the domain has no randomness).
import { idChecks, requireHex } from './id-checks';

function kind(prefix: string, defaultField: string) {
  const make = (hex: string): string => `${prefix}-${requireHex(hex, `a ${prefix} id`)}`;
  return { make, ...idChecks(new RegExp(`^${prefix}-[0-9a-f]{17}$`), `${prefix}-0123456789abcdef0`, defaultField) };
}

export const { make: vpcId, is: isVpcId, assert: assertVpcId } = kind('vpc', 'vpcId');
export const { make: subnetId, is: isSubnetId, assert: assertSubnetId } = kind('subnet', 'subnetId');
export const { make: securityGroupId, is: isSecurityGroupId, assert: assertSecurityGroupId } = kind('sg', 'groupId');
