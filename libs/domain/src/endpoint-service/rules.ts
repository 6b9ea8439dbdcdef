// The rules of the guide for endpoint services, one function per rule, named after it (the guide's
// wording in a comment where it helps). They throw the DomainError the API answers with.
import { LoadBalancerType, parseLoadBalancerArn } from '../arn';
import { validateAvailabilityZones } from '../availability-zones';
import { DomainError, invalid } from '../errors';
import { LoadBalancerDescription } from '../load-balancer';
import { anyPrincipalMatches, parsePrincipal } from '../principal';
import { stringProblem } from '../text';
import {
  EndpointServiceState,
  MAX_CLIENT_TOKEN_LENGTH,
  PayerResponsibility,
  SUPPORTED_IP_ADDRESS_TYPES,
  ServiceLoadBalancer,
  ServiceType,
  SupportedIpAddressType,
} from './state';

// ── rules: existence and lifecycle ───────────────────────────────────────────────────────────────

export function notFound(state: EndpointServiceState | null): DomainError {
  const which = state ? `endpoint service ${state.serviceId}` : 'the endpoint service';
  return new DomainError('InvalidVpcEndpointServiceId.NotFound', `${which} does not exist`, 'serviceId');
}

/** A deleted service is gone: every command on it answers NotFound. */
export function requireExisting(state: EndpointServiceState | null): EndpointServiceState {
  if (!state || state.serviceState === 'Deleted') throw notFound(state);
  return state;
}

/** Configuration changes are refused once deletion has started. */
export function requireChangeable(state: EndpointServiceState | null): EndpointServiceState {
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

export function cannotCreateTwice(state: EndpointServiceState | null): void {
  if (state) throw new DomainError('IncorrectState', `endpoint service ${state.serviceId} already exists`, 'serviceId');
}

// "Before you delete the endpoint service configuration, you must reject any available or
// pending-acceptance VPC endpoints that are attached to the service."
export function deleteRequiresNoLiveConnections(service: EndpointServiceState): void {
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

export function connectionsOnlyToAvailableServices(service: EndpointServiceState): void {
  if (service.serviceState !== 'Available') {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} is ${service.serviceState}; connections can be made only to an Available service`,
      'serviceId',
    );
  }
}

// ── rules: attaching a connection ───────────────────────────────────────────────────────────────

/** Why the service refuses to attach a connection: the reason the connection fails with, and a message. */
export interface AttachmentRefusal {
  reason: 'ServiceUnavailable' | 'PrincipalNotAllowed' | 'NoCommonAvailabilityZone';
  message: string;
}

/**
 * The rules a new connection must pass on the service's state, in order: the service is Available, the
 * requester is on its allowlist ("only principals on the allowlist (or *) may request": the account root
 * allows its users and roles, a user or role only itself), and they share an Availability Zone. Decided,
 * authoritatively, on the service's stream (recordConnectionOpened); connection-broker checks them on its
 * own view first (requestCheckFailure).
 */
export function attachmentRefusal(
  service: EndpointServiceState | null,
  requesterPrincipal: string,
  availabilityZoneIds: string[],
): AttachmentRefusal | null {
  if (!service || service.serviceState !== 'Available') {
    const state = service ? service.serviceState : 'unknown';
    return {
      reason: 'ServiceUnavailable',
      message: `the endpoint service is ${state}; connections can be made only to an Available service`,
    };
  }
  if (!anyPrincipalMatches(service.allowedPrincipals, requesterPrincipal)) {
    return {
      reason: 'PrincipalNotAllowed',
      message: `${requesterPrincipal} is not allowed to connect to endpoint service ${service.serviceId}`,
    };
  }
  if (!availabilityZoneIds.some((id) => service.availabilityZoneIds.includes(id))) {
    return {
      reason: 'NoCommonAvailabilityZone',
      message: `endpoint service ${service.serviceId} is no longer available in any of the endpoint's zones (${availabilityZoneIds.join(', ')})`,
    };
  }
  return null;
}

/** The refusal as the error the attach command answers (`details.stateReason`: the reason the connection fails with). */
export function attachmentRefused(refusal: AttachmentRefusal, vpcEndpointId: string): DomainError {
  return new DomainError(
    refusal.reason === 'PrincipalNotAllowed' ? 'UnauthorizedOperation' : 'IncorrectState',
    refusal.message,
    'serviceId',
    {
      vpcEndpointId,
      stateReason: refusal.reason,
    },
  );
}

