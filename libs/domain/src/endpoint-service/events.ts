// What happened to an endpoint service: the facts its stream records.
import { Tag } from '../tags';
import { AllowedPrincipal, PayerResponsibility, ServiceLoadBalancer, ServiceType, SupportedIpAddressType } from './state';

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
  | { type: 'endpointServiceDescriptionChanged'; serviceId: string; description: string | null }
  | { type: 'endpointServicePayerResponsibilityChanged'; serviceId: string; payerResponsibility: PayerResponsibility }
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
