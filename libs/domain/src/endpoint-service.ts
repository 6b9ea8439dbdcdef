// The EndpointService aggregate: an endpoint service configuration, its allowed principals and tags.
// One stream per service id. Rules quote the guide (shared/reference/privatelink-guide.txt), sections
// "VPC endpoint services", "Create a VPC endpoint service configuration ...", "Add and remove
// permissions for your endpoint service", "Change the endpoint service configuration", "Add or remove
// VPC endpoint service tags", "Delete an endpoint service configuration" and "Private DNS names".
//
// Lifecycle: Pending → Available (markAvailable) → Deleting (deleteEndpointService) → Deleted
// (completeDeletion); Failed (markFailed) when a load balancer vanishes. Connections are owned by the
// connection broker; this aggregate only keeps the ids of the live ones (pending, pendingAcceptance,
// available) that the broker records, because delete, load balancer removal and private DNS name
// removal depend on them.
import { LoadBalancerType, parseLoadBalancerArn } from './arn';
import { AvailabilityZone, validateAvailabilityZones } from './availability-zones';
import { Decider } from './decider';
import { validatePrivateDnsName } from './dns-name';
import { DomainError, invalid } from './errors';
import { assertServiceId, assertServicePermissionId, assertVpcEndpointId, baseEndpointDnsNameFor, serviceNameFor } from './ids';
import { LoadBalancerDescription, LoadBalancerIpAddressType } from './load-balancer';
import { ALL_PRINCIPALS, PrincipalType, anyPrincipalMatches, parsePrincipal } from './principal';
import { Tag, applyTagChanges, sameTags, validateTagKeys, validateTags } from './tags';
import { stringProblem } from './text';

export type ServiceType = 'Interface' | 'GatewayLoadBalancer';
export type ServiceState = 'Pending' | 'Available' | 'Deleting' | 'Deleted' | 'Failed';
export type SupportedIpAddressType = 'ipv4' | 'ipv6';
export type PayerResponsibility = 'ServiceOwner';

export const SUPPORTED_IP_ADDRESS_TYPES: readonly SupportedIpAddressType[] = ['ipv4', 'ipv6'];
export const MAX_CLIENT_TOKEN_LENGTH = 64;

export interface AllowedPrincipal {
  principal: string;
  principalType: PrincipalType;
  servicePermissionId: string;
}

/** A load balancer as the service keeps it (its zones are needed to recompute the service's zones). */
export interface ServiceLoadBalancer {
  arn: string;
  loadBalancerType: LoadBalancerType;
  availabilityZones: AvailabilityZone[];
  ipAddressType: LoadBalancerIpAddressType;
}

export interface EndpointServiceState {
  serviceId: string;
  serviceName: string;
  serviceType: ServiceType;
  serviceState: ServiceState;
  /** The provider's 12-digit account id. */
  owner: string;
  region: string;
  acceptanceRequired: boolean;
  networkLoadBalancerArns: string[];
  gatewayLoadBalancerArns: string[];
  /** Zone names (as mapped to the owner's account), sorted. */
  availabilityZones: string[];
  /** Zone ids (the cross-account identity), sorted. */
  availabilityZoneIds: string[];
  baseEndpointDnsNames: string[];
  privateDnsName: string | null;
  /** Beyond the guide: the provider's words on the service, shown to the consumers allowed to connect (absent: none). */
  description?: string;
  /** Canonical order: ipv4 before ipv6. */
  supportedIpAddressTypes: SupportedIpAddressType[];
  /** null until set; once `ServiceOwner`, it stays. */
  payerResponsibility: PayerResponsibility | null;
  allowedPrincipals: AllowedPrincipal[];
  /**
   * Beyond the guide: principals whose connection requests are accepted automatically even when
   * acceptanceRequired is true (they must still be allowed to connect). Same forms as allowed principals.
   */
  autoAcceptPrincipals: string[];
  tags: Tag[];
  createdAt: string;
  // Not shown by the API as such:
  loadBalancers: ServiceLoadBalancer[];
  /** Connections in pending, pendingAcceptance or available, in the order recorded. */
  liveConnectionIds: string[];
  clientToken: string | null;
  failureReason: string | null;
  deletedAt: string | null;
}

export type EndpointServiceCommand =
  | {
      type: 'createEndpointService';
      serviceId: string;
      ownerAccountId: string;
      region: string;
      baseDomain: string;
      networkLoadBalancers?: LoadBalancerDescription[];
      gatewayLoadBalancers?: LoadBalancerDescription[];
      /** Default true, as the CLI. */
      acceptanceRequired?: boolean;
      privateDnsName?: string;
      /** At most 255 characters of text. */
      description?: string;
      /** Default ['ipv4']. */
      supportedIpAddressTypes?: SupportedIpAddressType[];
      tags?: Tag[];
      clientToken?: string;
      now: string;
    }
  | { type: 'markAvailable'; now: string }
  | { type: 'markFailed'; reason: string; now: string }
  | {
      type: 'modifyEndpointService';
      addNetworkLoadBalancers?: LoadBalancerDescription[];
      removeNetworkLoadBalancerArns?: string[];
      addGatewayLoadBalancers?: LoadBalancerDescription[];
      removeGatewayLoadBalancerArns?: string[];
      acceptanceRequired?: boolean;
      privateDnsName?: string;
      removePrivateDnsName?: boolean;
      addSupportedIpAddressTypes?: SupportedIpAddressType[];
      removeSupportedIpAddressTypes?: SupportedIpAddressType[];
      payerResponsibility?: string;
      /** A new description; '' removes it. */
      description?: string;
      addAutoAcceptPrincipals?: string[];
      removeAutoAcceptPrincipals?: string[];
      now: string;
    }
  | {
      type: 'addAllowedPrincipals';
      principals: string[];
      /** One fresh id per requested principal, same order; ids of principals already present go unused. */
      servicePermissionIds: string[];
      /** The allowed-principals-per-service quota of the service now (absent or null: not checked). */
      maxAllowedPrincipals?: number | null;
      now: string;
    }
  | { type: 'removeAllowedPrincipals'; principals: string[]; now: string }
  | { type: 'createTags'; tags: Tag[] }
  | { type: 'deleteTags'; tagKeys: string[] }
  | { type: 'recordConnectionOpened'; vpcEndpointId: string }
  | { type: 'recordConnectionClosed'; vpcEndpointId: string }
  | { type: 'deleteEndpointService'; now: string }
  | { type: 'completeDeletion'; now: string };

