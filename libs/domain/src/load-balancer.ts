// The provider's registry of Network and Gateway Load Balancers: the load balancers an endpoint service
// can be backed by. One stream per load balancer ARN. A load balancer used by a service cannot be
// deregistered ("You cannot disassociate a load balancer if there are endpoints attached" is the
// service's rule; this one is the registry's own: it tracks which services use it).
import { LoadBalancerType, parseLoadBalancerArn } from './arn';
import { AvailabilityZone, validateAvailabilityZones } from './availability-zones';
import { DomainError, invalid } from './errors';
import { assertServiceId } from './ids';
import { inventoryDecider, withItem, withoutItems } from './network-resource';
import { Tag, TagCommand, copyTags, retag, validateTags, withTags } from './tags';

export type LoadBalancerIpAddressType = 'ipv4' | 'dualstack';
export const LOAD_BALANCER_IP_ADDRESS_TYPES: readonly LoadBalancerIpAddressType[] = ['ipv4', 'dualstack'];

/** A registered load balancer as its registration describes it (the registered event's facts). */
export interface LoadBalancerRegistration {
  arn: string;
  loadBalancerType: LoadBalancerType;
  name: string;
  region: string;
  ownerAccountId: string;
  availabilityZones: AvailabilityZone[];
  ipAddressType: LoadBalancerIpAddressType;
  tags: Tag[];
  registeredAt: string;
}

export interface LoadBalancerState extends LoadBalancerRegistration {
  usedByServiceIds: string[];
  status: 'registered' | 'deregistered';
  deregisteredAt: string | null;
}

/** What an endpoint service needs to know of a load balancer; the command handler looks it up. */
export interface LoadBalancerDescription {
  arn: string;
  loadBalancerType: LoadBalancerType;
  availabilityZones: AvailabilityZone[];
  ipAddressType: LoadBalancerIpAddressType;
  /** When given, it must be the service owner's account. */
  ownerAccountId?: string;
}

export type LoadBalancerCommand =
  | {
      type: 'registerLoadBalancer';
      arn: string;
      loadBalancerType: LoadBalancerType;
      availabilityZones: AvailabilityZone[];
      ipAddressType: LoadBalancerIpAddressType;
      ownerAccountId: string;
      tags?: Tag[];
      now: string;
    }
  | { type: 'deregisterLoadBalancer'; now: string }
  | { type: 'markUsedByService'; serviceId: string }
  | { type: 'markReleasedByService'; serviceId: string }
  | TagCommand;

export type LoadBalancerEvent =
  | (LoadBalancerRegistration & { type: 'loadBalancerRegistered' })
  | { type: 'loadBalancerDeregistered'; arn: string; deregisteredAt: string }
  | { type: 'loadBalancerAttachedToService'; arn: string; serviceId: string }
  | { type: 'loadBalancerDetachedFromService'; arn: string; serviceId: string }
  | { type: 'loadBalancerTagsChanged'; arn: string; tags: Tag[] };

export const initialLoadBalancerState: LoadBalancerState | null = null;

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

function loadBalancerArnMustMatchItsType(arnType: LoadBalancerType, declared: unknown): LoadBalancerType {
  if (declared !== 'network' && declared !== 'gateway') {
    throw invalid('loadBalancerType', `loadBalancerType: '${String(declared)}' must be 'network' or 'gateway'`);
  }
  if (arnType !== declared) {
    throw invalid('loadBalancerType', `loadBalancerType: the ARN names a ${arnType} load balancer, not a ${declared} one`);
  }
  return declared;
}

/** Decision: a provider registers only load balancers of its own account (403 otherwise, it is an authorization matter). */
function loadBalancerMustBelongToTheRegisteringAccount(arnAccount: string, ownerAccountId: unknown): string {
  if (typeof ownerAccountId !== 'string' || !/^\d{12}$/.test(ownerAccountId)) {
    throw invalid('ownerAccountId', `ownerAccountId: '${String(ownerAccountId)}' is not a 12-digit account id`);
  }
  if (arnAccount !== ownerAccountId) {
    throw new DomainError(
      'UnauthorizedOperation',
      `arn: the load balancer belongs to account ${arnAccount}; account ${ownerAccountId} can register only its own load balancers`,
      'arn',
    );
  }
  return ownerAccountId;
}

function ipAddressTypeMustBeKnown(value: unknown, field = 'ipAddressType'): LoadBalancerIpAddressType {
  if (value !== 'ipv4' && value !== 'dualstack') throw invalid(field, `${field}: '${String(value)}' must be 'ipv4' or 'dualstack'`);
  return value;
}

function cannotRegisterTwice(state: LoadBalancerState | null, arn: string): void {
  if (state?.status === 'registered')
    throw new DomainError('DuplicateLoadBalancer', `arn: load balancer ${arn} is already registered`, 'arn');
}

function requireRegistered(state: LoadBalancerState | null): LoadBalancerState {
  if (!state || state.status !== 'registered') {
    const which = state ? `load balancer ${state.arn}` : 'the load balancer';
    throw new DomainError('InvalidLoadBalancerArn.NotFound', `${which} is not registered`, 'arn');
  }
  return state;
}

function cannotDeregisterWhileUsedByAService(state: LoadBalancerState): void {
  if (state.usedByServiceIds.length > 0) {
    throw new DomainError(
      'ResourceInUse',
      `load balancer ${state.arn} is used by endpoint service(s) ${state.usedByServiceIds.join(', ')}; remove it from them first`,
      'arn',
      { serviceIds: [...state.usedByServiceIds] },
    );
  }
}

// ── decide / evolve ──────────────────────────────────────────────────────────────────────────────

