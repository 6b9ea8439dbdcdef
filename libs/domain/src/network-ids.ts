// Ids of the network inventory: `vpc-`, `subnet-` and `sg-` + 17 lower-case hex characters (EC2's long ids).
// As for the other ids the caller passes the hex in (the domain has no randomness).
import { invalid } from './errors';

const HEX17 = /^[0-9a-f]{17}$/;

function kind(prefix: string) {
  const pattern = new RegExp(`^${prefix}-[0-9a-f]{17}$`);
  const make = (hex: string): string => {
    if (!HEX17.test(hex)) throw invalid('hex', `a ${prefix} id needs 17 lower-case hex characters, got '${hex}'`);
    return `${prefix}-${hex}`;
  };
  const is = (value: unknown): value is string => typeof value === 'string' && pattern.test(value);
  const assert = (value: unknown, field: string): string => {
    if (!is(value))
      throw invalid(field, `${field}: '${String(value)}' is not a valid id (expected a form like ${prefix}-0123456789abcdef0)`);
    return value;
  };
  return { make, is, assert };
}

const vpcs = kind('vpc');
const subnets = kind('subnet');
const groups = kind('sg');

export const vpcId = vpcs.make;
export const subnetId = subnets.make;
export const securityGroupId = groups.make;
export const isVpcId = vpcs.is;
export const isSubnetId = subnets.is;
export const isSecurityGroupId = groups.is;
export const assertVpcId = (value: unknown, field = 'vpcId'): string => vpcs.assert(value, field);
export const assertSubnetId = (value: unknown, field = 'subnetId'): string => subnets.assert(value, field);
export const assertSecurityGroupId = (value: unknown, field = 'groupId'): string => groups.assert(value, field);