/** Whether the service accepts this requester's connection without the provider: acceptance not required, or the requester on autoAcceptPrincipals. */
export function acceptsAutomatically(
  service: Pick<EndpointServiceState, 'acceptanceRequired' | 'autoAcceptPrincipals'>,
  requesterPrincipal: string,
): boolean {
  return !service.acceptanceRequired || anyPrincipalMatches(service.autoAcceptPrincipals ?? [], requesterPrincipal);
}

// ── rules: load balancers ────────────────────────────────────────────────────────────────────────

export const TYPE_LABEL: Record<LoadBalancerType, string> = { network: 'Network Load Balancer', gateway: 'Gateway Load Balancer' };

// An Interface service has one or more Network Load Balancers, a GatewayLoadBalancer service one or more Gateway Load Balancers; never both.
export function rejectBothLoadBalancerKinds(nlbs: unknown[], gwlbs: unknown[]): void {
  if (nlbs.length > 0 && gwlbs.length > 0) {
    throw new DomainError(
      'InvalidParameterCombination',
      'gatewayLoadBalancerArns: a service is backed by Network Load Balancers (Interface) or by Gateway Load Balancers (GatewayLoadBalancer), not both',
      'gatewayLoadBalancerArns',
    );
  }
}

// ... and never none.
export function requireAtLeastOneLoadBalancer(nlbs: unknown[], gwlbs: unknown[]): void {
  if (nlbs.length === 0 && gwlbs.length === 0) {
    throw new DomainError(
      'MissingParameter',
      'networkLoadBalancerArns: give one or more Network Load Balancer ARNs (Interface service) or gatewayLoadBalancerArns (GatewayLoadBalancer service)',
      'networkLoadBalancerArns',
    );
  }
}

export interface LoadBalancerContext {
  region: string;
  owner: string;
}