export type EndpointServiceEvent =
  | {
      type: 'endpointServiceCreated';
      serviceId: string;
      serviceName: string;
      serviceType: ServiceType;
      owner: string;
      region: string;
      acceptanceRequired: boolean;
      networkLoadBalancerArns: string[];
      gatewayLoadBalancerArns: string[];
      loadBalancers: ServiceLoadBalancer[];
      availabilityZones: string[];
      availabilityZoneIds: string[];
      baseEndpointDnsNames: string[];
      privateDnsName: string | null;
      /** Present only when the provider gave one. */
      description?: string;
      supportedIpAddressTypes: SupportedIpAddressType[];
      tags: Tag[];
      clientToken: string | null;
      createdAt: string;
    }
  | { type: 'endpointServiceAvailable'; serviceId: string; at: string }
  | { type: 'endpointServiceFailed'; serviceId: string; reason: string; at: string }
  | {
      type: 'endpointServiceLoadBalancersChanged';
      serviceId: string;
      addedLoadBalancers: ServiceLoadBalancer[];
      removedLoadBalancerArns: string[];
      networkLoadBalancerArns: string[];
      gatewayLoadBalancerArns: string[];
      availabilityZones: string[];
      availabilityZoneIds: string[];
    }
  | { type: 'endpointServiceSupportedIpAddressTypesChanged'; serviceId: string; supportedIpAddressTypes: SupportedIpAddressType[] }
  | { type: 'endpointServiceAcceptanceRequiredChanged'; serviceId: string; acceptanceRequired: boolean }
  | { type: 'endpointServicePrivateDnsNameSet'; serviceId: string; privateDnsName: string; previousPrivateDnsName: string | null }
  | { type: 'endpointServicePrivateDnsNameRemoved'; serviceId: string; previousPrivateDnsName: string }
  | { type: 'endpointServicePayerResponsibilityChanged'; serviceId: string; payerResponsibility: PayerResponsibility }
  | { type: 'endpointServiceDescriptionChanged'; serviceId: string; description: string | null }
  | { type: 'endpointServiceAutoAcceptPrincipalsChanged'; serviceId: string; autoAcceptPrincipals: string[] }
  | { type: 'endpointServicePrincipalsAllowed'; serviceId: string; allowedPrincipals: AllowedPrincipal[]; at: string }
  | { type: 'endpointServicePrincipalsRemoved'; serviceId: string; allowedPrincipals: AllowedPrincipal[]; at: string }
  | { type: 'endpointServiceTagsChanged'; serviceId: string; tags: Tag[] }
  | { type: 'endpointServiceConnectionOpened'; serviceId: string; vpcEndpointId: string }
  | { type: 'endpointServiceConnectionClosed'; serviceId: string; vpcEndpointId: string }
  | {
      type: 'endpointServiceDeleting';
      serviceId: string;
      /** The load balancers to release in the registry. */
      networkLoadBalancerArns: string[];
      gatewayLoadBalancerArns: string[];
      at: string;
    }
  | { type: 'endpointServiceDeleted'; serviceId: string; at: string };

export const initialEndpointServiceState: EndpointServiceState | null = null;

/** The guide's note, carried as the API's warning when `isPublicService` holds. */
export const PUBLIC_SERVICE_WARNING =
  'If you set permission to "anyone can access" and you set the acceptance model to "accept all requests," then you\'ve just made your load balancer public. ' +
  "Because it's easy to obtain an AWS account, there is no practical limitation on who can access your load balancer even though it has no public IP address.";

// ── rules: existence and lifecycle ───────────────────────────────────────────────────────────────

function notFound(state: EndpointServiceState | null): DomainError {
  const which = state ? `endpoint service ${state.serviceId}` : 'the endpoint service';
  return new DomainError('InvalidVpcEndpointServiceId.NotFound', `${which} does not exist`, 'serviceId');
}

/** A deleted service is gone: every command on it answers NotFound. */
function requireExisting(state: EndpointServiceState | null): EndpointServiceState {
  if (!state || state.serviceState === 'Deleted') throw notFound(state);
  return state;
}

/** Configuration changes are refused once deletion has started. */
function requireChangeable(state: EndpointServiceState | null): EndpointServiceState {
  const service = requireExisting(state);
  if (service.serviceState === 'Deleting') {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} is being deleted and can no longer be changed`,
      'serviceId',
    );
  }
  return service;
}

function cannotCreateTwice(state: EndpointServiceState | null): void {
  if (state) throw new DomainError('IncorrectState', `endpoint service ${state.serviceId} already exists`, 'serviceId');
}

// "Before you delete the endpoint service configuration, you must reject any available or
// pending-acceptance VPC endpoints that are attached to the service."
function deleteRequiresNoLiveConnections(service: EndpointServiceState): void {
  if (service.liveConnectionIds.length > 0) {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} has ${service.liveConnectionIds.length} pending or available connection(s) ` +
        `(${service.liveConnectionIds.join(', ')}); reject them before deleting the service`,
      'serviceId',
      { vpcEndpointIds: [...service.liveConnectionIds] },
    );
  }
}

