// The rules of a consumer's request (CreateVpcEndpoint), checked against the facts of the service it names.
import { AvailabilityZone } from '../availability-zones';
import { DomainError, invalid } from '../errors';
import { EndpointServiceState, SupportedIpAddressType, validateClientToken, zonesOf } from '../endpoint-service';
import { validateTags } from '../tags';
import { EndpointRequestInput } from './commands';
import {
  ConnectionServiceFacts,
  EndpointIpAddressType,
  EndpointRequest,
  EndpointSubnet,
  FULL_ACCESS_POLICY,
  MAX_POLICY_LENGTH,
  MAX_REQUEST_MESSAGE_LENGTH,
  MAX_SECURITY_GROUPS,
  MAX_SUBNETS,
  SecurityGroupRef,
  VpcEndpointType,
} from './state';

// ── validation of a request ──────────────────────────────────────────────────────────────────────

export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const DNS_SUFFIX = /^[a-z0-9]{8}$/;
export const IP_ADDRESS_TYPES: readonly EndpointIpAddressType[] = ['ipv4', 'dualstack', 'ipv6'];

export const charLength = (s: string): number => Array.from(s).length;

/** The facts validation needs, from the service's state. */
export function connectionServiceFactsOf(service: EndpointServiceState): ConnectionServiceFacts {
  return {
    serviceId: service.serviceId,
    serviceName: service.serviceName,
    serviceType: service.serviceType,
    owner: service.owner,
    zones: zonesOf(service),
    baseEndpointDnsName: service.baseEndpointDnsNames[0],
    privateDnsName: service.privateDnsName,
    supportedIpAddressTypes: [...service.supportedIpAddressTypes],
  };
}

export function endpointTypeMustMatchService(value: unknown, service: ConnectionServiceFacts): VpcEndpointType {
  if (value === undefined)
    throw new DomainError('MissingParameter', 'vpcEndpointType: give Interface or GatewayLoadBalancer', 'vpcEndpointType');
  if (value !== 'Interface' && value !== 'GatewayLoadBalancer') {
    throw invalid('vpcEndpointType', `vpcEndpointType: '${String(value)}' must be Interface or GatewayLoadBalancer`);
  }
  // "Gateway Load Balancer endpoints are supported only for endpoint services that are configured using a Gateway Load Balancer."
  if (value !== service.serviceType) {
    throw invalid(
      'vpcEndpointType',
      `vpcEndpointType: ${service.serviceId} is a ${service.serviceType} service; a ${value} endpoint cannot connect to it`,
    );
  }
  return value;
}

export function validateVpcId(value: unknown): string {
  if (value === undefined) throw new DomainError('MissingParameter', 'vpcId: the VPC in which to create the endpoint is required', 'vpcId');
  if (typeof value !== 'string' || !VPC_ID.test(value))
    throw invalid('vpcId', `vpcId: '${String(value)}' is not a VPC id (vpc- and 8 or 17 hex characters)`);
  return value;
}

/** One subnet `{subnetId, availabilityZoneId}`, in a zone the service offers. */
/** A subnet's own form, before any service is looked at: a subnet id and a zone id. */
export function subnetShape(value: unknown, at: string): { subnetId: string; availabilityZoneId: string } {
  if (typeof value !== 'object' || value === null) throw invalid(at, `${at}: expected {subnetId, availabilityZoneId}`);
  const { subnetId, availabilityZoneId } = value as Record<string, unknown>;
  if (typeof subnetId !== 'string' || !SUBNET_ID.test(subnetId)) {
    throw invalid(`${at}.subnetId`, `${at}.subnetId: '${String(subnetId)}' is not a subnet id (subnet- and 8 or 17 hex characters)`);
  }
  if (typeof availabilityZoneId !== 'string' || availabilityZoneId.length === 0) {
    throw new DomainError(
      'MissingParameter',
      `${at}.availabilityZoneId: the subnet's Availability Zone id is required`,
      `${at}.availabilityZoneId`,
    );
  }
  return { subnetId, availabilityZoneId };
}

