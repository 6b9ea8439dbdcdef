// The EndpointConnection aggregate: a consumer's VPC endpoint (interface or Gateway Load Balancer) and
// its connection to an endpoint service. One stream per vpcEndpointId, owned by connection-broker.
// Rules quote the guide (shared/reference/privatelink-guide.txt): "Interface VPC endpoints",
// "Interface endpoint properties and limitations", "Interface endpoint lifecycle", "Modify an interface
// endpoint", "Gateway Load Balancer endpoints", "Use VPC endpoint policies", "Security groups",
// "Accept and reject endpoint connection requests", "Delete a VPC endpoint", and the DNS names of
// "Access a service through an interface endpoint".
//
// State machine (DESIGN.md section 4):
//   pending → pendingAcceptance (acceptance required) | available (accepted automatically) | failed (a rule denied it)
//   pendingAcceptance → available (accept) | rejected (reject)
//   available → rejected (the provider may reject after acceptance)
//   pending | pendingAcceptance | available | rejected | failed → deleting → deleted (the consumer only)
//
// Besides the state, the aggregate tracks the two side effects of the acceptance workflow, so the process
// manager that drives it is durable (its progress is in the stream, never in memory):
//   quota:      none → requested → granted | refused; granted → released (reject, delete, failure)
//   attachment: none → requested → attached | none (refused); attached → detachRequested → detached
// "Attached" means the service's own stream (the linearization point for permission removal and service
// deletion) counts the connection as live. The ids, the DNS suffix and `now` come in with the commands.
import { AvailabilityZone } from './availability-zones';
import { ConnectionEvent } from './connection-notification';
import { Decider } from './decider';
import { DomainError, invalid } from './errors';
import { assertVpcEndpointId } from './ids';
import { anyPrincipalMatches, parsePrincipal } from './principal';
import { EndpointServiceState, ServiceType, SupportedIpAddressType, validateClientToken, zonesOf } from './endpoint-service';
import { Tag, applyTagChanges, sameTags, validateTagKeys, validateTags } from './tags';

export type VpcEndpointType = ServiceType;
export type VpcEndpointState = 'pending' | 'pendingAcceptance' | 'available' | 'rejected' | 'deleting' | 'deleted' | 'failed';
export type EndpointIpAddressType = 'ipv4' | 'dualstack' | 'ipv6';

export const VPC_ENDPOINT_STATES: readonly VpcEndpointState[] = [
  'pending',
  'pendingAcceptance',
  'available',
  'rejected',
  'deleting',
  'deleted',
  'failed',
];

/** Why a request ended in `failed`: machine-readable, shown to the consumer. */
export const CONNECTION_STATE_REASONS = [
  'PrincipalNotAllowed',
  'ServiceUnavailable',
  'NoCommonAvailabilityZone',
  'PrivateDnsNotVerified',
  'QuotaExceeded',
  // The workflow gave up on a step whose owner never answered (after its deadline and bounded tries).
  'InternalFailure',
] as const;
export type ConnectionStateReason = (typeof CONNECTION_STATE_REASONS)[number];

export type QuotaProgress = 'none' | 'requested' | 'granted' | 'refused' | 'released';
export type AttachmentProgress = 'none' | 'requested' | 'attached' | 'detachRequested' | 'detached';

/**
 * The step of the workflow a connection waits on, if any (see pendingStepOf): its own checks (`evaluate`),
 * quota-guard's answer to the reservation (`quota`), the service's answer to attaching (`attach`) or to
 * detaching (`detach`). Every step has a deadline; the reconciler re-sends the step's command and, after
 * bounded tries, abandons it (reconcileStep).
 */
export type WorkflowStep = 'evaluate' | 'quota' | 'attach' | 'detach';
export const WORKFLOW_STEPS: readonly WorkflowStep[] = ['evaluate', 'quota', 'attach', 'detach'];

export const MAX_POLICY_LENGTH = 20_480;
export const MAX_REQUEST_MESSAGE_LENGTH = 1_024;
export const MAX_SECURITY_GROUPS = 5;
export const MAX_SUBNETS = 16;

// "If you do not attach a policy when you create an endpoint, we attach a default policy for you that
// allows full access to the service." (the guide's example output, formatted as it shows it)
export const FULL_ACCESS_POLICY = JSON.stringify({ Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }] }, null, 2);

export interface EndpointSubnet {
  subnetId: string;
  /** The zone id (the cross-account identity). */
  availabilityZoneId: string;
  /** The zone name as the service maps the id (used in zonal DNS names). */
  availabilityZone: string;
}

/** A security group of the endpoint's network interfaces; `{groupName: 'default'}` is the VPC's default group. */
export interface SecurityGroupRef {
  groupId?: string;
  groupName?: string;
}

export interface DnsEntry {
  dnsName: string;
}

/** The consumer's request as it comes in (the HTTP edge checked only the shape). */
export interface EndpointRequestInput {
  serviceName?: string;
  vpcEndpointType?: unknown;
  vpcId?: unknown;
  subnets?: unknown;
  securityGroupIds?: unknown;
  privateDnsEnabled?: unknown;
  policyDocument?: unknown;
  ipAddressType?: unknown;
  tags?: unknown;
  requestMessage?: unknown;
  clientToken?: unknown;
}

/** What validating a request needs to know of the service (a snapshot the edge took from its read model). */
export interface ConnectionServiceFacts {
  serviceId: string;
  serviceName: string;
  serviceType: ServiceType;
  owner: string;
  zones: AvailabilityZone[];
  /** `<serviceId>.<region>.vpce.<base domain>`: the endpoint's DNS names hang below it. */
  baseEndpointDnsName: string;
  privateDnsName: string | null;
  supportedIpAddressTypes: SupportedIpAddressType[];
}