export function decideLoadBalancer(command: LoadBalancerCommand, state: LoadBalancerState | null): LoadBalancerEvent[] {
  switch (command.type) {
    case 'registerLoadBalancer': {
      const parsed = parseLoadBalancerArn(command.arn, 'arn');
      cannotRegisterTwice(state, parsed.arn);
      const loadBalancerType = loadBalancerArnMustMatchItsType(parsed.type, command.loadBalancerType);
      const ownerAccountId = loadBalancerMustBelongToTheRegisteringAccount(parsed.accountId, command.ownerAccountId);
      const availabilityZones = validateAvailabilityZones(command.availabilityZones, 'availabilityZones', parsed.region);
      const ipAddressType = ipAddressTypeMustBeKnown(command.ipAddressType);
      const tags = validateTags(command.tags, 'tags');
      return [
        {
          type: 'loadBalancerRegistered',
          arn: parsed.arn,
          loadBalancerType,
          name: parsed.name,
          region: parsed.region,
          ownerAccountId,
          availabilityZones,
          ipAddressType,
          tags,
          registeredAt: command.now,
        },
      ];
    }
    case 'deregisterLoadBalancer': {
      if (state?.status === 'deregistered') return []; // deregistering twice is a no-op
      const lb = requireRegistered(state);
      cannotDeregisterWhileUsedByAService(lb);
      return [{ type: 'loadBalancerDeregistered', arn: lb.arn, deregisteredAt: command.now }];
    }
    case 'markUsedByService': {
      const lb = requireRegistered(state);
      const serviceId = assertServiceId(command.serviceId);
      if (lb.usedByServiceIds.includes(serviceId)) return [];
      return [{ type: 'loadBalancerAttachedToService', arn: lb.arn, serviceId }];
    }
    case 'markReleasedByService': {
      if (!state || !state.usedByServiceIds.includes(command.serviceId)) return []; // releasing twice is a no-op
      return [{ type: 'loadBalancerDetachedFromService', arn: state.arn, serviceId: command.serviceId }];
    }
    case 'createTags':
    case 'deleteTags': {
      const lb = requireRegistered(state);
      const tags = retag(lb.tags, command);
      return tags ? [{ type: 'loadBalancerTagsChanged', arn: lb.arn, tags }] : [];
    }
  }
}

export function evolveLoadBalancer(state: LoadBalancerState | null, event: LoadBalancerEvent): LoadBalancerState | null {
  switch (event.type) {
    case 'loadBalancerRegistered':
      return {
        arn: event.arn,
        loadBalancerType: event.loadBalancerType,
        name: event.name,
        region: event.region,
        ownerAccountId: event.ownerAccountId,
        availabilityZones: event.availabilityZones.map((z) => ({ ...z })),
        ipAddressType: event.ipAddressType,
        tags: copyTags(event.tags),
        usedByServiceIds: [],
        status: 'registered',
        registeredAt: event.registeredAt,
        deregisteredAt: null,
      };
    case 'loadBalancerDeregistered':
      return state && { ...state, status: 'deregistered', deregisteredAt: event.deregisteredAt };
    case 'loadBalancerAttachedToService':
      return withItem(state, 'usedByServiceIds', event.serviceId);
    case 'loadBalancerDetachedFromService':
      return withoutItems(state, 'usedByServiceIds', (id) => id === event.serviceId);
    case 'loadBalancerTagsChanged':
      return withTags(state, event.tags);
  }
}

// Its stream gains an event per service that starts or stops using it; its state holds only the services
// using it now: a snapshot every 32 events, as the network inventory's.
export const loadBalancerDecider = inventoryDecider(decideLoadBalancer, evolveLoadBalancer);

/**
 * A load balancer named in an endpoint service request (create, or modify's add lists). The ARN must be
 * well formed and of the field's kind (`networkLoadBalancerArns` take `net/`, `gatewayLoadBalancerArns`
 * `gwy/`), and the load balancer registered to the service owner's account. A reference in a request body
 * is a bad parameter (400 naming the entry), not a missing resource; one registered by another account
 * is reported exactly like an unknown one, so ARNs do not leak across tenants.
 */
export function loadBalancerForServiceRequest(
  state: LoadBalancerState | null,
  arn: unknown,
  field: string,
  ownerAccountId: string,
  kind?: LoadBalancerType,
): LoadBalancerDescription {
  const parsed = parseLoadBalancerArn(arn, field);
  if (kind !== undefined && parsed.type !== kind) {
    const label = (t: LoadBalancerType) => (t === 'network' ? 'Network Load Balancer' : 'Gateway Load Balancer');
    throw invalid(field, `${field}: ${parsed.arn} is a ${label(parsed.type)}; this field takes ${label(kind)}s only`);
  }
  if (!state || state.status !== 'registered' || state.ownerAccountId !== ownerAccountId) {
    throw invalid(field, `${field}: load balancer ${parsed.arn} is not registered in account ${ownerAccountId}; register it first`, {
      loadBalancerArn: parsed.arn,
    });
  }
  return describeLoadBalancer(state, parsed.arn);
}

/** The description an endpoint service command carries; a missing or deregistered load balancer is NotFound. */
export function describeLoadBalancer(state: LoadBalancerState | null, arn?: string): LoadBalancerDescription {
  if (!state || state.status !== 'registered') {
    throw new DomainError('InvalidLoadBalancerArn.NotFound', `load balancer ${arn ?? state?.arn ?? ''} is not registered`, 'arn');
  }
  return {
    arn: state.arn,
    loadBalancerType: state.loadBalancerType,
    availabilityZones: state.availabilityZones.map((z) => ({ ...z })),
    ipAddressType: state.ipAddressType,
    ownerAccountId: state.ownerAccountId,
  };
}