/** Each described load balancer: a well-formed ARN of the field's kind, in the service's Region, of its owner. */
export function validateLoadBalancers(
  list: LoadBalancerDescription[] | undefined,
  kind: LoadBalancerType,
  field: string,
  ctx: LoadBalancerContext,
): ServiceLoadBalancer[] {
  if (list === undefined) return [];
  const seen = new Set<string>();
  return list.map((lb, i): ServiceLoadBalancer => {
    const at = `${field}[${i}]`;
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
export function loadBalancerKindMustMatchField(
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
export function loadBalancerChangesMustMatchServiceType(
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

export function validateArnList(list: string[] | undefined, field: string): string[] {
  if (list === undefined) return [];
  return list.map((arn, i) => parseLoadBalancerArn(arn, `${field}[${i}]`).arn);
}

/** Adding and removing the same item in one request is refused (load balancers, IP address types, principals). */
export function notBothAddedAndRemoved(added: string[], removed: string[], field: string): void {
  const both = added.find((item) => removed.includes(item));
  if (both) throw new DomainError('InvalidParameterCombination', `${field}: ${both} is both added and removed`, field);
}

export function canOnlyRemoveAssociatedLoadBalancers(service: EndpointServiceState, removed: string[], field: string): void {
  removed.forEach((arn, i) => {
    if (!service.loadBalancers.some((lb) => lb.arn === arn)) {
      throw invalid(`${field}[${i}]`, `${field}[${i}]: load balancer ${arn} is not associated with endpoint service ${service.serviceId}`);
    }
  });
}

// "You cannot disassociate a load balancer if there are endpoints attached to your endpoint service."
export function cannotDisassociateLoadBalancerWithAttachedEndpoints(service: EndpointServiceState, field: string): void {
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

export function serviceKeepsAtLeastOneLoadBalancer(remaining: ServiceLoadBalancer[], field: string): void {
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

/** The types in canonical order; a service supports at least one (an empty list is refused where `allowEmpty` is false). */
export function validateIpAddressTypes(
  value: SupportedIpAddressType[] | undefined,
  field: string,
  allowEmpty: boolean,
): SupportedIpAddressType[] {
  if (value === undefined) return [];
  if (!allowEmpty && value.length === 0) throw invalid(field, `${field}: give at least one of 'ipv4' and 'ipv6'`);
  return canonicalIpAddressTypes(value);
}

export const canonicalIpAddressTypes = (types: SupportedIpAddressType[]): SupportedIpAddressType[] =>
  SUPPORTED_IP_ADDRESS_TYPES.filter((t) => types.includes(t));

// The supported IP address types must be supported by the load balancers: ipv6 needs every load balancer dualstack.
export function ipv6RequiresDualstackLoadBalancers(types: SupportedIpAddressType[], lbs: ServiceLoadBalancer[], field: string): void {
  if (!types.includes('ipv6')) return;
  const ipv4Only = lbs.find((lb) => lb.ipAddressType !== 'dualstack');
  if (ipv4Only) {
    throw invalid(field, `${field}: ipv6 needs load balancers with the dualstack IP address type; ${ipv4Only.arn} is ipv4 only`);
  }
}

export function serviceKeepsAtLeastOneIpAddressType(types: SupportedIpAddressType[], field: string): void {
  if (types.length === 0) throw invalid(field, `${field}: an endpoint service supports at least one IP address type`);
}

// "Private DNS names are not supported for endpoint services that you create for Gateway Load Balancer endpoints."
export function privateDnsNamesNotSupportedForGatewayLoadBalancers(serviceType: ServiceType, field: string): void {
  if (serviceType === 'GatewayLoadBalancer') {
    throw invalid(field, `${field}: private DNS names are not supported for endpoint services of Gateway Load Balancers`);
  }
}

// "You can remove the endpoint service private DNS name only after there are no connections to the service."
export function privateDnsNameRemovableOnlyWithoutConnections(service: EndpointServiceState): void {
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

// "Private DNS names are not supported for endpoint services that you create for Gateway Load Balancer
// endpoints": only the private DNS name of an Interface service is verified, and not while it is deleted.
/** The name a StartVpcEndpointServicePrivateDnsVerification checks, or the IncorrectState it answers. */
export function privateDnsNameToVerify(service: EndpointServiceState): string {
  if (service.serviceType === 'GatewayLoadBalancer') {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} is a Gateway Load Balancer service: private DNS names are not supported for it`,
      'serviceId',
    );
  }
  if (!service.privateDnsName) {
    throw new DomainError(
      'IncorrectState',
      `endpoint service ${service.serviceId} has no private DNS name to verify; set one with privateDnsName first`,
      'serviceId',
    );
  }
  if (service.serviceState === 'Deleting') {
    throw new DomainError('IncorrectState', `endpoint service ${service.serviceId} is being deleted`, 'serviceId');
  }
  return service.privateDnsName;
}

/** A description: text (no NUL, no unpaired surrogate) of at most 255 characters; '' is none. */
export const MAX_DESCRIPTION_LENGTH = 255;
export function validDescription(value: unknown, field: string): string | null {
  if (typeof value !== 'string') throw invalid(field, `${field}: must be a string`);
  if (value.length > MAX_DESCRIPTION_LENGTH)
    throw invalid(field, `${field}: at most ${MAX_DESCRIPTION_LENGTH} characters (${value.length} given)`);
  const problem = stringProblem(value, 'text');
  if (problem) throw invalid(field, `${field}: ${problem}`);
  return value === '' ? null : value;
}

// Payer responsibility can only be handed to the service owner, and not taken back (as AWS).
export function payerResponsibilityOnlyServiceOwner(value: string): PayerResponsibility {
  if (value !== 'ServiceOwner') {
    throw invalid('payerResponsibility', `payerResponsibility: '${String(value)}' is not allowed; the only value is 'ServiceOwner'`);
  }
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

export function requireAccountId(value: string, field: string): string {
  if (!/^\d{12}$/.test(value)) throw invalid(field, `${field}: '${String(value)}' is not a 12-digit account id`);
  return value;
}

// ── rules: principals ────────────────────────────────────────────────────────────────────────────

export function validatePrincipalList(value: string[], field: string): string[] {
  if (value.length === 0) throw new DomainError('MissingParameter', `${field}: give at least one principal`, field);
  return value.map((p, i) => parsePrincipal(p, `${field}[${i}]`).principal);
}

// The allowed-principals-per-service quota: decided on the service's own stream, so concurrent additions
// cannot overshoot it. Principals already allowed do not count twice.
export function allowedPrincipalsWithinQuota(service: EndpointServiceState, adding: number, max: number | null | undefined): void {
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
