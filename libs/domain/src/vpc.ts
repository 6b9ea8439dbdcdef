// A VPC of the network inventory (the consumer's, where its endpoints go; the provider's, where its load
// balancers are). One stream per VPC id, owned by one account: another account's VPC is reported exactly
// like an unknown one. The VPC keeps the CIDR blocks of its subnets (a new subnet must lie inside the VPC's
// block and overlap none of them) and its security groups' names (unique per VPC); its default security
// group is created with it (the handler appends the group's `createDefaultSecurityGroup` in the same
// transaction), and it cannot be deleted while it has subnets or other groups ("DependencyViolation").
import { cidrContains, cidrOfAllowedSize, cidrsOverlap, parseCidr } from './cidr';
import { DomainError } from './errors';
import { assertRegion } from './availability-zones';
import { assertSecurityGroupId, assertSubnetId, assertVpcId } from './network-ids';
import {
  InventoryEvent,
  InventoryCreation,
  InventoryKind,
  OwnedResource,
  OwnerCommand,
  createdState,
  decideInventory,
  evolveInventory,
  inventoryDecider,
  requireOwnOf,
  withItem,
  withoutItems,
} from './network-resource';
import { Tag, validateTags } from './tags';

export interface VpcSubnet {
  subnetId: string;
  cidrBlock: string;
}

export interface VpcSecurityGroup {
  groupId: string;
  groupName: string;
}

/** A VPC as its creation describes it (the created event's facts). */
export interface VpcCreation extends InventoryCreation {
  region: string;
  cidrBlock: string;
  defaultSecurityGroupId: string;
}

export interface VpcState extends VpcCreation, OwnedResource {
  subnets: VpcSubnet[];
  /** The groups other than the default one. */
  securityGroups: VpcSecurityGroup[];
}

export type VpcCommand =
  | {
      type: 'createVpc';
      vpcId: string;
      ownerAccountId: string;
      region: string;
      cidrBlock: string;
      defaultSecurityGroupId: string;
      tags?: Tag[];
      now: string;
    }
  | OwnerCommand<'deleteVpc'>
  | { type: 'addSubnet'; callerAccountId: string; subnetId: string; cidrBlock: string }
  | { type: 'removeSubnet'; subnetId: string }
  | { type: 'addSecurityGroup'; callerAccountId: string; groupId: string; groupName: string }
  | { type: 'removeSecurityGroup'; groupId: string };

/** Besides its own, vpcDeleted (its `vpcId` is the VPC's own) and vpcTagsChanged. */
export type VpcEvent =
  | (VpcCreation & { type: 'vpcCreated' })
  | { type: 'vpcSubnetAdded'; vpcId: string; subnetId: string; cidrBlock: string }
  | { type: 'vpcSubnetRemoved'; vpcId: string; subnetId: string }
  | { type: 'vpcSecurityGroupAdded'; vpcId: string; groupId: string; groupName: string }
  | { type: 'vpcSecurityGroupRemoved'; vpcId: string; groupId: string }
  | InventoryEvent<'vpc', 'vpcId'>;

export const initialVpcState: VpcState | null = null;

/** What a subnet or a security group needs to know of its VPC; the command handler loads it. */
export interface VpcDescription {
  vpcId: string;
  ownerAccountId: string;
  region: string;
  cidrBlock: string;
}

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

const vpcs: InventoryKind<VpcState> = {
  idField: 'vpcId',
  eventPrefix: 'vpc',
  noun: 'VPC',
  notFound: (id) => new DomainError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`, 'vpcId'),
};

/** The caller's VPC, available; any other (unknown, deleted, another account's) is InvalidVpcID.NotFound. */
export const requireOwnVpc = requireOwnOf(vpcs);

function cannotCreateTwice(state: VpcState | null, vpcId: string): void {
  if (state) throw new DomainError('IncorrectState', `vpc ${vpcId} already exists`, 'vpcId');
}

function cannotDeleteWithDependencies(vpc: VpcState): void {
  const dependants = [...vpc.subnets.map((s) => s.subnetId), ...vpc.securityGroups.map((g) => g.groupId)];
  if (dependants.length > 0) {
    throw new DomainError(
      'DependencyViolation',
      `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted: delete ${dependants.join(', ')} first`,
      'vpcId',
      { dependencies: dependants },
    );
  }
}

/** A subnet's block: /16 to /28, inside the VPC's block, overlapping none of the VPC's subnets. */
function subnetBlockMustFit(vpc: VpcState, cidrBlock: string): string {
  const block = cidrOfAllowedSize(cidrBlock, 'cidrBlock', 'InvalidSubnet.Range');
  if (!cidrContains(parseCidr(vpc.cidrBlock), block)) {
    throw new DomainError(
      'InvalidSubnet.Range',
      `cidrBlock: the CIDR '${block.text}' is not within the VPC's block ${vpc.cidrBlock}`,
      'cidrBlock',
    );
  }
  const clash = vpc.subnets.find((s) => cidrsOverlap(parseCidr(s.cidrBlock), block));
  if (clash) {
    throw new DomainError(
      'InvalidSubnet.Conflict',
      `cidrBlock: the CIDR '${block.text}' conflicts with subnet ${clash.subnetId} (${clash.cidrBlock})`,
      'cidrBlock',
    );
  }
  return block.text;
}