/** A validated, normalized request. */
export interface EndpointRequest {
  vpcEndpointType: VpcEndpointType;
  vpcId: string;
  subnets: EndpointSubnet[];
  groups: SecurityGroupRef[];
  privateDnsEnabled: boolean;
  /** The effective policy (the full-access default when none was given); null for Gateway Load Balancer endpoints. */
  policyDocument: string | null;
  ipAddressType: EndpointIpAddressType;
  tags: Tag[];
  requestMessage: string | null;
  clientToken: string | null;
}

/** The service's private DNS name now and whether dns-verifier reported it `verified` (for the DNS entries). */
export interface PrivateDnsFacts {
  privateDnsName: string | null;
  verified: boolean;
}

export interface EndpointConnectionState extends EndpointRequest {
  vpcEndpointId: string;
  serviceId: string;
  serviceName: string;
  /** The provider's account. */
  serviceOwner: string;
  /** The consumer's account. */
  vpcEndpointOwner: string;
  /** The ARN that made the request (the one the allowlist is checked against). */
  requesterPrincipal: string;
  baseEndpointDnsName: string;
  dnsSuffix: string;
  vpcEndpointState: VpcEndpointState;
  stateReason: ConnectionStateReason | null;
  stateMessage: string | null;
  dnsEntries: DnsEntry[];
  quota: QuotaProgress;
  attachment: AttachmentProgress;
  createdAt: string;
  lastChangedAt: string;
  /** When it entered pendingAcceptance (the ops read model's oldest-waiting age); null otherwise. */
  pendingAcceptanceSince: string | null;
  /** How often the pending step's command was re-sent (0 when it was sent once; reset when the step changes). */
  stepRetries?: number;
  /** The service stream version the edge validated the request against (what the broker's checks wait for). */
  observedServiceVersion?: number;
}

export interface ModifyEndpointInput {
  addSubnets?: unknown;
  removeSubnetIds?: unknown;
  addSecurityGroupIds?: unknown;
  removeSecurityGroupIds?: unknown;
  privateDnsEnabled?: unknown;
  policyDocument?: unknown;
  resetPolicy?: unknown;
  addTags?: unknown;
  removeTagKeys?: unknown;
}

export type EndpointConnectionCommand =
  | {
      type: 'requestConnection';
      vpcEndpointId: string;
      /** 8 lower-case letters or digits: the `-<suffix>` of the endpoint's DNS names. */
      dnsSuffix: string;
      requesterPrincipal: string;
      input: EndpointRequestInput;
      service: ConnectionServiceFacts;
      /** The version of the service's stream the facts were taken at (0 when unknown). */
      observedServiceVersion?: number;
      now: string;
    }
  | {
      /** The workflow's checks, on what connection-broker knows of the service and its private DNS verification. */
      type: 'evaluateRequest';
      service: EndpointServiceState | null;
      privateDnsVerified: boolean;
      /**
       * False when the view of the service has not reached the version the edge validated the request
       * against: then it must not refuse what the service's stream allowed (the service's own stream decides
       * the principal, the state and the zones when the connection attaches). Default true.
       */
      serviceViewCurrent?: boolean;
      now: string;
    }
  | { type: 'recordQuotaDecision'; granted: boolean; message?: string; now: string }
  | {
      /** The service's answer to the attach request (decided on the service's own stream). */
      type: 'recordAttachment';
      outcome: { attached: true; acceptanceRequired: boolean } | { attached: false; reason: ConnectionStateReason; message: string };
      dns: PrivateDnsFacts;
      now: string;
    }
  | { type: 'recordDetachment'; now: string }
  | {
      /** The pending step's deadline passed: re-send its command, or give up after `maxTries` sends in all. */
      type: 'reconcileStep';
      step: WorkflowStep;
      maxTries: number;
      now: string;
    }
  | { type: 'acceptConnection'; serviceId: string; providerAccountId: string; dns: PrivateDnsFacts; now: string }
  | { type: 'rejectConnection'; serviceId: string; providerAccountId: string; now: string }
  | { type: 'deleteEndpoint'; ownerAccountId: string; now: string }
  | {
      type: 'modifyEndpoint';
      ownerAccountId: string;
      changes: ModifyEndpointInput;
      service: ConnectionServiceFacts | null;
      dns: PrivateDnsFacts;
      now: string;
    };

/** Fields every connection event carries, so consumers (notifier, quota-guard, read models) need no lookup. */
export interface ConnectionEventBase {
  vpcEndpointId: string;
  serviceId: string;
  /** The consumer's account. */
  vpcEndpointOwner: string;
  /** The provider's account. */
  serviceOwner: string;
  at: string;
}

/** A change of `vpcEndpointState`: before and after, and the guide's notification event when it is one. */
export interface ConnectionTransition extends ConnectionEventBase {
  stateBefore: VpcEndpointState | null;
  stateAfter: VpcEndpointState;
  connectionEvent?: ConnectionEvent;
}

export interface QuotaScope {
  consumerAccountId: string;
  serviceId: string;
  vpcId: string;
}

