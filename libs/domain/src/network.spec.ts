import { cidrContains, cidrsOverlap, parseCidr } from './cidr';
import { httpStatusFor } from './errors';
import { vpcEndpointId } from './ids';
import { securityGroupId, subnetId, vpcId } from './network-ids';
import {
  SecurityGroupCommand,
  decideSecurityGroup,
  initialSecurityGroupState,
  securityGroupDecider,
  securityGroupForEndpointRequest,
  validateSecurityGroupName,
} from './security-group';
import { SubnetCommand, SubnetEvent, decideSubnet, initialSubnetState, subnetDecider, subnetForEndpointRequest } from './subnet';
import { VpcCommand, decideVpc, describeVpc, initialVpcState, vpcDecider } from './vpc';
import { availabilityZonesOf, resolveAvailabilityZone } from './network-zones';
import { caught, deciderSpec } from './spec-support';

const OWNER = '444455556666';
const OTHER = '777788889999';
const NOW = '2026-12-03T17:00:00.000Z';
const VPC = vpcId('0000000000000000a');
const DEFAULT_SG = securityGroupId('0000000000000000a');
const SG = securityGroupId('0000000000000000b');
const SUBNET_A = subnetId('0000000000000000a');
const SUBNET_B = subnetId('0000000000000000b');
const VPCE = vpcEndpointId('0000000000000000e');

/** The VPC the specs play in, as its creation names it (the command's and the event's facts). */
const VPC_FACTS = {
  vpcId: VPC,
  ownerAccountId: OWNER,
  region: 'us-east-1',
  cidrBlock: '10.0.0.0/16',
  defaultSecurityGroupId: DEFAULT_SG,
  tags: [{ key: 'Name', value: 'consumer' }],
};
const createVpc: VpcCommand = { type: 'createVpc', ...VPC_FACTS, now: NOW };

const vpcs = deciderSpec(vpcDecider);
const subnets = deciderSpec(subnetDecider);
const groups = deciderSpec(securityGroupDecider);

const vpcWith = (...commands: VpcCommand[]) => vpcs.run(createVpc, ...commands).state;
const vpcDescription = describeVpc(vpcWith(), OWNER);

describe('CIDR blocks', () => {
  it('parses, contains and overlaps', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 0x0a000000, prefix: 16, text: '10.0.0.0/16' });
    expect(cidrContains(parseCidr('10.0.0.0/16'), parseCidr('10.0.255.0/24'))).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/16'), parseCidr('10.1.0.0/24'))).toBe(false);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24'), parseCidr('10.0.0.128/25'))).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24'))).toBe(false);
  });

  it.each(['10.0.0/16', '10.0.0.256/24', '010.0.0.0/16', '10.0.0.0/33', '10.0.0.1/16', 'ten'])('refuses %p', (value) => {
    expect(caught(() => parseCidr(value, 'CidrBlock'))).toMatchObject({ code: 'InvalidParameterValue', field: 'CidrBlock' });
  });
});