function connectionsOnlyToAvailableServices(service: EndpointServiceState): void {
  if (service.serviceState !== 'Available') {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} is ${service.serviceState}; connections can be made only to an Available service`,
      'serviceId',
    );
  }
}

// ── rules: load balancers ────────────────────────────────────────────────────────────────────────

const TYPE_LABEL: Record<LoadBalancerType, string> = { network: 'Network Load Balancer', gateway: 'Gateway Load Balancer' };

// An Interface service has one or more Network Load Balancers, a GatewayLoadBalancer service one or more Gateway Load Balancers; never both.
function rejectBothLoadBalancerKinds(nlbs: unknown[], gwlbs: unknown[]): void {
  if (nlbs.length > 0 && gwlbs.length > 0) {
    throw new DomainError(
      'InvalidParameterCombination',
      'gatewayLoadBalancerArns: a service is backed by Network Load Balancers (Interface) or by Gateway Load Balancers (GatewayLoadBalancer), not both',
      'gatewayLoadBalancerArns',
    );
  }
}

// ... and never none.
function requireAtLeastOneLoadBalancer(nlbs: unknown[], gwlbs: unknown[]): void {
  if (nlbs.length === 0 && gwlbs.length === 0) {
    throw new DomainError(
      'MissingParameter',
      'networkLoadBalancerArns: give one or more Network Load Balancer ARNs (Interface service) or gatewayLoadBalancerArns (GatewayLoadBalancer service)',
      'networkLoadBalancerArns',
    );
  }
}

interface LoadBalancerContext {
  region: string;
  owner: string;
}

/** Each described load balancer: a well-formed ARN of the field's kind, in the service's Region, of its owner. */
function validateLoadBalancers(list: unknown, kind: LoadBalancerType, field: string, ctx: LoadBalancerContext): ServiceLoadBalancer[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalid(field, `${field}: expected a list of load balancers`);
  const seen = new Set<string>();
  return list.map((item: unknown, i): ServiceLoadBalancer => {
    const at = `${field}[${i}]`;
    if (typeof item !== 'object' || item === null) throw invalid(at, `${at}: expected a load balancer description`);
    const lb = item as Partial<LoadBalancerDescription>;
    const parsed = parseLoadBalancerArn(lb.arn, at);
    loadBalancerKindMustMatchField(parsed.type, lb.loadBalancerType, kind, at, parsed.arn, field);
    // "An endpoint service is only available in the Region where you created it."
    if (parsed.region !== ctx.region) {
      throw invalid(at, `${at}: load balancer ${parsed.arn} is in ${parsed.region}; the service is in ${ctx.region}`);
    }
    if (parsed.accountId !== ctx.owner || (lb.ownerAccountId !== undefined && lb.ownerAccountId !== ctx.owner)) {
      throw new DomainError('UnauthorizedOperation', `${at}: load balancer ${parsed.arn} does not belong to account ${ctx.owner}`, at);
    }
    if (seen.has(parsed.arn)) throw invalid(at, `${at}: load balancer ${parsed.arn} is listed twice`);
    seen.add(parsed.arn);
    const availabilityZones = validateAvailabilityZones(lb.availabilityZones, `${at}.availabilityZones`, parsed.region);
    if (lb.ipAddressType !== 'ipv4' && lb.ipAddressType !== 'dualstack') {
      throw invalid(`${at}.ipAddressType`, `${at}.ipAddressType: '${String(lb.ipAddressType)}' must be 'ipv4' or 'dualstack'`);
    }
    return { arn: parsed.arn, loadBalancerType: kind, availabilityZones, ipAddressType: lb.ipAddressType };
  });
}

// networkLoadBalancerArns take Network Load Balancers only, gatewayLoadBalancerArns Gateway Load Balancers only.
function loadBalancerKindMustMatchField(
  arnType: LoadBalancerType,
  declared: unknown,
  kind: LoadBalancerType,
  at: string,
  arn: string,
  field: string,
): void {
  if (arnType !== kind || (declared !== undefined && declared !== kind)) {
    const actual = arnType !== kind ? arnType : (declared as LoadBalancerType);
    throw invalid(at, `${at}: ${arn} is a ${TYPE_LABEL[actual] ?? String(actual)}; ${field} takes ${TYPE_LABEL[kind]}s only`);
  }
}

/** Load balancer changes must be of the service's own type. */
function loadBalancerChangesMustMatchServiceType(
  serviceType: ServiceType,
  change: { addNlb: unknown[]; removeNlb: unknown[]; addGwlb: unknown[]; removeGwlb: unknown[] },
): void {
  const wrong =
    serviceType === 'Interface'
      ? change.addGwlb.length > 0
        ? 'addGatewayLoadBalancerArns'
        : change.removeGwlb.length > 0
          ? 'removeGatewayLoadBalancerArns'
          : undefined
      : change.addNlb.length > 0
        ? 'addNetworkLoadBalancerArns'
        : change.removeNlb.length > 0
          ? 'removeNetworkLoadBalancerArns'
          : undefined;
  if (wrong) {
    const takes = serviceType === 'Interface' ? 'Network Load Balancers' : 'Gateway Load Balancers';
    throw invalid(wrong, `${wrong}: a ${serviceType} service takes ${takes} only`);
  }
}

function validateArnList(list: unknown, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalid(field, `${field}: expected a list of load balancer ARNs`);
  return list.map((arn: unknown, i) => parseLoadBalancerArn(arn, `${field}[${i}]`).arn);
}

function cannotAddAndRemoveTheSameLoadBalancer(added: ServiceLoadBalancer[], removed: string[], field: string): void {
  const both = added.find((lb) => removed.includes(lb.arn));
  if (both) throw new DomainError('InvalidParameterCombination', `${field}: ${both.arn} is both added and removed`, field);
}

function canOnlyRemoveAssociatedLoadBalancers(service: EndpointServiceState, removed: string[], field: string): void {
  removed.forEach((arn, i) => {
    if (!service.loadBalancers.some((lb) => lb.arn === arn)) {
      throw invalid(`${field}[${i}]`, `${field}[${i}]: load balancer ${arn} is not associated with endpoint service ${service.serviceId}`);
    }
  });
}

// "You cannot disassociate a load balancer if there are endpoints attached to your endpoint service."
function cannotDisassociateLoadBalancerWithAttachedEndpoints(service: EndpointServiceState, field: string): void {
  if (service.liveConnectionIds.length > 0) {
    throw new DomainError(
      'IncorrectState',
      `${field}: you cannot disassociate a load balancer while endpoints are attached to endpoint service ${service.serviceId} ` +
        `(${service.liveConnectionIds.join(', ')})`,
      field,
      { vpcEndpointIds: [...service.liveConnectionIds] },
    );
  }
}

function serviceKeepsAtLeastOneLoadBalancer(remaining: ServiceLoadBalancer[], field: string): void {
  if (remaining.length === 0) throw invalid(field, `${field}: an endpoint service keeps at least one load balancer`);
}

/**
 * The service's zones: the union of its load balancers' zones, names and ids each sorted. A zone name
 * mapped to two different ids (or an id to two names) across the load balancers is refused.
 */
export function zonesOfLoadBalancers(
  lbs: ServiceLoadBalancer[],
  field = 'loadBalancers',
): {
  availabilityZones: string[];
  availabilityZoneIds: string[];
} {
  const byName = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const lb of lbs) {
    for (const { zoneName, zoneId } of lb.availabilityZones) {
      const knownId = byName.get(zoneName);
      const knownName = byId.get(zoneId);
      if ((knownId !== undefined && knownId !== zoneId) || (knownName !== undefined && knownName !== zoneName)) {
        throw invalid(
          field,
          `${field}: Availability Zone ${zoneName} (${zoneId}) is mapped differently by another load balancer of the service`,
        );
      }
      byName.set(zoneName, zoneId);
      byId.set(zoneId, zoneName);
    }
  }
  return { availabilityZones: [...byName.keys()].sort(), availabilityZoneIds: [...byId.keys()].sort() };
}

// ── rules: IP address types, private DNS name, payer ─────────────────────────────────────────────

function validateIpAddressTypes(value: unknown, field: string, allowEmpty: boolean): SupportedIpAddressType[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(field, `${field}: expected a list of 'ipv4' and 'ipv6'`);
  if (!allowEmpty && value.length === 0) throw invalid(field, `${field}: give at least one of 'ipv4' and 'ipv6'`);
  value.forEach((t: unknown, i) => {
    if (t !== 'ipv4' && t !== 'ipv6') throw invalid(`${field}[${i}]`, `${field}[${i}]: '${String(t)}' must be 'ipv4' or 'ipv6'`);
  });
  return canonicalIpAddressTypes(value as SupportedIpAddressType[]);
}

const canonicalIpAddressTypes = (types: SupportedIpAddressType[]): SupportedIpAddressType[] =>
  SUPPORTED_IP_ADDRESS_TYPES.filter((t) => types.includes(t));

// The supported IP address types must be supported by the load balancers: ipv6 needs every load balancer dualstack.
function ipv6RequiresDualstackLoadBalancers(types: SupportedIpAddressType[], lbs: ServiceLoadBalancer[], field: string): void {
  if (!types.includes('ipv6')) return;
  const ipv4Only = lbs.find((lb) => lb.ipAddressType !== 'dualstack');
  if (ipv4Only) {
    throw invalid(field, `${field}: ipv6 needs load balancers with the dualstack IP address type; ${ipv4Only.arn} is ipv4 only`);
  }
}

function serviceKeepsAtLeastOneIpAddressType(types: SupportedIpAddressType[], field: string): void {
  if (types.length === 0) throw invalid(field, `${field}: an endpoint service supports at least one IP address type`);
}

// "Private DNS names are not supported for endpoint services that you create for Gateway Load Balancer endpoints."
function privateDnsNamesNotSupportedForGatewayLoadBalancers(serviceType: ServiceType, field: string): void {
  if (serviceType === 'GatewayLoadBalancer') {
    throw invalid(field, `${field}: private DNS names are not supported for endpoint services of Gateway Load Balancers`);
  }
}

// "You can remove the endpoint service private DNS name only after there are no connections to the service."
function privateDnsNameRemovableOnlyWithoutConnections(service: EndpointServiceState): void {
  if (service.liveConnectionIds.length > 0) {
    throw new DomainError(
      'IncorrectState',
      `removePrivateDnsName: the private DNS name can be removed only when endpoint service ${service.serviceId} has no connections ` +
        `(${service.liveConnectionIds.join(', ')})`,
      'removePrivateDnsName',
      { vpcEndpointIds: [...service.liveConnectionIds] },
    );
  }
}

// Payer responsibility can only be handed to the service owner, and not taken back (as AWS).
/** A description: text (no NUL, no unpaired surrogate) of at most 255 characters; '' is none. */
export const MAX_DESCRIPTION_LENGTH = 255;
function validDescription(value: unknown, field: string): string | null {
  if (typeof value !== 'string') throw invalid(field, `${field}: must be a string`);
  if (value.length > MAX_DESCRIPTION_LENGTH)
    throw invalid(field, `${field}: at most ${MAX_DESCRIPTION_LENGTH} characters (${value.length} given)`);
  const problem = stringProblem(value, 'text');
  if (problem) throw invalid(field, `${field}: ${problem}`);
  return value === '' ? null : value;
}

function payerResponsibilityOnlyServiceOwner(value: unknown): PayerResponsibility {
  if (value !== 'ServiceOwner') {
    throw invalid('payerResponsibility', `payerResponsibility: '${String(value)}' is not allowed; the only value is 'ServiceOwner'`);
  }
  return value;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `${field}: expected true or false`);
  return value;
}

/** An EC2 clientToken: 1 to 64 printable ASCII characters (null when absent). */
export function validateClientToken(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLIENT_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalid('clientToken', `clientToken: 1 to ${MAX_CLIENT_TOKEN_LENGTH} printable ASCII characters expected`);
  }
  return value;
}

function requireAccountId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value))
    throw invalid(field, `${field}: '${String(value)}' is not a 12-digit account id`);
  return value;
}

// ── rules: principals ────────────────────────────────────────────────────────────────────────────

function validatePrincipalList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new DomainError('MissingParameter', `${field}: give at least one principal`, field);
  return value.map((p: unknown, i) => parsePrincipal(p, `${field}[${i}]`).principal);
}

// The allowed-principals-per-service quota: decided on the service's own stream, so concurrent additions
// cannot overshoot it. Principals already allowed do not count twice.
function allowedPrincipalsWithinQuota(service: EndpointServiceState, adding: number, max: number | null | undefined): void {
  if (max === undefined || max === null) return;
  const total = service.allowedPrincipals.length + adding;
  if (total > max) {
    throw new DomainError(
      'LimitExceeded',
      `addAllowedPrincipals: endpoint service ${service.serviceId} may allow at most ${max} principals (allowed-principals-per-service); ` +
        `it allows ${service.allowedPrincipals.length} and ${adding} more were asked for`,
      'addAllowedPrincipals',
      { quotaCode: 'allowed-principals-per-service', limit: max, usage: service.allowedPrincipals.length },
    );
  }
}

// ── decide ───────────────────────────────────────────────────────────────────────────────────────

export function decideEndpointService(command: EndpointServiceCommand, state: EndpointServiceState | null): EndpointServiceEvent[] {
  switch (command.type) {
    case 'createEndpointService':
      return decideCreate(command, state);
    case 'markAvailable': {
      const service = requireExisting(state);
      if (service.serviceState === 'Available') return [];
      if (service.serviceState !== 'Pending' && service.serviceState !== 'Failed') {
        throw new DomainError(
          'IncorrectState',
          `endpoint service ${service.serviceId} is ${service.serviceState} and cannot become Available`,
          'serviceId',
        );
      }
      return [{ type: 'endpointServiceAvailable', serviceId: service.serviceId, at: command.now }];
    }
    case 'markFailed': {
      const service = requireExisting(state);
      if (service.serviceState === 'Failed') return [];
      if (service.serviceState === 'Deleting') {
        throw new DomainError('IncorrectState', `endpoint service ${service.serviceId} is being deleted`, 'serviceId');
      }
      return [{ type: 'endpointServiceFailed', serviceId: service.serviceId, reason: String(command.reason), at: command.now }];
    }
    case 'modifyEndpointService':
      return decideModify(command, requireChangeable(state));
    case 'addAllowedPrincipals': {
      const service = requireChangeable(state);
      const requested = validatePrincipalList(command.principals, 'addAllowedPrincipals');
      const ids = command.servicePermissionIds;
      if (!Array.isArray(ids) || ids.length < requested.length) {
        throw invalid('servicePermissionIds', 'servicePermissionIds: one fresh id per requested principal is needed');
      }
      const present = new Set(service.allowedPrincipals.map((p) => p.principal));
      const usedIds = new Set(service.allowedPrincipals.map((p) => p.servicePermissionId));
      const added: AllowedPrincipal[] = [];
      requested.forEach((principal, i) => {
        if (present.has(principal)) return; // already allowed: idempotent, see principalAdditionOutcome
        const servicePermissionId = assertServicePermissionId(ids[i], `servicePermissionIds[${i}]`);
        if (usedIds.has(servicePermissionId))
          throw invalid(`servicePermissionIds[${i}]`, `servicePermissionIds[${i}]: ${servicePermissionId} is already used`);
        present.add(principal);
        usedIds.add(servicePermissionId);
        added.push({ principal, principalType: parsePrincipal(principal).principalType, servicePermissionId });
      });
      if (added.length === 0) return [];
      allowedPrincipalsWithinQuota(service, added.length, command.maxAllowedPrincipals);
      return [{ type: 'endpointServicePrincipalsAllowed', serviceId: service.serviceId, allowedPrincipals: added, at: command.now }];
    }
    case 'removeAllowedPrincipals': {
      const service = requireChangeable(state);
      const requested = new Set(validatePrincipalList(command.principals, 'removeAllowedPrincipals'));
      const removed = service.allowedPrincipals.filter((p) => requested.has(p.principal)).map((p) => ({ ...p }));
      if (removed.length === 0) return []; // already absent: idempotent, see principalRemovalOutcome
      return [{ type: 'endpointServicePrincipalsRemoved', serviceId: service.serviceId, allowedPrincipals: removed, at: command.now }];
    }
    case 'createTags': {
      const service = requireChangeable(state);
      const tags = applyTagChanges(service.tags, validateTags(command.tags, 'tags'), [], 'tags');
      return sameTags(tags, service.tags) ? [] : [{ type: 'endpointServiceTagsChanged', serviceId: service.serviceId, tags }];
    }
    case 'deleteTags': {
      const service = requireChangeable(state);
      const tags = applyTagChanges(service.tags, [], validateTagKeys(command.tagKeys, 'tagKeys'), 'tags');
      return sameTags(tags, service.tags) ? [] : [{ type: 'endpointServiceTagsChanged', serviceId: service.serviceId, tags }];
    }
    case 'recordConnectionOpened': {
      const service = requireExisting(state);
      const vpcEndpointId = assertVpcEndpointId(command.vpcEndpointId);
      if (service.liveConnectionIds.includes(vpcEndpointId)) return [];
      connectionsOnlyToAvailableServices(service);
      return [{ type: 'endpointServiceConnectionOpened', serviceId: service.serviceId, vpcEndpointId }];
    }
    case 'recordConnectionClosed': {
      if (!state || !state.liveConnectionIds.includes(command.vpcEndpointId)) return [];
      return [{ type: 'endpointServiceConnectionClosed', serviceId: state.serviceId, vpcEndpointId: command.vpcEndpointId }];
    }
    case 'deleteEndpointService': {
      const service = requireExisting(state);
      if (service.serviceState === 'Deleting') return []; // already on its way
      deleteRequiresNoLiveConnections(service);
      return [
        {
          type: 'endpointServiceDeleting',
          serviceId: service.serviceId,
          networkLoadBalancerArns: [...service.networkLoadBalancerArns],
          gatewayLoadBalancerArns: [...service.gatewayLoadBalancerArns],
          at: command.now,
        },
      ];
    }
    case 'completeDeletion': {
      if (!state) throw notFound(state);
      if (state.serviceState === 'Deleted') return [];
      if (state.serviceState !== 'Deleting') {
        throw new DomainError(
          'IncorrectState',
          `endpoint service ${state.serviceId} is ${state.serviceState}; deletion was not started`,
          'serviceId',
        );
      }
      return [{ type: 'endpointServiceDeleted', serviceId: state.serviceId, at: command.now }];
    }
  }
}

function decideCreate(
  command: Extract<EndpointServiceCommand, { type: 'createEndpointService' }>,
  state: EndpointServiceState | null,
): EndpointServiceEvent[] {
  cannotCreateTwice(state);
  const serviceId = assertServiceId(command.serviceId);
  const owner = requireAccountId(command.ownerAccountId, 'ownerAccountId');
  const serviceName = serviceNameFor(command.region, serviceId);
  const baseEndpointDnsNames = [baseEndpointDnsNameFor(serviceId, command.region, command.baseDomain)];
  const ctx = { region: command.region, owner };
  const rawNlbs = command.networkLoadBalancers ?? [];
  const rawGwlbs = command.gatewayLoadBalancers ?? [];
  rejectBothLoadBalancerKinds(rawNlbs, rawGwlbs);
  requireAtLeastOneLoadBalancer(rawNlbs, rawGwlbs);
  const nlbs = validateLoadBalancers(command.networkLoadBalancers, 'network', 'networkLoadBalancerArns', ctx);
  const gwlbs = validateLoadBalancers(command.gatewayLoadBalancers, 'gateway', 'gatewayLoadBalancerArns', ctx);
  const serviceType: ServiceType = nlbs.length > 0 ? 'Interface' : 'GatewayLoadBalancer';
  const loadBalancers = [...nlbs, ...gwlbs];
  const zones = zonesOfLoadBalancers(loadBalancers, nlbs.length > 0 ? 'networkLoadBalancerArns' : 'gatewayLoadBalancerArns');
  const acceptanceRequired =
    command.acceptanceRequired === undefined ? true : requireBoolean(command.acceptanceRequired, 'acceptanceRequired');
  let privateDnsName: string | null = null;
  if (command.privateDnsName !== undefined && command.privateDnsName !== null) {
    privateDnsNamesNotSupportedForGatewayLoadBalancers(serviceType, 'privateDnsName');
    privateDnsName = validatePrivateDnsName(command.privateDnsName, 'privateDnsName');
  }
  const supportedIpAddressTypes =
    command.supportedIpAddressTypes === undefined
      ? (['ipv4'] as SupportedIpAddressType[])
      : validateIpAddressTypes(command.supportedIpAddressTypes, 'supportedIpAddressTypes', false);
  ipv6RequiresDualstackLoadBalancers(supportedIpAddressTypes, loadBalancers, 'supportedIpAddressTypes');
  const tags = validateTags(command.tags, 'tags');
  const description = command.description === undefined ? null : validDescription(command.description, 'description');
  return [
    {
      type: 'endpointServiceCreated',
      serviceId,
      serviceName,
      serviceType,
      owner,
      region: command.region,
      acceptanceRequired,
      networkLoadBalancerArns: nlbs.map((lb) => lb.arn),
      gatewayLoadBalancerArns: gwlbs.map((lb) => lb.arn),
      loadBalancers,
      availabilityZones: zones.availabilityZones,
      availabilityZoneIds: zones.availabilityZoneIds,
      baseEndpointDnsNames,
      privateDnsName,
      ...(description !== null && { description }),
      supportedIpAddressTypes,
      tags,
      clientToken: validateClientToken(command.clientToken),
      createdAt: command.now,
    },
  ];
}

function decideModify(
  command: Extract<EndpointServiceCommand, { type: 'modifyEndpointService' }>,
  service: EndpointServiceState,
): EndpointServiceEvent[] {
  const events: EndpointServiceEvent[] = [];
  const ctx = { region: service.region, owner: service.owner };

  // Load balancers
  const addNlb = validateLoadBalancers(command.addNetworkLoadBalancers, 'network', 'addNetworkLoadBalancerArns', ctx);
  const addGwlb = validateLoadBalancers(command.addGatewayLoadBalancers, 'gateway', 'addGatewayLoadBalancerArns', ctx);
  const removeNlb = validateArnList(command.removeNetworkLoadBalancerArns, 'removeNetworkLoadBalancerArns');
  const removeGwlb = validateArnList(command.removeGatewayLoadBalancerArns, 'removeGatewayLoadBalancerArns');
  loadBalancerChangesMustMatchServiceType(service.serviceType, { addNlb, removeNlb, addGwlb, removeGwlb });
  const isInterface = service.serviceType === 'Interface';
  const addField = isInterface ? 'addNetworkLoadBalancerArns' : 'addGatewayLoadBalancerArns';
  const removeField = isInterface ? 'removeNetworkLoadBalancerArns' : 'removeGatewayLoadBalancerArns';
  const toAdd = (isInterface ? addNlb : addGwlb).filter((lb) => !service.loadBalancers.some((known) => known.arn === lb.arn));
  const toRemove = [...new Set(isInterface ? removeNlb : removeGwlb)];
  cannotAddAndRemoveTheSameLoadBalancer(isInterface ? addNlb : addGwlb, toRemove, removeField);
  canOnlyRemoveAssociatedLoadBalancers(service, toRemove, removeField);
  if (toRemove.length > 0) cannotDisassociateLoadBalancerWithAttachedEndpoints(service, removeField);
  const loadBalancers = [...service.loadBalancers.filter((lb) => !toRemove.includes(lb.arn)), ...toAdd];
  serviceKeepsAtLeastOneLoadBalancer(loadBalancers, removeField);
  const zones = zonesOfLoadBalancers(loadBalancers, addField);
  if (toAdd.length > 0 || toRemove.length > 0) {
    events.push({
      type: 'endpointServiceLoadBalancersChanged',
      serviceId: service.serviceId,
      addedLoadBalancers: toAdd,
      removedLoadBalancerArns: toRemove,
      networkLoadBalancerArns: loadBalancers.filter((lb) => lb.loadBalancerType === 'network').map((lb) => lb.arn),
      gatewayLoadBalancerArns: loadBalancers.filter((lb) => lb.loadBalancerType === 'gateway').map((lb) => lb.arn),
      availabilityZones: zones.availabilityZones,
      availabilityZoneIds: zones.availabilityZoneIds,
    });
  }

  // Supported IP address types
  const addTypes = validateIpAddressTypes(command.addSupportedIpAddressTypes, 'addSupportedIpAddressTypes', true);
  const removeTypes = validateIpAddressTypes(command.removeSupportedIpAddressTypes, 'removeSupportedIpAddressTypes', true);
  const both = addTypes.find((t) => removeTypes.includes(t));
  if (both) {
    throw new DomainError(
      'InvalidParameterCombination',
      `removeSupportedIpAddressTypes: ${both} is both added and removed`,
      'removeSupportedIpAddressTypes',
    );
  }
  const types = canonicalIpAddressTypes([...service.supportedIpAddressTypes.filter((t) => !removeTypes.includes(t)), ...addTypes]);
  serviceKeepsAtLeastOneIpAddressType(types, 'removeSupportedIpAddressTypes');
  const ipv6Added = addTypes.includes('ipv6') && !service.supportedIpAddressTypes.includes('ipv6');
  ipv6RequiresDualstackLoadBalancers(types, loadBalancers, ipv6Added ? 'addSupportedIpAddressTypes' : addField);
  if (types.join() !== service.supportedIpAddressTypes.join()) {
    events.push({ type: 'endpointServiceSupportedIpAddressTypesChanged', serviceId: service.serviceId, supportedIpAddressTypes: types });
  }

  // Acceptance
  if (command.acceptanceRequired !== undefined) {
    const acceptanceRequired = requireBoolean(command.acceptanceRequired, 'acceptanceRequired');
    if (acceptanceRequired !== service.acceptanceRequired) {
      events.push({ type: 'endpointServiceAcceptanceRequiredChanged', serviceId: service.serviceId, acceptanceRequired });
    }
  }

  // Private DNS name
  const removeName =
    command.removePrivateDnsName === undefined ? false : requireBoolean(command.removePrivateDnsName, 'removePrivateDnsName');
  const setName = command.privateDnsName !== undefined && command.privateDnsName !== null;
  if (removeName && setName) {
    throw new DomainError(
      'InvalidParameterCombination',
      'removePrivateDnsName: cannot set and remove the private DNS name at once',
      'removePrivateDnsName',
    );
  }
  if (setName) {
    privateDnsNamesNotSupportedForGatewayLoadBalancers(service.serviceType, 'privateDnsName');
    const privateDnsName = validatePrivateDnsName(command.privateDnsName, 'privateDnsName');
    if (privateDnsName !== service.privateDnsName) {
      events.push({
        type: 'endpointServicePrivateDnsNameSet',
        serviceId: service.serviceId,
        privateDnsName,
        previousPrivateDnsName: service.privateDnsName,
      });
    }
  }
  if (removeName && service.privateDnsName !== null) {
    privateDnsNameRemovableOnlyWithoutConnections(service);
    events.push({
      type: 'endpointServicePrivateDnsNameRemoved',
      serviceId: service.serviceId,
      previousPrivateDnsName: service.privateDnsName,
    });
  }

  // Payer responsibility
  if (command.payerResponsibility !== undefined) {
    const payerResponsibility = payerResponsibilityOnlyServiceOwner(command.payerResponsibility);
    if (service.payerResponsibility !== payerResponsibility) {
      events.push({ type: 'endpointServicePayerResponsibilityChanged', serviceId: service.serviceId, payerResponsibility });
    }
  }

  // Description (beyond the guide)
  if (command.description !== undefined) {
    const description = validDescription(command.description, 'description');
    if (description !== (service.description ?? null)) {
      events.push({ type: 'endpointServiceDescriptionChanged', serviceId: service.serviceId, description });
    }
  }

  // Auto-accept principals (beyond the guide): validated like allowed principals.
  const addAuto =
    command.addAutoAcceptPrincipals === undefined ? [] : validatePrincipalList(command.addAutoAcceptPrincipals, 'addAutoAcceptPrincipals');
  const removeAuto =
    command.removeAutoAcceptPrincipals === undefined
      ? []
      : validatePrincipalList(command.removeAutoAcceptPrincipals, 'removeAutoAcceptPrincipals');
  const addedAndRemoved = addAuto.find((p) => removeAuto.includes(p));
  if (addedAndRemoved) {
    throw new DomainError(
      'InvalidParameterCombination',
      `removeAutoAcceptPrincipals: ${addedAndRemoved} is both added and removed`,
      'removeAutoAcceptPrincipals',
    );
  }
  const currentAuto = service.autoAcceptPrincipals ?? [];
  const autoAcceptPrincipals = [...new Set([...currentAuto.filter((p) => !removeAuto.includes(p)), ...addAuto])];
  if (autoAcceptPrincipals.join('\n') !== currentAuto.join('\n')) {
    events.push({ type: 'endpointServiceAutoAcceptPrincipalsChanged', serviceId: service.serviceId, autoAcceptPrincipals });
  }

  return events;
}

// ── evolve ───────────────────────────────────────────────────────────────────────────────────────

export function evolveEndpointService(state: EndpointServiceState | null, event: EndpointServiceEvent): EndpointServiceState | null {
  if (event.type === 'endpointServiceCreated') {
    return {
      serviceId: event.serviceId,
      serviceName: event.serviceName,
      serviceType: event.serviceType,
      serviceState: 'Pending',
      owner: event.owner,
      region: event.region,
      acceptanceRequired: event.acceptanceRequired,
      networkLoadBalancerArns: [...event.networkLoadBalancerArns],
      gatewayLoadBalancerArns: [...event.gatewayLoadBalancerArns],
      availabilityZones: [...event.availabilityZones],
      availabilityZoneIds: [...event.availabilityZoneIds],
      baseEndpointDnsNames: [...event.baseEndpointDnsNames],
      privateDnsName: event.privateDnsName,
      ...(event.description !== undefined && { description: event.description }),
      supportedIpAddressTypes: [...event.supportedIpAddressTypes],
      payerResponsibility: null,
      allowedPrincipals: [],
      autoAcceptPrincipals: [],
      tags: event.tags.map((t) => ({ ...t })),
      createdAt: event.createdAt,
      loadBalancers: event.loadBalancers.map(copyLoadBalancer),
      liveConnectionIds: [],
      clientToken: event.clientToken,
      failureReason: null,
      deletedAt: null,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'endpointServiceAvailable':
      return { ...state, serviceState: 'Available', failureReason: null };
    case 'endpointServiceFailed':
      return { ...state, serviceState: 'Failed', failureReason: event.reason };
    case 'endpointServiceLoadBalancersChanged':
      return {
        ...state,
        loadBalancers: [
          ...state.loadBalancers.filter((lb) => !event.removedLoadBalancerArns.includes(lb.arn)),
          ...event.addedLoadBalancers.map(copyLoadBalancer),
        ],
        networkLoadBalancerArns: [...event.networkLoadBalancerArns],
        gatewayLoadBalancerArns: [...event.gatewayLoadBalancerArns],
        availabilityZones: [...event.availabilityZones],
        availabilityZoneIds: [...event.availabilityZoneIds],
      };
    case 'endpointServiceSupportedIpAddressTypesChanged':
      return { ...state, supportedIpAddressTypes: [...event.supportedIpAddressTypes] };
    case 'endpointServiceAcceptanceRequiredChanged':
      return { ...state, acceptanceRequired: event.acceptanceRequired };
    case 'endpointServicePrivateDnsNameSet':
      return { ...state, privateDnsName: event.privateDnsName };
    case 'endpointServicePrivateDnsNameRemoved':
      return { ...state, privateDnsName: null };
    case 'endpointServicePayerResponsibilityChanged':
      return { ...state, payerResponsibility: event.payerResponsibility };
    case 'endpointServiceDescriptionChanged': {
      const { description: _previous, ...rest } = state;
      return event.description === null ? rest : { ...rest, description: event.description };
    }
    case 'endpointServiceAutoAcceptPrincipalsChanged':
      return { ...state, autoAcceptPrincipals: [...event.autoAcceptPrincipals] };
    case 'endpointServicePrincipalsAllowed':
      return { ...state, allowedPrincipals: [...state.allowedPrincipals, ...event.allowedPrincipals.map((p) => ({ ...p }))] };
    case 'endpointServicePrincipalsRemoved': {
      const removed = new Set(event.allowedPrincipals.map((p) => p.principal));
      return { ...state, allowedPrincipals: state.allowedPrincipals.filter((p) => !removed.has(p.principal)) };
    }
    case 'endpointServiceTagsChanged':
      return { ...state, tags: event.tags.map((t) => ({ ...t })) };
    case 'endpointServiceConnectionOpened':
      return state.liveConnectionIds.includes(event.vpcEndpointId)
        ? state
        : { ...state, liveConnectionIds: [...state.liveConnectionIds, event.vpcEndpointId] };
    case 'endpointServiceConnectionClosed':
      return { ...state, liveConnectionIds: state.liveConnectionIds.filter((id) => id !== event.vpcEndpointId) };
    case 'endpointServiceDeleting':
      return { ...state, serviceState: 'Deleting' };
    case 'endpointServiceDeleted':
      return { ...state, serviceState: 'Deleted', deletedAt: event.at };
  }
}

function copyLoadBalancer(lb: ServiceLoadBalancer): ServiceLoadBalancer {
  return { ...lb, availabilityZones: lb.availabilityZones.map((z) => ({ ...z })) };
}

export const endpointServiceDecider: Decider<EndpointServiceCommand, EndpointServiceEvent, EndpointServiceState | null> = {
  decide: decideEndpointService,
  evolve: evolveEndpointService,
  initialState: initialEndpointServiceState,
  // Its stream grows without bound (events per connection and permission change); its state is what is live
  // (connections, principals), not its history: a snapshot every 32 events.
  snapshots: { schemaVersion: 1, every: 32 },
};

// ── read helpers for handlers, projections and the consumer side ─────────────────────────────────

/** The guide's warning case: `*` allowed and connection requests accepted automatically. */
export function isPublicService(state: EndpointServiceState | null): boolean {
  return (
    !!state &&
    state.serviceState !== 'Deleted' &&
    !state.acceptanceRequired &&
    state.allowedPrincipals.some((p) => p.principal === ALL_PRINCIPALS)
  );
}

/** The warning to put in an API answer, or undefined when the service is not public. */
export function publicServiceWarning(state: EndpointServiceState | null): string | undefined {
  return isPublicService(state) ? PUBLIC_SERVICE_WARNING : undefined;
}

/**
 * For an addAllowedPrincipals request, against the state *before* the command: which principals are
 * newly allowed and which were already present (the decider emits nothing for those).
 */
export function principalAdditionOutcome(
  state: EndpointServiceState | null,
  principals: string[],
): { added: string[]; alreadyPresent: string[] } {
  const present = new Set(state?.allowedPrincipals.map((p) => p.principal) ?? []);
  const added: string[] = [];
  const alreadyPresent: string[] = [];
  for (const principal of principals) {
    if (present.has(principal)) {
      if (!alreadyPresent.includes(principal)) alreadyPresent.push(principal);
    } else if (!added.includes(principal)) {
      added.push(principal);
    }
  }
  return { added, alreadyPresent };
}

/** For a removeAllowedPrincipals request, against the state before the command: removed vs already absent. */
export function principalRemovalOutcome(
  state: EndpointServiceState | null,
  principals: string[],
): { removed: string[]; alreadyAbsent: string[] } {
  const present = new Set(state?.allowedPrincipals.map((p) => p.principal) ?? []);
  const unique = [...new Set(principals)];
  return { removed: unique.filter((p) => present.has(p)), alreadyAbsent: unique.filter((p) => !present.has(p)) };
}

/** Whether `callerArn` may connect: the service is Available and an allowed principal matches the caller. */
export function mayConnect(state: EndpointServiceState | null, callerArn: string): boolean {
  return !!state && state.serviceState === 'Available' && anyPrincipalMatches(state.allowedPrincipals, callerArn);
}

/** The zone ids both sides share, in the service's order: what a consumer in another account sees. */
export function sharedAvailabilityZoneIds(state: EndpointServiceState, consumerZoneIds: string[]): string[] {
  const theirs = new Set(consumerZoneIds);
  return state.availabilityZoneIds.filter((id) => theirs.has(id));
}

/** The service's zones as {zoneName, zoneId} pairs, sorted by zone name. */
export function zonesOf(state: EndpointServiceState): AvailabilityZone[] {
  const byName = new Map<string, string>();
  for (const lb of state.loadBalancers) for (const z of lb.availabilityZones) byName.set(z.zoneName, z.zoneId);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([zoneName, zoneId]) => ({ zoneName, zoneId }));
}

/** All load balancer ARNs of the service (the ones to mark used / release in the registry). */
export function loadBalancerArnsOf(state: EndpointServiceState): string[] {
  return [...state.networkLoadBalancerArns, ...state.gatewayLoadBalancerArns];
}
