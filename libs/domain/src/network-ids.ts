// Ids of the network inventory: `vpc-`, `subnet-` and `sg-` + 17 lower-case hex characters (EC2's long ids).
// As for the other ids the caller passes the hex in (the domain has no randomness).
import { idChecks, requireHex } from './id-checks';

function kind(prefix: string, defaultField: string) {
  const make = (hex: string): string => `${prefix}-${requireHex(hex, `a ${prefix} id`)}`;
  return { make, ...idChecks(new RegExp(`^${prefix}-[0-9a-f]{17}$`), `${prefix}-0123456789abcdef0`, defaultField) };
}

const vpcs = kind('vpc', 'vpcId');
const subnets = kind('subnet', 'subnetId');
const groups = kind('sg', 'groupId');

export const vpcId = vpcs.make;
export const subnetId = subnets.make;
export const securityGroupId = groups.make;
export const isVpcId = vpcs.is;
export const isSubnetId = subnets.is;
export const isSecurityGroupId = groups.is;
export const assertVpcId = vpcs.assert;
export const assertSubnetId = subnets.assert;
export const assertSecurityGroupId = groups.assert;