export type EndpointConnectionEvent =
  | (ConnectionTransition &
      EndpointRequest & {
        type: 'connectionRequested';
        serviceName: string;
        requesterPrincipal: string;
        baseEndpointDnsName: string;
        dnsSuffix: string;
        createdAt: string;
        /** The service stream version the edge validated against: the workflow's view of the service waits for it. */
        observedServiceVersion: number;
      })
  | (ConnectionEventBase & { type: 'connectionQuotaRequested'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionQuotaGranted'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionQuotaRefused'; scope: QuotaScope; message: string })
  | (ConnectionEventBase & { type: 'connectionQuotaReleased'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionAttachRequested'; requesterPrincipal: string; availabilityZoneIds: string[] })
  | (ConnectionEventBase & { type: 'connectionAttached' })
  | (ConnectionEventBase & { type: 'connectionDetachRequested' })
  | (ConnectionEventBase & { type: 'connectionDetached' })
  /** The pending step's deadline passed and its command was sent again (`attempt`: the how-manieth send). */
  | (ConnectionEventBase & { type: 'connectionStepRetried'; step: WorkflowStep; attempt: number })
  /** The step's owner never answered after `tries` sends: the workflow stops waiting for it. */
  | (ConnectionEventBase & { type: 'connectionStepAbandoned'; step: WorkflowStep; tries: number })
  | (ConnectionTransition & { type: 'connectionPendingAcceptance'; requestMessage: string | null })
  | (ConnectionTransition & { type: 'connectionAccepted'; dnsEntries: DnsEntry[] })
  | (ConnectionTransition & { type: 'connectionAutoAccepted'; dnsEntries: DnsEntry[] })
  | (ConnectionTransition & { type: 'connectionRejected' })
  | (ConnectionTransition & { type: 'connectionFailed'; stateReason: ConnectionStateReason; message: string })
  | (ConnectionTransition & { type: 'connectionDeleting' })
  | (ConnectionTransition & { type: 'connectionDeleted' })
  | (ConnectionEventBase & {
      type: 'connectionModified';
      subnets: EndpointSubnet[];
      groups: SecurityGroupRef[];
      privateDnsEnabled: boolean;
      policyDocument: string | null;
      tags: Tag[];
      dnsEntries: DnsEntry[];
    });

export const initialEndpointConnectionState: EndpointConnectionState | null = null;

// ── validation of a request ──────────────────────────────────────────────────────────────────────

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const DNS_SUFFIX = /^[a-z0-9]{8}$/;
const IP_ADDRESS_TYPES: readonly EndpointIpAddressType[] = ['ipv4', 'dualstack', 'ipv6'];

const charLength = (s: string): number => Array.from(s).length;

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

function endpointTypeMustMatchService(value: unknown, service: ConnectionServiceFacts): VpcEndpointType {
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

function validateVpcId(value: unknown): string {
  if (value === undefined) throw new DomainError('MissingParameter', 'vpcId: the VPC in which to create the endpoint is required', 'vpcId');
  if (typeof value !== 'string' || !VPC_ID.test(value))
    throw invalid('vpcId', `vpcId: '${String(value)}' is not a VPC id (vpc- and 8 or 17 hex characters)`);
  return value;
}

/** One subnet `{subnetId, availabilityZoneId}`, in a zone the service offers. */
/** A subnet's own form, before any service is looked at: a subnet id and a zone id. */
function subnetShape(value: unknown, at: string): { subnetId: string; availabilityZoneId: string } {
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

function validateSubnet(
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
function oneSubnetPerZone(subnets: EndpointSubnet[], field: string): void {
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

function validateSubnets(value: unknown, type: VpcEndpointType, service: ConnectionServiceFacts): EndpointSubnet[] {
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

function validateSecurityGroupIds(value: unknown, field: string): string[] {
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

function groupsLimit(groups: SecurityGroupRef[], field: string): void {
  if (groups.length > MAX_SECURITY_GROUPS) {
    throw invalid(
      field,
      `${field}: an endpoint network interface takes at most ${MAX_SECURITY_GROUPS} security groups; ${groups.length} would be associated`,
    );
  }
}

// "Security groups are not supported." (Gateway Load Balancer endpoints) and "If you do not specify a
// security group, the default security group for your VPC is automatically associated."
function validateGroups(value: unknown, type: VpcEndpointType): SecurityGroupRef[] {
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

function validatePolicy(value: unknown, type: VpcEndpointType): string | null {
  if (type === 'GatewayLoadBalancer') {
    // "Endpoint policies are not supported." (Gateway Load Balancer endpoints)
    if (value !== undefined)
      throw invalid('policyDocument', 'policyDocument: endpoint policies are not supported for Gateway Load Balancer endpoints');
    return null;
  }
  return value === undefined ? FULL_ACCESS_POLICY : validatePolicyDocument(value);
}

function validatePrivateDnsEnabled(
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

function validateIpAddressType(value: unknown, supported: SupportedIpAddressType[]): EndpointIpAddressType {
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

function validateRequestMessage(value: unknown): string | null {
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

// ── DNS names ────────────────────────────────────────────────────────────────────────────────────

/**
 * The endpoint-specific DNS names of an interface endpoint: the Regional name
 * `vpce-<id>-<suffix>.<serviceId>.<region>.vpce.<base domain>`, one zonal name per zone with the zone
 * after the suffix (`vpce-<id>-<suffix>-us-east-1a.<serviceId>...`), and the service's private DNS name
 * when private DNS is enabled and the name is verified. Gateway Load Balancer endpoints have none
 * (they are route targets).
 */
export function dnsEntriesFor(
  endpoint: Pick<
    EndpointConnectionState,
    'vpcEndpointType' | 'vpcEndpointId' | 'dnsSuffix' | 'baseEndpointDnsName' | 'subnets' | 'privateDnsEnabled'
  >,
  dns: PrivateDnsFacts,
): DnsEntry[] {
  if (endpoint.vpcEndpointType !== 'Interface') return [];
  const stem = `${endpoint.vpcEndpointId}-${endpoint.dnsSuffix}`;
  const zones = [...new Set(endpoint.subnets.map((s) => s.availabilityZone))].sort();
  const entries: DnsEntry[] = [
    { dnsName: `${stem}.${endpoint.baseEndpointDnsName}` },
    ...zones.map((zone) => ({ dnsName: `${stem}-${zone}.${endpoint.baseEndpointDnsName}` })),
  ];
  if (endpoint.privateDnsEnabled && dns.privateDnsName && dns.verified) entries.push({ dnsName: dns.privateDnsName });
  return entries;
}

// ── the workflow's checks ────────────────────────────────────────────────────────────────────────

export interface CheckFailure {
  reason: ConnectionStateReason;
  message: string;
}

/**
 * The rules a new connection must pass on the service's state, in order: the service is Available, the
 * requester is on its allowlist ("only principals on the allowlist (or *) may request": the account root
 * allows its users and roles, a user or role only itself), and they share an Availability Zone. Used by
 * connection-broker on its own view and, authoritatively, by endpoint-api on the service's stream.
 */
export function attachmentRefusal(
  service: EndpointServiceState | null,
  requesterPrincipal: string,
  availabilityZoneIds: string[],
): CheckFailure | null {
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

/** The checks of a new request: attachmentRefusal, then the private DNS name (if the service has one) must be verified. */
export function requestCheckFailure(
  service: EndpointServiceState | null,
  requesterPrincipal: string,
  availabilityZoneIds: string[],
  privateDnsVerified: boolean,
): CheckFailure | null {
  const refusal = attachmentRefusal(service, requesterPrincipal, availabilityZoneIds);
  if (refusal) return refusal;
  return privateDnsFailure(service, privateDnsVerified);
}

// "While not verified, existing connections stay but new connection requests are denied." (DESIGN.md 4)
function privateDnsFailure(service: EndpointServiceState | null, privateDnsVerified: boolean): CheckFailure | null {
  if (service?.privateDnsName && !privateDnsVerified) {
    return {
      reason: 'PrivateDnsNotVerified',
      message: `the private DNS name ${service.privateDnsName} of endpoint service ${service.serviceId} is not verified; new connections are denied until it is`,
    };
  }
  return null;
}

/** Whether the service accepts this requester's connection without the provider: acceptance not required, or the requester on autoAcceptPrincipals. */
export function acceptsAutomatically(
  service: Pick<EndpointServiceState, 'acceptanceRequired' | 'autoAcceptPrincipals'>,
  requesterPrincipal: string,
): boolean {
  return !service.acceptanceRequired || anyPrincipalMatches(service.autoAcceptPrincipals ?? [], requesterPrincipal);
}

// ── rules: existence, ownership, state ───────────────────────────────────────────────────────────

function notFound(vpcEndpointId: string | undefined): DomainError {
  return new DomainError(
    'InvalidVpcEndpointId.NotFound',
    `the VPC endpoint ${vpcEndpointId ?? '(unknown)'} does not exist`,
    'vpcEndpointId',
  );
}

/** The consumer's side: another account's endpoint answers exactly like an unknown one; a deleted one is gone. */
function requireOwnedBy(state: EndpointConnectionState | null, ownerAccountId: string): EndpointConnectionState {
  if (!state || state.vpcEndpointOwner !== ownerAccountId || state.vpcEndpointState === 'deleted') throw notFound(state?.vpcEndpointId);
  return state;
}

/** The provider's side: only connections to this service of this provider exist for it. */
function requireConnectionToService(
  state: EndpointConnectionState | null,
  serviceId: string,
  providerAccountId: string,
): EndpointConnectionState {
  if (!state || state.serviceId !== serviceId || state.serviceOwner !== providerAccountId || state.vpcEndpointState === 'deleted') {
    throw notFound(state?.vpcEndpointId);
  }
  return state;
}

function incorrectState(state: EndpointConnectionState, action: string, allowed: string): DomainError {
  return new DomainError(
    'IncorrectState',
    `VPC endpoint ${state.vpcEndpointId} is ${state.vpcEndpointState}; it can be ${action} only when ${allowed}`,
    'vpcEndpointId',
    { vpcEndpointState: state.vpcEndpointState },
  );
}

const base = (s: EndpointConnectionState, now: string): ConnectionEventBase => ({
  vpcEndpointId: s.vpcEndpointId,
  serviceId: s.serviceId,
  vpcEndpointOwner: s.vpcEndpointOwner,
  serviceOwner: s.serviceOwner,
  at: now,
});

const transition = (
  s: EndpointConnectionState,
  to: VpcEndpointState,
  now: string,
  connectionEvent?: ConnectionEvent,
): ConnectionTransition => ({
  ...base(s, now),
  stateBefore: s.vpcEndpointState,
  stateAfter: to,
  ...(connectionEvent ? { connectionEvent } : {}),
});

const quotaScope = (s: EndpointConnectionState): QuotaScope => ({
  consumerAccountId: s.vpcEndpointOwner,
  serviceId: s.serviceId,
  vpcId: s.vpcId,
});

/** The connection is deleted once nothing is outstanding: its detachment answered and its quota settled. */
function settled(s: EndpointConnectionState): boolean {
  return (s.attachment === 'none' || s.attachment === 'detached') && s.quota !== 'requested';
}

/** Deciding several steps at once: each next command sees the state after the events before it. */
function then(state: EndpointConnectionState, events: EndpointConnectionEvent[]): EndpointConnectionState {
  return events.reduce((s, e) => evolveEndpointConnection(s, e)!, state);
}

/** Once deleting, finish when nothing is outstanding. */
function finishDeletionIfSettled(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.vpcEndpointState === 'deleting' && settled(s) ? [{ type: 'connectionDeleted', ...transition(s, 'deleted', now, 'Delete') }] : [];
}

/** Leaving a state that holds capacity: give the quota back. */
function releaseQuota(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.quota === 'granted' ? [{ type: 'connectionQuotaReleased', ...base(s, now), scope: quotaScope(s) }] : [];
}

/** Leaving a live state: the service stops counting the connection. */
function detach(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.attachment === 'attached' ? [{ type: 'connectionDetachRequested', ...base(s, now) }] : [];
}

// ── decide ───────────────────────────────────────────────────────────────────────────────────────

export function decideEndpointConnection(
  command: EndpointConnectionCommand,
  state: EndpointConnectionState | null,
): EndpointConnectionEvent[] {
  switch (command.type) {
    case 'requestConnection':
      return decideRequest(command, state);
    case 'evaluateRequest': {
      if (!state || state.vpcEndpointState !== 'pending' || state.quota !== 'none' || state.attachment !== 'none') return [];
      const zoneIds = state.subnets.map((s) => s.availabilityZoneId);
      const failure =
        command.serviceViewCurrent === false
          ? privateDnsFailure(command.service, command.privateDnsVerified)
          : requestCheckFailure(command.service, state.requesterPrincipal, zoneIds, command.privateDnsVerified);
      if (failure) {
        return [
          { type: 'connectionFailed', ...transition(state, 'failed', command.now), stateReason: failure.reason, message: failure.message },
        ];
      }
      // Checks passed: capacity is asked for next (quota-guard's grant, through the quota port).
      return [{ type: 'connectionQuotaRequested', ...base(state, command.now), scope: quotaScope(state) }];
    }
    case 'recordQuotaDecision': {
      if (!state || state.quota !== 'requested') return [];
      const now = command.now;
      if (!command.granted) {
        const refused: EndpointConnectionEvent = {
          type: 'connectionQuotaRefused',
          ...base(state, now),
          scope: quotaScope(state),
          message: command.message ?? 'the quota of connections is exhausted',
        };
        const after = then(state, [refused]);
        if (state.vpcEndpointState === 'pending') {
          return [
            refused,
            { type: 'connectionFailed', ...transition(after, 'failed', now), stateReason: 'QuotaExceeded', message: refused.message },
          ];
        }
        return [refused, ...finishDeletionIfSettled(after, now)];
      }
      const granted: EndpointConnectionEvent = { type: 'connectionQuotaGranted', ...base(state, now), scope: quotaScope(state) };
      const after = then(state, [granted]);
      if (state.vpcEndpointState === 'pending') {
        // The service's own stream decides the rest (still Available, still allowed): attach to it.
        return [
          granted,
          {
            type: 'connectionAttachRequested',
            ...base(state, now),
            requesterPrincipal: state.requesterPrincipal,
            availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
          },
        ];
      }
      // Deleted while the grant was on its way: give it back at once.
      const released = releaseQuota(after, now);
      return [granted, ...released, ...finishDeletionIfSettled(then(after, released), now)];
    }
    case 'recordAttachment': {
      if (!state || state.attachment !== 'requested') return [];
      const now = command.now;
      const { outcome } = command;
      if (!outcome.attached) {
        if (state.vpcEndpointState === 'pending') {
          const failed: EndpointConnectionEvent = {
            type: 'connectionFailed',
            ...transition(state, 'failed', now),
            stateReason: outcome.reason,
            message: outcome.message,
          };
          return [failed, ...releaseQuota(then(state, [failed]), now)];
        }
        // Deleting: nothing was attached, so nothing to detach.
        const none = { ...state, attachment: 'none' as const };
        return finishDeletionIfSettled(none, now);
      }
      const attached: EndpointConnectionEvent = { type: 'connectionAttached', ...base(state, now) };
      const after = then(state, [attached]);
      if (state.vpcEndpointState !== 'pending') return [attached, ...detach(after, now)];
      if (!outcome.acceptanceRequired) {
        const dnsEntries = dnsEntriesFor(after, command.dns);
        return [attached, { type: 'connectionAutoAccepted', ...transition(after, 'available', now, 'Accept'), dnsEntries }];
      }
      return [
        attached,
        { type: 'connectionPendingAcceptance', ...transition(after, 'pendingAcceptance', now), requestMessage: state.requestMessage },
      ];
    }
    case 'recordDetachment': {
      if (!state || state.attachment !== 'detachRequested') return [];
      const detached: EndpointConnectionEvent = { type: 'connectionDetached', ...base(state, command.now) };
      return [detached, ...finishDeletionIfSettled(then(state, [detached]), command.now)];
    }
    case 'reconcileStep':
      return decideReconcile(command, state);
    case 'acceptConnection': {
      const connection = requireConnectionToService(state, command.serviceId, command.providerAccountId);
      if (connection.vpcEndpointState !== 'pendingAcceptance') throw incorrectState(connection, 'accepted', 'it is pendingAcceptance');
      return [
        {
          type: 'connectionAccepted',
          ...transition(connection, 'available', command.now, 'Accept'),
          dnsEntries: dnsEntriesFor(connection, command.dns),
        },
      ];
    }
    case 'rejectConnection': {
      // "A service provider can reject the interface endpoint after it has been accepted ... and is in the available state."
      const connection = requireConnectionToService(state, command.serviceId, command.providerAccountId);
      if (connection.vpcEndpointState !== 'pendingAcceptance' && connection.vpcEndpointState !== 'available') {
        throw incorrectState(connection, 'rejected', 'it is pendingAcceptance or available');
      }
      const rejected: EndpointConnectionEvent = {
        type: 'connectionRejected',
        ...transition(connection, 'rejected', command.now, 'Reject'),
      };
      const after = then(connection, [rejected]);
      return [rejected, ...detach(after, command.now), ...releaseQuota(after, command.now)];
    }
    case 'deleteEndpoint': {
      // "Only the service consumer that requested the interface endpoint connection can delete the interface endpoint."
      const endpoint = requireOwnedBy(state, command.ownerAccountId);
      if (endpoint.vpcEndpointState === 'deleting') return []; // already on its way
      const deleting: EndpointConnectionEvent = { type: 'connectionDeleting', ...transition(endpoint, 'deleting', command.now) };
      let after = then(endpoint, [deleting]);
      const effects = [...detach(after, command.now), ...releaseQuota(after, command.now)];
      after = then(after, effects);
      return [deleting, ...effects, ...finishDeletionIfSettled(after, command.now)];
    }
    case 'modifyEndpoint':
      return decideModify(command, state);
  }
}

// ── deadlines: the pending step ──────────────────────────────────────────────────────────────────

/**
 * The step the connection waits on, or null when it waits on nobody (pendingAcceptance and available wait
 * for the provider or the consumer, which have no deadline; failed, rejected and deleted are settled).
 */
export function pendingStepOf(state: EndpointConnectionState | null): WorkflowStep | null {
  if (!state || state.vpcEndpointState === 'deleted') return null;
  if (state.quota === 'requested') return 'quota';
  if (state.attachment === 'requested') return 'attach';
  if (state.attachment === 'detachRequested') return 'detach';
  if (state.vpcEndpointState === 'pending' && state.quota === 'none' && state.attachment === 'none') return 'evaluate';
  return null;
}

/** Who a step waits on, as the consumer reads it in the failure's message. */
const STEP_OWNERS: Record<WorkflowStep, string> = {
  evaluate: 'connection-broker (checking the request)',
  quota: 'quota-guard (reserving capacity)',
  attach: 'the endpoint service (attaching the connection)',
  detach: 'the endpoint service (detaching the connection)',
};

/**
 * The pending step's deadline passed. While fewer than `maxTries` sends were made, the step's command is
 * sent again (connectionStepRetried; the command keeps its id, so its owner acts once and answers again).
 * Then the step is abandoned: a pending request fails with InternalFailure and gives back what it holds
 * (the reservation, which may have been granted unseen, and the attachment, which may have been made
 * unseen: their release commands are sent), and a deleting endpoint goes on to deleted. A step that is no
 * longer pending (its answer came meanwhile) decides nothing. Its own checks (`evaluate`) are not retried
 * here: the reconciler runs them again (evaluateRequest), they need no other service.
 */
function decideReconcile(
  command: Extract<EndpointConnectionCommand, { type: 'reconcileStep' }>,
  state: EndpointConnectionState | null,
): EndpointConnectionEvent[] {
  if (!state || command.step === 'evaluate' || pendingStepOf(state) !== command.step) return [];
  const { step, now } = command;
  const sent = 1 + (state.stepRetries ?? 0);
  if (sent < command.maxTries) return [{ type: 'connectionStepRetried', ...base(state, now), step, attempt: sent + 1 }];
  const abandoned: EndpointConnectionEvent = { type: 'connectionStepAbandoned', ...base(state, now), step, tries: sent };
  const events: EndpointConnectionEvent[] = [abandoned];
  let after = then(state, events);
  if (after.vpcEndpointState === 'pending') {
    const failed: EndpointConnectionEvent = {
      type: 'connectionFailed',
      ...transition(after, 'failed', now),
      stateReason: 'InternalFailure',
      message: `the request could not be completed: ${STEP_OWNERS[step]} did not answer after ${sent} tries; it holds no capacity`,
    };
    after = then(after, [failed]);
    const released = releaseQuota(after, now);
    events.push(failed, ...released);
    after = then(after, released);
  }
  events.push(...finishDeletionIfSettled(after, now));
  return events;
}

function decideRequest(
  command: Extract<EndpointConnectionCommand, { type: 'requestConnection' }>,
  state: EndpointConnectionState | null,
): EndpointConnectionEvent[] {
  if (state) throw new DomainError('IncorrectState', `VPC endpoint ${state.vpcEndpointId} already exists`, 'vpcEndpointId');
  const vpcEndpointId = assertVpcEndpointId(command.vpcEndpointId);
  if (typeof command.dnsSuffix !== 'string' || !DNS_SUFFIX.test(command.dnsSuffix)) {
    throw invalid('dnsSuffix', `dnsSuffix: '${String(command.dnsSuffix)}' must be 8 lower-case letters or digits`);
  }
  const requester = parsePrincipal(command.requesterPrincipal, 'requesterPrincipal');
  if (!requester.accountId) throw invalid('requesterPrincipal', 'requesterPrincipal: the requester must be an account, user or role ARN');
  const request = validateEndpointRequest(command.input, command.service);
  return [
    {
      type: 'connectionRequested',
      vpcEndpointId,
      serviceId: command.service.serviceId,
      vpcEndpointOwner: requester.accountId,
      serviceOwner: command.service.owner,
      at: command.now,
      stateBefore: null,
      stateAfter: 'pending',
      connectionEvent: 'Connect',
      serviceName: command.service.serviceName,
      requesterPrincipal: requester.principal,
      baseEndpointDnsName: command.service.baseEndpointDnsName,
      dnsSuffix: command.dnsSuffix,
      createdAt: command.now,
      observedServiceVersion: command.observedServiceVersion ?? 0,
      ...request,
    },
  ];
}

// "You can modify the following attributes of an interface endpoint: the subnet ..., the security
// groups ..., the tags, the private DNS option, the endpoint policy". A Gateway Load Balancer endpoint:
// "You cannot change the subnet later", no security groups, no policy; its tags can change.
function decideModify(
  command: Extract<EndpointConnectionCommand, { type: 'modifyEndpoint' }>,
  state: EndpointConnectionState | null,
): EndpointConnectionEvent[] {
  const endpoint = requireOwnedBy(state, command.ownerAccountId);
  if (endpoint.vpcEndpointState !== 'pendingAcceptance' && endpoint.vpcEndpointState !== 'available') {
    throw incorrectState(endpoint, 'modified', 'it is pendingAcceptance or available');
  }
  const c = command.changes;
  const isGateway = endpoint.vpcEndpointType === 'GatewayLoadBalancer';
  if (isGateway) {
    for (const field of ['addSubnets', 'removeSubnetIds'] as const) {
      if (c[field] !== undefined)
        throw invalid(
          field,
          `${field}: the subnet of a Gateway Load Balancer endpoint cannot be changed; create a new endpoint in the other subnet`,
        );
    }
    for (const field of ['addSecurityGroupIds', 'removeSecurityGroupIds'] as const) {
      if (c[field] !== undefined) throw invalid(field, `${field}: security groups are not supported for Gateway Load Balancer endpoints`);
    }
    for (const field of ['policyDocument', 'resetPolicy'] as const) {
      if (c[field] !== undefined) throw invalid(field, `${field}: endpoint policies are not supported for Gateway Load Balancer endpoints`);
    }
    if (c.privateDnsEnabled !== undefined)
      throw invalid('privateDnsEnabled', 'privateDnsEnabled: private DNS is not supported for Gateway Load Balancer endpoints');
  }

  // Subnets
  const zones = command.service?.zones ?? [];
  const serviceRef = { zones, serviceId: endpoint.serviceId };
  const added =
    c.addSubnets === undefined ? [] : arrayOf(c.addSubnets, 'addSubnets').map((s, i) => validateSubnet(s, `addSubnets[${i}]`, serviceRef));
  const removed =
    c.removeSubnetIds === undefined
      ? []
      : [...new Set(arrayOf(c.removeSubnetIds, 'removeSubnetIds').map((id, i) => stringAt(id, `removeSubnetIds[${i}]`)))];
  removed.forEach((id, i) => {
    if (!endpoint.subnets.some((s) => s.subnetId === id))
      throw invalid(`removeSubnetIds[${i}]`, `removeSubnetIds[${i}]: subnet ${id} is not a subnet of endpoint ${endpoint.vpcEndpointId}`);
    if (added.some((s) => s.subnetId === id))
      throw new DomainError(
        'InvalidParameterCombination',
        `removeSubnetIds[${i}]: subnet ${id} is both added and removed`,
        `removeSubnetIds[${i}]`,
      );
  });
  added.forEach((s, i) => {
    if (endpoint.subnets.some((e) => e.subnetId === s.subnetId))
      throw invalid(`addSubnets[${i}].subnetId`, `addSubnets[${i}].subnetId: subnet ${s.subnetId} is already a subnet of the endpoint`);
  });
  const subnets = [...endpoint.subnets.filter((s) => !removed.includes(s.subnetId)), ...added];
  if (subnets.length === 0) throw invalid('removeSubnetIds', 'removeSubnetIds: an interface endpoint keeps at least one subnet');
  oneSubnetPerZone(subnets, 'subnets');
  if (subnets.length > MAX_SUBNETS) throw invalid('addSubnets', `addSubnets: at most ${MAX_SUBNETS} subnets`);

  // Security groups
  const addGroups = c.addSecurityGroupIds === undefined ? [] : validateSecurityGroupIds(c.addSecurityGroupIds, 'addSecurityGroupIds');
  const removeGroups =
    c.removeSecurityGroupIds === undefined ? [] : validateSecurityGroupIds(c.removeSecurityGroupIds, 'removeSecurityGroupIds');
  removeGroups.forEach((id, i) => {
    if (!endpoint.groups.some((g) => g.groupId === id))
      throw invalid(`removeSecurityGroupIds[${i}]`, `removeSecurityGroupIds[${i}]: ${id} is not associated with the endpoint`);
    if (addGroups.includes(id))
      throw new DomainError(
        'InvalidParameterCombination',
        `removeSecurityGroupIds[${i}]: ${id} is both added and removed`,
        `removeSecurityGroupIds[${i}]`,
      );
  });
  let groups = endpoint.groups.filter((g) => !g.groupId || !removeGroups.includes(g.groupId));
  const newGroups = addGroups.filter((id) => !groups.some((g) => g.groupId === id)).map((groupId) => ({ groupId }));
  // Naming groups of its own replaces the VPC's default group; removing them all brings the default back.
  if (newGroups.length > 0) groups = [...groups.filter((g) => g.groupId), ...newGroups];
  if (!isGateway && groups.length === 0) groups = [{ groupName: 'default' }];
  groupsLimit(groups, 'addSecurityGroupIds');

  // Private DNS option
  const privateDnsEnabled =
    c.privateDnsEnabled === undefined
      ? endpoint.privateDnsEnabled
      : validatePrivateDnsEnabled(c.privateDnsEnabled, endpoint.vpcEndpointType, command.service?.privateDnsName ?? null);

  // Policy ("you can modify the policy at any time"); resetPolicy goes back to full access.
  const reset = c.resetPolicy === undefined ? false : booleanAt(c.resetPolicy, 'resetPolicy');
  if (reset && c.policyDocument !== undefined)
    throw new DomainError('InvalidParameterCombination', 'resetPolicy: cannot set and reset the policy at once', 'resetPolicy');
  const policyDocument = reset
    ? FULL_ACCESS_POLICY
    : c.policyDocument === undefined
      ? endpoint.policyDocument
      : validatePolicyDocument(c.policyDocument);

  // Tags
  const removeKeys = c.removeTagKeys === undefined ? [] : validateTagKeys(c.removeTagKeys, 'removeTagKeys');
  const tags = applyTagChanges(endpoint.tags, c.addTags === undefined ? [] : validateTags(c.addTags, 'addTags'), removeKeys, 'addTags');

  const unchanged =
    sameSubnets(subnets, endpoint.subnets) &&
    JSON.stringify(groups) === JSON.stringify(endpoint.groups) &&
    privateDnsEnabled === endpoint.privateDnsEnabled &&
    policyDocument === endpoint.policyDocument &&
    sameTags(tags, endpoint.tags);
  if (unchanged) return [];
  const next = { ...endpoint, subnets, privateDnsEnabled };
  const dnsEntries = endpoint.vpcEndpointState === 'available' ? dnsEntriesFor(next, command.dns) : [];
  return [
    { type: 'connectionModified', ...base(endpoint, command.now), subnets, groups, privateDnsEnabled, policyDocument, tags, dnsEntries },
  ];
}

/**
 * The rules of a ModifyVpcEndpoint change that need neither the endpoint nor its service (forms of ids,
 * tags, the policy document, the flags). The edge checks them before forwarding the change, so a malformed
 * one is a 400 and nothing is queued; `decideModify` checks them again with the rules that need the state.
 */
export function validateEndpointChanges(c: ModifyEndpointInput): void {
  if (c.addSubnets !== undefined) arrayOf(c.addSubnets, 'addSubnets').forEach((s, i) => subnetShape(s, `addSubnets[${i}]`));
  if (c.removeSubnetIds !== undefined)
    arrayOf(c.removeSubnetIds, 'removeSubnetIds').forEach((id, i) => stringAt(id, `removeSubnetIds[${i}]`));
  if (c.addSecurityGroupIds !== undefined) validateSecurityGroupIds(c.addSecurityGroupIds, 'addSecurityGroupIds');
  if (c.removeSecurityGroupIds !== undefined) validateSecurityGroupIds(c.removeSecurityGroupIds, 'removeSecurityGroupIds');
  if (c.privateDnsEnabled !== undefined) booleanAt(c.privateDnsEnabled, 'privateDnsEnabled');
  const reset = c.resetPolicy === undefined ? false : booleanAt(c.resetPolicy, 'resetPolicy');
  if (reset && c.policyDocument !== undefined)
    throw new DomainError('InvalidParameterCombination', 'resetPolicy: cannot set and reset the policy at once', 'resetPolicy');
  if (c.policyDocument !== undefined) validatePolicyDocument(c.policyDocument);
  if (c.removeTagKeys !== undefined) validateTagKeys(c.removeTagKeys, 'removeTagKeys');
  if (c.addTags !== undefined) validateTags(c.addTags, 'addTags');
}

function arrayOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, `${field}: expected a list`);
  return value;
}

function stringAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, `${field}: expected an id`);
  return value;
}

function booleanAt(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `${field}: expected true or false`);
  return value;
}

function sameSubnets(a: EndpointSubnet[], b: EndpointSubnet[]): boolean {
  return a.length === b.length && a.every((s, i) => s.subnetId === b[i].subnetId);
}

// ── evolve ───────────────────────────────────────────────────────────────────────────────────────

/** Folds one event; a change of the pending step starts its retries from zero. */
export function evolveEndpointConnection(
  state: EndpointConnectionState | null,
  event: EndpointConnectionEvent,
): EndpointConnectionState | null {
  const next = evolveFacts(state, event);
  if (!state || !next || event.type === 'connectionStepRetried' || !next.stepRetries) return next;
  return pendingStepOf(next) === pendingStepOf(state) ? next : { ...next, stepRetries: 0 };
}

function evolveFacts(state: EndpointConnectionState | null, event: EndpointConnectionEvent): EndpointConnectionState | null {
  if (event.type === 'connectionRequested') {
    return {
      vpcEndpointId: event.vpcEndpointId,
      vpcEndpointType: event.vpcEndpointType,
      serviceId: event.serviceId,
      serviceName: event.serviceName,
      serviceOwner: event.serviceOwner,
      vpcEndpointOwner: event.vpcEndpointOwner,
      requesterPrincipal: event.requesterPrincipal,
      vpcId: event.vpcId,
      subnets: event.subnets.map((s) => ({ ...s })),
      groups: event.groups.map((g) => ({ ...g })),
      privateDnsEnabled: event.privateDnsEnabled,
      policyDocument: event.policyDocument,
      ipAddressType: event.ipAddressType,
      tags: event.tags.map((t) => ({ ...t })),
      requestMessage: event.requestMessage,
      clientToken: event.clientToken,
      baseEndpointDnsName: event.baseEndpointDnsName,
      dnsSuffix: event.dnsSuffix,
      vpcEndpointState: 'pending',
      stateReason: null,
      stateMessage: null,
      dnsEntries: [],
      quota: 'none',
      attachment: 'none',
      createdAt: event.createdAt,
      lastChangedAt: event.at,
      pendingAcceptanceSince: null,
      stepRetries: 0,
      observedServiceVersion: event.observedServiceVersion ?? 0,
    };
  }
  if (!state) return state;
  const moved = (to: VpcEndpointState): EndpointConnectionState => ({
    ...state,
    vpcEndpointState: to,
    lastChangedAt: event.at,
    pendingAcceptanceSince: to === 'pendingAcceptance' ? event.at : null,
  });
  switch (event.type) {
    case 'connectionQuotaRequested':
      return { ...state, quota: 'requested' };
    case 'connectionQuotaGranted':
      return { ...state, quota: 'granted' };
    case 'connectionQuotaRefused':
      return { ...state, quota: 'refused' };
    case 'connectionQuotaReleased':
      return { ...state, quota: 'released' };
    case 'connectionAttachRequested':
      return { ...state, attachment: 'requested' };
    case 'connectionAttached':
      return { ...state, attachment: 'attached' };
    case 'connectionDetachRequested':
      return { ...state, attachment: 'detachRequested' };
    case 'connectionDetached':
      return { ...state, attachment: 'detached' };
    case 'connectionStepRetried':
      return { ...state, stepRetries: event.attempt - 1 };
    case 'connectionStepAbandoned':
      // Given up: a reservation is given back (its release is sent), an attachment that may have been made
      // is undone (its detach is sent), a detachment no longer waited for counts as done.
      if (event.step === 'quota') return { ...state, quota: 'released' };
      if (event.step === 'attach') return { ...state, attachment: 'detachRequested' };
      if (event.step === 'detach') return { ...state, attachment: 'detached' };
      return state;
    case 'connectionPendingAcceptance':
      return moved('pendingAcceptance');
    case 'connectionAccepted':
    case 'connectionAutoAccepted':
      return { ...moved('available'), dnsEntries: event.dnsEntries.map((d) => ({ ...d })) };
    case 'connectionRejected':
      return { ...moved('rejected'), dnsEntries: [] };
    case 'connectionFailed':
      return {
        ...moved('failed'),
        stateReason: event.stateReason,
        stateMessage: event.message,
        // A refused attachment leaves nothing attached.
        attachment: state.attachment === 'requested' ? 'none' : state.attachment,
      };
    case 'connectionDeleting':
      return { ...moved('deleting'), dnsEntries: [] };
    case 'connectionDeleted':
      return moved('deleted');
    case 'connectionModified':
      return {
        ...state,
        subnets: event.subnets.map((s) => ({ ...s })),
        groups: event.groups.map((g) => ({ ...g })),
        privateDnsEnabled: event.privateDnsEnabled,
        policyDocument: event.policyDocument,
        tags: event.tags.map((t) => ({ ...t })),
        dnsEntries: state.vpcEndpointState === 'available' ? event.dnsEntries.map((d) => ({ ...d })) : state.dnsEntries,
        lastChangedAt: event.at,
      };
  }
}

export const endpointConnectionDecider: Decider<EndpointConnectionCommand, EndpointConnectionEvent, EndpointConnectionState | null> = {
  decide: decideEndpointConnection,
  evolve: evolveEndpointConnection,
  initialState: initialEndpointConnectionState,
};