describe('VPC', () => {
  it('is created with its block, owner, tags and its default security group id', () => {
    expect(decideVpc(createVpc, initialVpcState)).toEqual([{ type: 'vpcCreated', ...VPC_FACTS, createdAt: NOW }]);
  });

  it.each(['10.0.0.0/8', '10.0.0.0/29'])('refuses a block of %s with InvalidVpc.Range', (cidrBlock) => {
    expect(caught(() => decideVpc({ ...createVpc, cidrBlock }, initialVpcState))).toMatchObject({ code: 'InvalidVpc.Range' });
  });

  it('takes subnets inside its block that overlap no other', () => {
    const vpc = vpcWith({ type: 'addSubnet', callerAccountId: OWNER, subnetId: SUBNET_A, cidrBlock: '10.0.1.0/24' });
    expect(vpc!.subnets).toEqual([{ subnetId: SUBNET_A, cidrBlock: '10.0.1.0/24' }]);
    expect(
      caught(() => decideVpc({ type: 'addSubnet', callerAccountId: OWNER, subnetId: SUBNET_B, cidrBlock: '10.0.1.128/25' }, vpc)),
    ).toMatchObject({
      code: 'InvalidSubnet.Conflict',
    });
    expect(
      caught(() => decideVpc({ type: 'addSubnet', callerAccountId: OWNER, subnetId: SUBNET_B, cidrBlock: '10.1.0.0/24' }, vpc)),
    ).toMatchObject({
      code: 'InvalidSubnet.Range',
    });
    // The same subnet added again (a retried command) changes nothing.
    expect(decideVpc({ type: 'addSubnet', callerAccountId: OWNER, subnetId: SUBNET_A, cidrBlock: '10.0.1.0/24' }, vpc)).toEqual([]);
  });

  it('is another account’s: reported as unknown for every command', () => {
    const vpc = vpcWith();
    for (const command of [
      { type: 'deleteVpc', callerAccountId: OTHER, now: NOW },
      { type: 'addSubnet', callerAccountId: OTHER, subnetId: SUBNET_A, cidrBlock: '10.0.1.0/24' },
      { type: 'createTags', callerAccountId: OTHER, tags: [{ key: 'a', value: 'b' }] },
    ] as VpcCommand[]) {
      expect(caught(() => decideVpc(command, vpc))).toMatchObject({
        code: 'InvalidVpcID.NotFound',
        message: `The vpc ID '${VPC}' does not exist`,
      });
    }
    expect(caught(() => describeVpc(vpc, OTHER, VPC)).code).toBe('InvalidVpcID.NotFound');
  });

  it('cannot be deleted while it has subnets or security groups other than the default one (DependencyViolation, 409 on REST)', () => {
    const vpc = vpcWith(
      { type: 'addSubnet', callerAccountId: OWNER, subnetId: SUBNET_A, cidrBlock: '10.0.1.0/24' },
      { type: 'addSecurityGroup', callerAccountId: OWNER, groupId: SG, groupName: 'web' },
    );
    const error = caught(() => decideVpc({ type: 'deleteVpc', callerAccountId: OWNER, now: NOW }, vpc));
    expect(error).toMatchObject({ code: 'DependencyViolation', details: { dependencies: [SUBNET_A, SG] } });
    expect(httpStatusFor(error.code)).toBe(409);
    const emptied = vpcs.stateOf(
      [...decideVpc({ type: 'removeSubnet', subnetId: SUBNET_A }, vpc), ...decideVpc({ type: 'removeSecurityGroup', groupId: SG }, vpc)],
      vpc,
    );
    expect(decideVpc({ type: 'deleteVpc', callerAccountId: OWNER, now: NOW }, emptied)).toEqual([
      { type: 'vpcDeleted', vpcId: VPC, deletedAt: NOW },
    ]);
    const deleted = vpcs.stateOf([{ type: 'vpcDeleted', vpcId: VPC, deletedAt: NOW }], emptied);
    expect(decideVpc({ type: 'deleteVpc', callerAccountId: OWNER, now: NOW }, deleted)).toEqual([]);
  });

  it('names its security groups uniquely', () => {
    const vpc = vpcWith({ type: 'addSecurityGroup', callerAccountId: OWNER, groupId: SG, groupName: 'web' });
    expect(
      caught(() =>
        decideVpc(
          { type: 'addSecurityGroup', callerAccountId: OWNER, groupId: securityGroupId('0000000000000000c'), groupName: 'web' },
          vpc,
        ),
      ),
    ).toMatchObject({
      code: 'InvalidGroup.Duplicate',
    });
  });

  it('tags change only when they differ', () => {
    const vpc = vpcWith();
    expect(decideVpc({ type: 'createTags', callerAccountId: OWNER, tags: [{ key: 'Name', value: 'consumer' }] }, vpc)).toEqual([]);
    expect(decideVpc({ type: 'deleteTags', callerAccountId: OWNER, tagKeys: ['Name'] }, vpc)).toEqual([
      { type: 'vpcTagsChanged', vpcId: VPC, tags: [] },
    ]);
  });
});

