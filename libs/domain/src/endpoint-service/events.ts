// What happened to an endpoint service: the facts its stream records.
import { Tag } from '../tags';
import { AllowedPrincipal, EndpointServiceState, PayerResponsibility, ServiceLoadBalancer, SupportedIpAddressType } from './state';

export type EndpointServiceEvent =
  | (Pick<
      EndpointServiceState,
      | 'serviceId'
      | 'serviceName'
      | 'serviceType'
      | 'owner'
      | 'region'
      | 'acceptanceRequired'
      | 'networkLoadBalancerArns'
      | 'gatewayLoadBalancerArns'
      | 'loadBalancers'
      | 'availabilityZones'
      | 'availabilityZoneIds'
      | 'baseEndpointDnsNames'
      | 'privateDnsName'
      | 'description'
      | 'supportedIpAddressTypes'
      | 'tags'
      | 'clientToken'
      | 'createdAt'
    > & { type: 'endpointServiceCreated' })
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
