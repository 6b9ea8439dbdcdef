// The EndpointService aggregate's state: an endpoint service configuration, its allowed principals and
// tags. One stream per service id (see index.ts for the lifecycle).
import { LoadBalancerType } from '../arn';
import { AvailabilityZone } from '../availability-zones';
import { LoadBalancerIpAddressType } from '../load-balancer';
import { PrincipalType } from '../principal';
import { Tag } from '../tags';

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

export const initialEndpointServiceState: EndpointServiceState | null = null;

/** The guide's note, carried as the API's warning when `isPublicService` holds. */
export const PUBLIC_SERVICE_WARNING =
  'If you set permission to "anyone can access" and you set the acceptance model to "accept all requests," then you\'ve just made your load balancer public. ' +
  "Because it's easy to obtain an AWS account, there is no practical limitation on who can access your load balancer even though it has no public IP address.";