describe('subnet', () => {
  const create: SubnetCommand = {
    type: 'createSubnet',
    subnetId: SUBNET_A,
    vpc: vpcDescription,
    cidrBlock: '10.0.1.0/24',
    availabilityZone: { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
    now: NOW,
  };
  const created = (): SubnetEvent[] => decideSubnet(create, initialSubnetState);

  it('is created in its VPC and zone, owned by the VPC’s account', () => {
    expect(created()).toEqual([
      {
        type: 'subnetCreated',
        subnetId: SUBNET_A,
        vpcId: VPC,
        ownerAccountId: OWNER,
        cidrBlock: '10.0.1.0/24',
        availabilityZone: { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
        tags: [],
        createdAt: NOW,
      },
    ]);
  });

  it('refuses a zone of another Region', () => {
    expect(
      caught(() => decideSubnet({ ...create, availabilityZone: { zoneName: 'eu-west-1a', zoneId: 'euw1-az1' } }, initialSubnetState)),
    ).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'availabilityZone',
    });
  });

  it('cannot be deleted while an endpoint uses it; deleting twice is a no-op', () => {
    const subnet = subnets.stateOf(created());
    const used = subnets.after(subnet, { type: 'markUsedByEndpoint', vpcEndpointId: VPCE });
    expect(caught(() => decideSubnet({ type: 'deleteSubnet', callerAccountId: OWNER, now: NOW }, used))).toMatchObject({
      code: 'DependencyViolation',
      details: { vpcEndpointIds: [VPCE] },
    });
    const released = subnets.after(used, { type: 'markReleasedByEndpoint', vpcEndpointId: VPCE });
    const deleted = subnets.after(released, { type: 'deleteSubnet', callerAccountId: OWNER, now: NOW });
    expect(deleted!.status).toBe('deleted');
    expect(decideSubnet({ type: 'deleteSubnet', callerAccountId: OWNER, now: NOW }, deleted)).toEqual([]);
  });

  it('named in an endpoint request: its zone; another VPC’s is InvalidParameterValue, another account’s NotFound', () => {
    const subnet = subnets.stateOf(created());
    expect(subnetForEndpointRequest(subnet, SUBNET_A, 'SubnetId.1', OWNER, VPC)).toEqual({
      subnetId: SUBNET_A,
      vpcId: VPC,
      ownerAccountId: OWNER,
      availabilityZone: { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
    });
    expect(caught(() => subnetForEndpointRequest(subnet, SUBNET_A, 'SubnetId.1', OWNER, vpcId('0000000000000000f')))).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'SubnetId.1',
    });
    expect(caught(() => subnetForEndpointRequest(subnet, SUBNET_A, 'SubnetId.1', OTHER, VPC)).code).toBe('InvalidSubnetID.NotFound');
    expect(caught(() => subnetForEndpointRequest(null, 'subnet-x', 'SubnetId.1', OWNER)).code).toBe('InvalidParameterValue');
  });
});

