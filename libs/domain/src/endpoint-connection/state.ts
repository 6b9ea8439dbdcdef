// The EndpointConnection aggregate's state and its vocabulary (see index.ts for the state machine).
import { AvailabilityZone } from '../availability-zones';
import { ServiceType, SupportedIpAddressType } from '../endpoint-service';
import { Tag } from '../tags';

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

export const initialEndpointConnectionState: EndpointConnectionState | null = null;
