// A security group of the network inventory: in one VPC, owned by the VPC's account; one stream per group
// id. Every VPC has a default group, created with the VPC (`createDefaultSecurityGroup`, named `default`),
// that cannot be deleted on its own ("CannotDelete"); it goes with its VPC (`deleteWithVpc`). Other groups
// are named uniquely per VPC (the VPC checks: the handler appends its `addSecurityGroup` in the same
// transaction) and cannot be deleted while an endpoint uses them (DependencyViolation).
import { DomainError, invalid } from './errors';
import {
  EndpointUseEvent,
  EndpointUsedCommand,
  EndpointUsedState,
  InventoryCreation,
  InventoryKind,
  createdState,
  decideInventory,
  deletedEvent,
  evolveInventory,
  inventoryDecider,
  noEndpointMayUse,
  ownForEndpointRequest,
  requireOwnOf,
} from './network-resource';
import { assertSecurityGroupId } from './network-ids';
import { Tag, validateTags } from './tags';
import { VpcDescription } from './vpc';

export const DEFAULT_SECURITY_GROUP_NAME = 'default';
export const DEFAULT_SECURITY_GROUP_DESCRIPTION = 'default VPC security group';
const MAX_NAME_LENGTH = 255;

/** A security group as its creation describes it (the created event's facts). */
export interface SecurityGroupCreation extends InventoryCreation {
  groupId: string;
  groupName: string;
  description: string;
  isDefault: boolean;
}

export interface SecurityGroupState extends SecurityGroupCreation, EndpointUsedState {}

export type SecurityGroupCommand =
  | { type: 'createSecurityGroup'; groupId: string; groupName: string; description: string; vpc: VpcDescription; tags?: Tag[]; now: string }
  | { type: 'createDefaultSecurityGroup'; groupId: string; vpc: VpcDescription; now: string }
  | EndpointUsedCommand<'deleteSecurityGroup'>
  /** The VPC is being deleted: its default group goes with it. */
  | { type: 'deleteWithVpc'; now: string };

/**
 * securityGroupCreated, then securityGroupDeleted, securityGroupAttachedToEndpoint,
 * securityGroupDetachedFromEndpoint, securityGroupTagsChanged.
 */
export type SecurityGroupEvent = (SecurityGroupCreation & { type: 'securityGroupCreated' }) | EndpointUseEvent<'securityGroup', 'groupId'>;

export const initialSecurityGroupState: SecurityGroupState | null = null;

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

const groups: InventoryKind<SecurityGroupState> = {
  idField: 'groupId',
  eventPrefix: 'securityGroup',
  noun: 'security group',
  notFound: (id) => new DomainError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 'groupId'),
};

/** The caller's group, available; any other is InvalidGroup.NotFound (another account's looks unknown). */
export const requireOwnSecurityGroup = requireOwnOf(groups);

/** 1 to 255 ASCII characters, not starting with `sg-`, not `default` (the VPC's own group is). */
export function validateSecurityGroupName(value: unknown, field = 'groupName'): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new DomainError('MissingParameter', `${field}: a group name is required`, field);
  if (value.length > MAX_NAME_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    throw invalid(field, `${field}: a group name is 1 to ${MAX_NAME_LENGTH} printable ASCII characters`);
  }
  if (value.toLowerCase().startsWith('sg-')) throw invalid(field, `${field}: a group name cannot start with sg-`);
  if (value === DEFAULT_SECURITY_GROUP_NAME) {
    throw new DomainError(
      'InvalidGroup.Reserved',
      `${field}: the name '${DEFAULT_SECURITY_GROUP_NAME}' is the VPC's default group's`,
      field,
    );
  }
  return value;
}

function validateDescription(value: unknown, field = 'description'): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new DomainError('MissingParameter', `${field}: a group description is required`, field);
  if (value.length > MAX_NAME_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    throw invalid(field, `${field}: a group description is 1 to ${MAX_NAME_LENGTH} printable ASCII characters`);
  }
  return value;
}

function cannotDeleteWhileEndpointsUseIt(group: SecurityGroupState): void {
  noEndpointMayUse(group, `resource ${group.groupId} has a dependent object`, 'groupId');
}

/** The default group goes with its VPC only. */
function mayDeleteOnItsOwn(group: SecurityGroupState): void {
  if (group.isDefault) {
    throw new DomainError(
      'CannotDelete',
      `the default security group ${group.groupId} of ${group.vpcId} is deleted with its VPC only`,
      'groupId',
    );
  }
  cannotDeleteWhileEndpointsUseIt(group);
}

// ── decide / evolve ──────────────────────────────────────────────────────────────────────────────

export function decideSecurityGroup(command: SecurityGroupCommand, state: SecurityGroupState | null): SecurityGroupEvent[] {
  switch (command.type) {
    case 'createSecurityGroup':
    case 'createDefaultSecurityGroup': {
      const groupId = assertSecurityGroupId(command.groupId);
      if (state) throw new DomainError('IncorrectState', `security group ${groupId} already exists`, 'groupId');
      const isDefault = command.type === 'createDefaultSecurityGroup';
      return [
        {
          type: 'securityGroupCreated',
          groupId,
          groupName: isDefault ? DEFAULT_SECURITY_GROUP_NAME : validateSecurityGroupName(command.groupName),
          description: isDefault ? DEFAULT_SECURITY_GROUP_DESCRIPTION : validateDescription(command.description),
          vpcId: command.vpc.vpcId,
          ownerAccountId: command.vpc.ownerAccountId,
          isDefault,
          tags: isDefault ? [] : validateTags(command.tags, 'tags'),
          createdAt: command.now,
        },
      ];
    }
    case 'deleteWithVpc':
      if (!state || state.status === 'deleted') return [];
      cannotDeleteWhileEndpointsUseIt(state);
      return [deletedEvent(groups, state, command.now)];
    default:
      return decideInventory(groups, state, command, mayDeleteOnItsOwn);
  }
}

export function evolveSecurityGroup(state: SecurityGroupState | null, event: SecurityGroupEvent): SecurityGroupState | null {
  if (event.type !== 'securityGroupCreated') return evolveInventory(groups, state, event);
  return { ...createdState(event), usedByEndpointIds: [] };
}

export const securityGroupDecider = inventoryDecider(decideSecurityGroup, evolveSecurityGroup);

/** A group named in an endpoint request: the caller's own, available, in the endpoint's VPC. */
export function securityGroupForEndpointRequest(
  state: SecurityGroupState | null,
  groupId: unknown,
  field: string,
  callerAccountId: string,
  vpcId: string,
): string {
  return ownForEndpointRequest(groups, state, assertSecurityGroupId(groupId, field), field, callerAccountId, vpcId).groupId;
}