describe('security group', () => {
  const create: SecurityGroupCommand = {
    type: 'createSecurityGroup',
    groupId: SG,
    groupName: 'web',
    description: 'web tier',
    vpc: vpcDescription,
    now: NOW,
  };

  it('the default group is created with the VPC, named default, and cannot be deleted on its own', () => {
    const events = decideSecurityGroup(
      { type: 'createDefaultSecurityGroup', groupId: DEFAULT_SG, vpc: vpcDescription, now: NOW },
      initialSecurityGroupState,
    );
    expect(events).toEqual([
      {
        type: 'securityGroupCreated',
        groupId: DEFAULT_SG,
        groupName: 'default',
        description: 'default VPC security group',
        vpcId: VPC,
        ownerAccountId: OWNER,
        isDefault: true,
        tags: [],
        createdAt: NOW,
      },
    ]);
    const group = groups.stateOf(events);
    expect(caught(() => decideSecurityGroup({ type: 'deleteSecurityGroup', callerAccountId: OWNER, now: NOW }, group)).code).toBe(
      'CannotDelete',
    );
    expect(decideSecurityGroup({ type: 'deleteWithVpc', now: NOW }, group)).toEqual([
      { type: 'securityGroupDeleted', groupId: DEFAULT_SG, vpcId: VPC, deletedAt: NOW },
    ]);
  });

  it.each([
    ['', 'MissingParameter'],
    ['default', 'InvalidGroup.Reserved'],
    ['sg-web', 'InvalidParameterValue'],
    ['x'.repeat(256), 'InvalidParameterValue'],
    ['naïve', 'InvalidParameterValue'],
  ])('refuses the name %p with %s', (name, code) => {
    expect(caught(() => validateSecurityGroupName(name)).code).toBe(code);
  });

  it('cannot be deleted while an endpoint uses it, nor by another account', () => {
    const group = groups.stateOf(decideSecurityGroup(create, initialSecurityGroupState));
    const used = groups.after(group, { type: 'markUsedByEndpoint', vpcEndpointId: VPCE });
    expect(caught(() => decideSecurityGroup({ type: 'deleteSecurityGroup', callerAccountId: OWNER, now: NOW }, used)).code).toBe(
      'DependencyViolation',
    );
    expect(caught(() => decideSecurityGroup({ type: 'deleteSecurityGroup', callerAccountId: OTHER, now: NOW }, group)).code).toBe(
      'InvalidGroup.NotFound',
    );
    expect(decideSecurityGroup({ type: 'deleteSecurityGroup', callerAccountId: OWNER, now: NOW }, group)).toEqual([
      { type: 'securityGroupDeleted', groupId: SG, vpcId: VPC, deletedAt: NOW },
    ]);
  });

  it('named in an endpoint request: the caller’s, in the endpoint’s VPC', () => {
    const group = groups.stateOf(decideSecurityGroup(create, initialSecurityGroupState));
    expect(securityGroupForEndpointRequest(group, SG, 'SecurityGroupId.1', OWNER, VPC)).toBe(SG);
    expect(caught(() => securityGroupForEndpointRequest(group, SG, 'SecurityGroupId.1', OWNER, vpcId('0000000000000000f'))).code).toBe(
      'InvalidParameterValue',
    );
    expect(caught(() => securityGroupForEndpointRequest(group, SG, 'SecurityGroupId.1', OTHER, VPC)).code).toBe('InvalidGroup.NotFound');
  });
});

describe('Availability Zones of the Region', () => {
  it('six zones, name and id in step', () => {
    expect(availabilityZonesOf('us-east-1').slice(0, 2)).toEqual([
      { zoneName: 'us-east-1a', zoneId: 'use1-az1' },
      { zoneName: 'us-east-1b', zoneId: 'use1-az2' },
    ]);
    expect(availabilityZonesOf('eu-west-2')[5]).toEqual({ zoneName: 'eu-west-2f', zoneId: 'euw2-az6' });
  });

  it('resolves a name or an id, refuses both, neither or another Region’s', () => {
    expect(resolveAvailabilityZone('us-east-1', { zoneName: 'us-east-1c' })).toEqual({ zoneName: 'us-east-1c', zoneId: 'use1-az3' });
    expect(resolveAvailabilityZone('us-east-1', { zoneId: 'use1-az2' })).toEqual({ zoneName: 'us-east-1b', zoneId: 'use1-az2' });
    expect(caught(() => resolveAvailabilityZone('us-east-1', { zoneName: 'us-east-1a', zoneId: 'use1-az1' })).code).toBe(
      'InvalidParameterCombination',
    );
    expect(caught(() => resolveAvailabilityZone('us-east-1', {})).code).toBe('MissingParameter');
    expect(caught(() => resolveAvailabilityZone('us-east-1', { zoneName: 'eu-west-1a' })).code).toBe('InvalidParameterValue');
  });
});
