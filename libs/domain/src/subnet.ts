// A subnet of the network inventory: in one VPC and one Availability Zone, owned by the VPC's account.
// One stream per subnet id. Its VPC checks the CIDR block (the handler appends the VPC's `addSubnet` in the
// same transaction); the subnet keeps its zone, which is what an interface endpoint's rules need
// ("one subnet per Availability Zone", the service's zones), and the endpoints placed in it: a subnet
// with endpoints cannot be deleted (DependencyViolation).
import { AvailabilityZone, assertZoneId, assertZoneName, regionOfZoneName } from './availability-zones';
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
import { assertSubnetId } from './network-ids';
import { Tag, TagCommand, copyTags, validateTags, withTags } from './tags';
import { VpcDescription } from './vpc';

/** A subnet as its creation describes it (the created event's facts). */
export interface SubnetCreation {
  subnetId: string;
  vpcId: string;
  ownerAccountId: string;
  cidrBlock: string;
  availabilityZone: AvailabilityZone;
  tags: Tag[];
  createdAt: string;
}

export interface SubnetState extends SubnetCreation, OwnedResource, UsedByEndpoints {}

export type SubnetCommand =
  | {
      type: 'createSubnet';
      subnetId: string;
      /** The caller's VPC (describeVpc): the handler has already had the VPC accept the block. */
      vpc: VpcDescription;
      cidrBlock: string;
      availabilityZone: AvailabilityZone;
      tags?: Tag[];
      now: string;
    }
  | { type: 'deleteSubnet'; callerAccountId: string; now: string }
  | EndpointUseCommand
  | (TagCommand & { callerAccountId: string });

export type SubnetEvent =
  | (SubnetCreation & { type: 'subnetCreated' })
  | { type: 'subnetDeleted'; subnetId: string; vpcId: string; deletedAt: string }
  | { type: 'subnetAttachedToEndpoint'; subnetId: string; vpcEndpointId: string }
  | { type: 'subnetDetachedFromEndpoint'; subnetId: string; vpcEndpointId: string }
  | { type: 'subnetTagsChanged'; subnetId: string; tags: Tag[] };

export const initialSubnetState: SubnetState | null = null;

/** What an endpoint needs to know of a subnet named in its request. */
export interface SubnetDescription {
  subnetId: string;
  vpcId: string;
  ownerAccountId: string;
  availabilityZone: AvailabilityZone;
}

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

const subnets: EndpointUsedKind<SubnetState, SubnetEvent> = {
  idOf: (subnet) => subnet.subnetId,
  notFound: (id) => new DomainError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`, 'subnetId'),
  deleted: ({ subnetId, vpcId }, deletedAt) => ({ type: 'subnetDeleted', subnetId, vpcId, deletedAt }),
  attached: ({ subnetId }, vpcEndpointId) => ({ type: 'subnetAttachedToEndpoint', subnetId, vpcEndpointId }),
  detached: ({ subnetId }, vpcEndpointId) => ({ type: 'subnetDetachedFromEndpoint', subnetId, vpcEndpointId }),
  tagsChanged: ({ subnetId }, tags) => ({ type: 'subnetTagsChanged', subnetId, tags }),
};

/** The caller's subnet, available; any other is InvalidSubnetID.NotFound (another account's looks unknown). */
export function requireOwnSubnet(state: SubnetState | null, callerAccountId: string, subnetId?: string): SubnetState {
  return requireOwn(subnets, state, callerAccountId, subnetId);
}

function zoneMustBeInTheVpcsRegion(zone: AvailabilityZone, vpc: VpcDescription): AvailabilityZone {
  const zoneName = assertZoneName(zone?.zoneName, 'availabilityZone');
  const zoneId = assertZoneId(zone?.zoneId, 'availabilityZoneId');
  if (regionOfZoneName(zoneName) !== vpc.region) {
    throw invalid('availabilityZone', `availabilityZone: ${zoneName} is not in the VPC's Region ${vpc.region}`);
  }
  return { zoneName, zoneId };
}

function cannotDeleteWhileEndpointsUseIt(subnet: SubnetState): void {
  noEndpointMayUse(subnet, `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted`, 'subnetId');
}

// ── decide / evolve ──────────────────────────────────────────────────────────────────────────────

export function decideSubnet(command: SubnetCommand, state: SubnetState | null): SubnetEvent[] {
  switch (command.type) {
    case 'createSubnet': {
      const subnetId = assertSubnetId(command.subnetId);
      if (state) throw new DomainError('IncorrectState', `subnet ${subnetId} already exists`, 'subnetId');
      return [
        {
          type: 'subnetCreated',
          subnetId,
          vpcId: command.vpc.vpcId,
          ownerAccountId: command.vpc.ownerAccountId,
          cidrBlock: command.cidrBlock,
          availabilityZone: zoneMustBeInTheVpcsRegion(command.availabilityZone, command.vpc),
          tags: validateTags(command.tags, 'tags'),
          createdAt: command.now,
        },
      ];
    }
    case 'deleteSubnet':
      return decideDelete(subnets, state, command, cannotDeleteWhileEndpointsUseIt);
    case 'markUsedByEndpoint':
    case 'markReleasedByEndpoint':
      return decideEndpointUse(subnets, state, command);
    case 'createTags':
    case 'deleteTags':
      return decideRetag(subnets, state, command);
  }
}

export function evolveSubnet(state: SubnetState | null, event: SubnetEvent): SubnetState | null {
  switch (event.type) {
    case 'subnetCreated':
      return {
        subnetId: event.subnetId,
        vpcId: event.vpcId,
        ownerAccountId: event.ownerAccountId,
        cidrBlock: event.cidrBlock,
        availabilityZone: { ...event.availabilityZone },
        tags: copyTags(event.tags),
        usedByEndpointIds: [],
        ...available(event.createdAt),
      };
    case 'subnetDeleted':
      return markDeleted(state, event.deletedAt);
    case 'subnetAttachedToEndpoint':
      return withEndpoint(state, event.vpcEndpointId);
    case 'subnetDetachedFromEndpoint':
      return withoutEndpoint(state, event.vpcEndpointId);
    case 'subnetTagsChanged':
      return withTags(state, event.tags);
  }
}

export const subnetDecider = inventoryDecider(decideSubnet, evolveSubnet);

/**
 * A subnet named in an endpoint request: the caller's own, available, and in the endpoint's VPC when one
 * is given; a subnet of another VPC is InvalidParameterValue (EC2's answer), of another account NotFound.
 */
export function subnetForEndpointRequest(
  state: SubnetState | null,
  subnetId: unknown,
  field: string,
  callerAccountId: string,
  vpcId?: string,
): SubnetDescription {
  const id = assertSubnetId(subnetId, field);
  const own = ownAvailable(state, callerAccountId);
  if (!own) {
    throw new DomainError('InvalidSubnetID.NotFound', `${field}: The subnet ID '${id}' does not exist`, field);
  }
  if (vpcId !== undefined && own.vpcId !== vpcId) {
    throw invalid(field, `${field}: the subnet ${id} is in VPC ${own.vpcId}, not in the endpoint's VPC ${vpcId}`);
  }
  return {
    subnetId: own.subnetId,
    vpcId: own.vpcId,
    ownerAccountId: own.ownerAccountId,
    availabilityZone: { ...own.availabilityZone },
  };
}
