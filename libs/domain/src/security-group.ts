// A security group of the network inventory: in one VPC, owned by the VPC's account; one stream per group
// id. Every VPC has a default group, created with the VPC (`createDefaultSecurityGroup`, named `default`),
// that cannot be deleted on its own ("CannotDelete"); it goes with its VPC (`deleteWithVpc`). Other groups
// are named uniquely per VPC (the VPC checks: the handler appends its `addSecurityGroup` in the same
// transaction) and cannot be deleted while an endpoint uses them (DependencyViolation).
import { DomainError, invalid } from './errors';
import {
  EndpointUseCommand,
  EndpointUsedKind,
  OwnedResource,
  UsedByEndpoints,
  available,
  decideDelete,
  decideEndpointUse,
  decideRetag,
  inventoryDecider,
  markDeleted,
  noEndpointMayUse,
  ownAvailable,
  requireOwn,
  withEndpoint,
  withoutEndpoint,
} from './network-resource';
import { assertSecurityGroupId } from './network-ids';
import { Tag, TagCommand, copyTags, validateTags, withTags } from './tags';
import { VpcDescription } from './vpc';

export const DEFAULT_SECURITY_GROUP_NAME = 'default';
export const DEFAULT_SECURITY_GROUP_DESCRIPTION = 'default VPC security group';
const MAX_NAME_LENGTH = 255;

/** A security group as its creation describes it (the created event's facts). */
export interface SecurityGroupCreation {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ownerAccountId: string;
  isDefault: boolean;
  tags: Tag[];
  createdAt: string;
}

export interface SecurityGroupState extends SecurityGroupCreation, OwnedResource, UsedByEndpoints {}

export type SecurityGroupCommand =
  | { type: 'createSecurityGroup'; groupId: string; groupName: string; description: string; vpc: VpcDescription; tags?: Tag[]; now: string }
  | { type: 'createDefaultSecurityGroup'; groupId: string; vpc: VpcDescription; now: string }
  | { type: 'deleteSecurityGroup'; callerAccountId: string; now: string }
  /** The VPC is being deleted: its default group goes with it. */
  | { type: 'deleteWithVpc'; now: string }
  | EndpointUseCommand
  | (TagCommand & { callerAccountId: string });

export type SecurityGroupEvent =
  | (SecurityGroupCreation & { type: 'securityGroupCreated' })
  | { type: 'securityGroupDeleted'; groupId: string; vpcId: string; deletedAt: string }
  | { type: 'securityGroupAttachedToEndpoint'; groupId: string; vpcEndpointId: string }
  | { type: 'securityGroupDetachedFromEndpoint'; groupId: string; vpcEndpointId: string }
  | { type: 'securityGroupTagsChanged'; groupId: string; tags: Tag[] };

export const initialSecurityGroupState: SecurityGroupState | null = null;

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

const groups: EndpointUsedKind<SecurityGroupState, SecurityGroupEvent> = {
  idOf: (group) => group.groupId,
  notFound: (id) => new DomainError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 'groupId'),
  deleted: ({ groupId, vpcId }, deletedAt) => ({ type: 'securityGroupDeleted', groupId, vpcId, deletedAt }),
  attached: ({ groupId }, vpcEndpointId) => ({ type: 'securityGroupAttachedToEndpoint', groupId, vpcEndpointId }),
  detached: ({ groupId }, vpcEndpointId) => ({ type: 'securityGroupDetachedFromEndpoint', groupId, vpcEndpointId }),
  tagsChanged: ({ groupId }, tags) => ({ type: 'securityGroupTagsChanged', groupId, tags }),
};

/** The caller's group, available; any other is InvalidGroup.NotFound (another account's looks unknown). */
export function requireOwnSecurityGroup(state: SecurityGroupState | null, callerAccountId: string, groupId?: string): SecurityGroupState {
  return requireOwn(groups, state, callerAccountId, groupId);
}

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
    case 'deleteSecurityGroup':
      return decideDelete(groups, state, command, mayDeleteOnItsOwn);
    case 'deleteWithVpc':
      if (!state || state.status === 'deleted') return [];
      cannotDeleteWhileEndpointsUseIt(state);
      return [groups.deleted(state, command.now)];
    case 'markUsedByEndpoint':
    case 'markReleasedByEndpoint':
      return decideEndpointUse(groups, state, command);
    case 'createTags':
    case 'deleteTags':
      return decideRetag(groups, state, command);
  }
}

export function evolveSecurityGroup(state: SecurityGroupState | null, event: SecurityGroupEvent): SecurityGroupState | null {
  switch (event.type) {
    case 'securityGroupCreated':
      return {
        groupId: event.groupId,
        groupName: event.groupName,
        description: event.description,
        vpcId: event.vpcId,
        ownerAccountId: event.ownerAccountId,
        isDefault: event.isDefault,
        tags: copyTags(event.tags),
        usedByEndpointIds: [],
        ...available(event.createdAt),
      };
    case 'securityGroupDeleted':
      return markDeleted(state, event.deletedAt);
    case 'securityGroupAttachedToEndpoint':
      return withEndpoint(state, event.vpcEndpointId);
    case 'securityGroupDetachedFromEndpoint':
      return withoutEndpoint(state, event.vpcEndpointId);
    case 'securityGroupTagsChanged':
      return withTags(state, event.tags);
  }
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
  const id = assertSecurityGroupId(groupId, field);
  const own = ownAvailable(state, callerAccountId);
  if (!own) {
    throw new DomainError('InvalidGroup.NotFound', `${field}: The security group '${id}' does not exist`, field);
  }
  if (own.vpcId !== vpcId)
    throw invalid(field, `${field}: the security group ${id} is in VPC ${own.vpcId}, not in the endpoint's VPC ${vpcId}`);
  return id;
}