export function validateSubnet(
  value: unknown,
  at: string,
  service: ConnectionServiceFacts | { zones: AvailabilityZone[]; serviceId: string },
): EndpointSubnet {
  const { subnetId, availabilityZoneId } = subnetShape(value, at);
  // "Services might not be available in all Availability Zones through an interface endpoint."
  const zone = service.zones.find((z) => z.zoneId === availabilityZoneId);
  if (!zone) {
    throw invalid(
      `${at}.availabilityZoneId`,
      `${at}.availabilityZoneId: endpoint service ${service.serviceId} is not available in ${availabilityZoneId} ` +
        `(its zones: ${service.zones.map((z) => z.zoneId).join(', ') || 'none'})`,
    );
  }
  return { subnetId, availabilityZoneId, availabilityZone: zone.zoneName };
}

// "For each interface endpoint, you can choose only one subnet per Availability Zone."
export function oneSubnetPerZone(subnets: EndpointSubnet[], field: string): void {
  const seenZones = new Map<string, string>();
  const seenSubnets = new Set<string>();
  subnets.forEach((s, i) => {
    if (seenSubnets.has(s.subnetId))
      throw invalid(`${field}[${i}].subnetId`, `${field}[${i}].subnetId: subnet ${s.subnetId} is listed twice`);
    seenSubnets.add(s.subnetId);
    const other = seenZones.get(s.availabilityZoneId);
    if (other) {
      throw invalid(
        `${field}[${i}].availabilityZoneId`,
        `${field}[${i}]: subnets ${other} and ${s.subnetId} are both in ${s.availabilityZoneId}; an interface endpoint takes only one subnet per Availability Zone`,
      );
    }
    seenZones.set(s.availabilityZoneId, s.subnetId);
  });
}

export function validateSubnets(value: unknown, type: VpcEndpointType, service: ConnectionServiceFacts): EndpointSubnet[] {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new DomainError(
      'MissingParameter',
      'subnets: give the subnet(s) in which to create the endpoint network interface(s)',
      'subnets',
    );
  }
  if (!Array.isArray(value)) throw invalid('subnets', 'subnets: expected a list of {subnetId, availabilityZoneId}');
  // "For each Gateway Load Balancer endpoint, you can choose only one Availability Zone (subnet) in your VPC."
  if (type === 'GatewayLoadBalancer' && value.length !== 1) {
    throw invalid('subnets', `subnets: a Gateway Load Balancer endpoint takes exactly one subnet; ${value.length} were given`);
  }
  if (value.length > MAX_SUBNETS) throw invalid('subnets', `subnets: at most ${MAX_SUBNETS} subnets`);
  const subnets = value.map((s: unknown, i) => validateSubnet(s, `subnets[${i}]`, service));
  oneSubnetPerZone(subnets, 'subnets');
  return subnets;
}

export function validateSecurityGroupIds(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw invalid(field, `${field}: expected a list of security group ids`);
  const seen = new Set<string>();
  return value.map((id: unknown, i) => {
    if (typeof id !== 'string' || !SECURITY_GROUP_ID.test(id)) {
      throw invalid(`${field}[${i}]`, `${field}[${i}]: '${String(id)}' is not a security group id (sg- and 8 or 17 hex characters)`);
    }
    if (seen.has(id)) throw invalid(`${field}[${i}]`, `${field}[${i}]: security group ${id} is listed twice`);
    seen.add(id);
    return id;
  });
}

export function groupsLimit(groups: SecurityGroupRef[], field: string): void {
  if (groups.length > MAX_SECURITY_GROUPS) {
    throw invalid(
      field,
      `${field}: an endpoint network interface takes at most ${MAX_SECURITY_GROUPS} security groups; ${groups.length} would be associated`,
    );
  }
}

// "Security groups are not supported." (Gateway Load Balancer endpoints) and "If you do not specify a
// security group, the default security group for your VPC is automatically associated."
export function validateGroups(value: unknown, type: VpcEndpointType): SecurityGroupRef[] {
  const given = value === undefined ? [] : validateSecurityGroupIds(value, 'securityGroupIds');
  if (type === 'GatewayLoadBalancer') {
    if (given.length > 0)
      throw invalid('securityGroupIds', 'securityGroupIds: security groups are not supported for Gateway Load Balancer endpoints');
    return [];
  }
  if (given.length === 0) return [{ groupName: 'default' }];
  const groups = given.map((groupId) => ({ groupId }));
  groupsLimit(groups, 'securityGroupIds');
  return groups;
}

