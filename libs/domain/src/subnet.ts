// A subnet of the network inventory: in one VPC and one Availability Zone, owned by the VPC's account.
// One stream per subnet id. Its VPC checks the CIDR block (the handler appends the VPC's `addSubnet` in the
// same transaction); the subnet keeps its zone, which is what an interface endpoint's rules need
// ("one subnet per Availability Zone", the service's zones), and the endpoints placed in it: a subnet
// with endpoints cannot be deleted (DependencyViolation).
import { AvailabilityZone, assertZoneId, assertZoneName, regionOfZoneName } from './availability-zones';
import { DomainError, invalid } from './errors';
import {
  EndpointUseEvent,
  EndpointUsedCommand,
  EndpointUsedState,
  InventoryCreation,
  InventoryKind,
  createdState,
  decideInventory,
  evolveInventory,
  inventoryDecider,
  noEndpointMayUse,
  ownForEndpointRequest,
  requireOwnOf,
} from './network-resource';
import { assertSubnetId } from './network-ids';
import { Tag, validateTags } from './tags';
import { VpcDescription } from './vpc';

/** A subnet as its creation describes it (the created event's facts). */
export interface SubnetCreation extends InventoryCreation {
  subnetId: string;
  cidrBlock: string;
  availabilityZone: AvailabilityZone;
}

export interface SubnetState extends SubnetCreation, EndpointUsedState {}

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
  | EndpointUsedCommand<'deleteSubnet'>;

/** subnetCreated, then subnetDeleted, subnetAttachedToEndpoint, subnetDetachedFromEndpoint, subnetTagsChanged. */
export type SubnetEvent = (SubnetCreation & { type: 'subnetCreated' }) | EndpointUseEvent<'subnet', 'subnetId'>;

export const initialSubnetState: SubnetState | null = null;

/** What an endpoint needs to know of a subnet named in its request. */
export interface SubnetDescription {
  subnetId: string;
  vpcId: string;
  ownerAccountId: string;
  availabilityZone: AvailabilityZone;
}

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

const subnets: InventoryKind<SubnetState> = {
  idField: 'subnetId',
  eventPrefix: 'subnet',
  noun: 'subnet',
  notFound: (id) => new DomainError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`, 'subnetId'),
};

/** The caller's subnet, available; any other is InvalidSubnetID.NotFound (another account's looks unknown). */
export const requireOwnSubnet = requireOwnOf(subnets);

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
    default:
      return decideInventory(subnets, state, command, cannotDeleteWhileEndpointsUseIt);
  }
}

export function evolveSubnet(state: SubnetState | null, event: SubnetEvent): SubnetState | null {
  if (event.type !== 'subnetCreated') return evolveInventory(subnets, state, event);
  return { ...createdState(event), availabilityZone: { ...event.availabilityZone }, usedByEndpointIds: [] };
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
  const own = ownForEndpointRequest(subnets, state, assertSubnetId(subnetId, field), field, callerAccountId, vpcId);
  return {
    subnetId: own.subnetId,
    vpcId: own.vpcId,
    ownerAccountId: own.ownerAccountId,
    availabilityZone: { ...own.availabilityZone },
  };
}