function groupNameMustBeFree(vpc: VpcState, groupName: string): void {
  if (vpc.securityGroups.some((g) => g.groupName === groupName)) {
    throw new DomainError('InvalidGroup.Duplicate', `The security group '${groupName}' already exists for VPC '${vpc.vpcId}'`, 'groupName');
  }
}

// ── decide / evolve ──────────────────────────────────────────────────────────────────────────────

export function decideVpc(command: VpcCommand, state: VpcState | null): VpcEvent[] {
  switch (command.type) {
    case 'createVpc': {
      const vpcId = assertVpcId(command.vpcId);
      cannotCreateTwice(state, vpcId);
      return [
        {
          type: 'vpcCreated',
          vpcId,
          ownerAccountId: command.ownerAccountId,
          region: assertRegion(command.region),
          cidrBlock: cidrOfAllowedSize(command.cidrBlock, 'cidrBlock', 'InvalidVpc.Range').text,
          defaultSecurityGroupId: assertSecurityGroupId(command.defaultSecurityGroupId, 'defaultSecurityGroupId'),
          tags: validateTags(command.tags, 'tags'),
          createdAt: command.now,
        },
      ];
    }
    case 'addSubnet': {
      const vpc = requireOwnVpc(state, command.callerAccountId);
      const subnetId = assertSubnetId(command.subnetId);
      if (vpc.subnets.some((s) => s.subnetId === subnetId)) return [];
      return [{ type: 'vpcSubnetAdded', vpcId: vpc.vpcId, subnetId, cidrBlock: subnetBlockMustFit(vpc, command.cidrBlock) }];
    }
    case 'removeSubnet':
      if (!state || !state.subnets.some((s) => s.subnetId === command.subnetId)) return [];
      return [{ type: 'vpcSubnetRemoved', vpcId: state.vpcId, subnetId: command.subnetId }];
    case 'addSecurityGroup': {
      const vpc = requireOwnVpc(state, command.callerAccountId);
      const groupId = assertSecurityGroupId(command.groupId);
      if (vpc.securityGroups.some((g) => g.groupId === groupId)) return [];
      groupNameMustBeFree(vpc, command.groupName);
      return [{ type: 'vpcSecurityGroupAdded', vpcId: vpc.vpcId, groupId, groupName: command.groupName }];
    }
    case 'removeSecurityGroup':
      if (!state || !state.securityGroups.some((g) => g.groupId === command.groupId)) return [];
      return [{ type: 'vpcSecurityGroupRemoved', vpcId: state.vpcId, groupId: command.groupId }];
    default:
      return decideInventory(vpcs, state, command, cannotDeleteWithDependencies);
  }
}

export function evolveVpc(state: VpcState | null, event: VpcEvent): VpcState | null {
  switch (event.type) {
    case 'vpcCreated':
      return { ...createdState(event), subnets: [], securityGroups: [] };
    case 'vpcSubnetAdded':
      return withItem(state, 'subnets', { subnetId: event.subnetId, cidrBlock: event.cidrBlock });
    case 'vpcSubnetRemoved':
      return withoutItems(state, 'subnets', (s) => s.subnetId === event.subnetId);
    case 'vpcSecurityGroupAdded':
      return withItem(state, 'securityGroups', { groupId: event.groupId, groupName: event.groupName });
    case 'vpcSecurityGroupRemoved':
      return withoutItems(state, 'securityGroups', (g) => g.groupId === event.groupId);
    default:
      return evolveInventory(vpcs, state, event);
  }
}

export const vpcDecider = inventoryDecider(decideVpc, evolveVpc);

/** The description a subnet or security group command carries (the caller's own available VPC). */
export function describeVpc(state: VpcState | null, callerAccountId: string, vpcId?: string): VpcDescription {
  const vpc = requireOwnVpc(state, callerAccountId, vpcId);
  return { vpcId: vpc.vpcId, ownerAccountId: vpc.ownerAccountId, region: vpc.region, cidrBlock: vpc.cidrBlock };
}
