// evolve: the service's state after one more event.
import { EndpointServiceEvent } from './events';
import { EndpointServiceState, ServiceLoadBalancer } from './state';

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
    case 'endpointServiceDescriptionChanged': {
      const { description: _previous, ...rest } = state;
      return event.description === null ? rest : { ...rest, description: event.description };
    }
    case 'endpointServicePayerResponsibilityChanged':
      return { ...state, payerResponsibility: event.payerResponsibility };
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