/**
 * An endpoint policy: JSON, at most 20,480 characters including white space ("The size of an endpoint
 * policy cannot exceed 20,480 characters (including white space)"), and "Your policy must contain a
 * Principal element": every statement names its Principal.
 */
export function validatePolicyDocument(value: unknown, field = 'policyDocument'): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw invalid(field, `${field}: the policy must be a JSON document given as a string`);
  const length = charLength(value);
  if (length > MAX_POLICY_LENGTH) {
    throw invalid(
      field,
      `${field}: the policy is ${length} characters long (white space included); at most ${MAX_POLICY_LENGTH} are allowed`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw invalid(field, `${field}: the policy is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(field, `${field}: the policy must be a JSON object`);
  const statement = (parsed as Record<string, unknown>).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0) throw invalid(field, `${field}: the policy has no Statement`);
  statements.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || !('Principal' in s)) {
      throw invalid(field, `${field}: Statement[${i}] has no Principal element; an endpoint policy must contain a Principal element`);
    }
  });
  return value;
}

export function validatePolicy(value: unknown, type: VpcEndpointType): string | null {
  if (type === 'GatewayLoadBalancer') {
    // "Endpoint policies are not supported." (Gateway Load Balancer endpoints)
    if (value !== undefined)
      throw invalid('policyDocument', 'policyDocument: endpoint policies are not supported for Gateway Load Balancer endpoints');
    return null;
  }
  return value === undefined ? FULL_ACCESS_POLICY : validatePolicyDocument(value);
}

export function validatePrivateDnsEnabled(
  value: unknown,
  type: VpcEndpointType,
  privateDnsName: string | null,
  field = 'privateDnsEnabled',
): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(field, `${field}: expected true or false`);
  if (!value) return false;
  if (type === 'GatewayLoadBalancer') throw invalid(field, `${field}: private DNS is not supported for Gateway Load Balancer endpoints`);
  if (!privateDnsName) throw invalid(field, `${field}: the endpoint service has no private DNS name to enable`);
  return true;
}

export function validateIpAddressType(value: unknown, supported: SupportedIpAddressType[]): EndpointIpAddressType {
  const type = value === undefined ? 'ipv4' : value;
  if (!IP_ADDRESS_TYPES.includes(type as EndpointIpAddressType)) {
    throw invalid('ipAddressType', `ipAddressType: '${String(value)}' must be ipv4, dualstack or ipv6`);
  }
  const needs: SupportedIpAddressType[] = type === 'dualstack' ? ['ipv4', 'ipv6'] : [type as SupportedIpAddressType];
  const missing = needs.find((t) => !supported.includes(t));
  if (missing)
    throw invalid('ipAddressType', `ipAddressType: the endpoint service does not support ${missing} (it supports ${supported.join(', ')})`);
  return type as EndpointIpAddressType;
}

export function validateRequestMessage(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid('requestMessage', 'requestMessage: expected a string');
  const length = charLength(value);
  if (length > MAX_REQUEST_MESSAGE_LENGTH) {
    throw invalid('requestMessage', `requestMessage: ${length} characters given; at most ${MAX_REQUEST_MESSAGE_LENGTH} are allowed`);
  }
  return value.length === 0 ? null : value;
}

/**
 * Validates a consumer's request against the service it names. The HTTP edge calls it to answer a 400
 * before anything is written; the decider calls it again on what the edge forwarded.
 */
export function validateEndpointRequest(input: EndpointRequestInput, service: ConnectionServiceFacts): EndpointRequest {
  const vpcEndpointType = endpointTypeMustMatchService(input.vpcEndpointType, service);
  return {
    vpcEndpointType,
    vpcId: validateVpcId(input.vpcId),
    subnets: validateSubnets(input.subnets, vpcEndpointType, service),
    groups: validateGroups(input.securityGroupIds, vpcEndpointType),
    privateDnsEnabled: validatePrivateDnsEnabled(input.privateDnsEnabled, vpcEndpointType, service.privateDnsName),
    policyDocument: validatePolicy(input.policyDocument, vpcEndpointType),
    ipAddressType: validateIpAddressType(input.ipAddressType, service.supportedIpAddressTypes),
    tags: validateTags(input.tags, 'tags'),
    requestMessage: validateRequestMessage(input.requestMessage),
    clientToken: validateClientToken(input.clientToken),
  };
}
