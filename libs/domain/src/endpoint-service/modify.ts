// modifyEndpointService (ModifyVpcEndpointServiceConfiguration and ModifyVpcEndpointServicePayerResponsibility).
import { validatePrivateDnsName } from '../dns-name';
import { DomainError } from '../errors';
import { EndpointServiceCommand } from './commands';
import { EndpointServiceEvent } from './events';
import {
  canonicalIpAddressTypes,
  canOnlyRemoveAssociatedLoadBalancers,
  cannotDisassociateLoadBalancerWithAttachedEndpoints,
  ipv6RequiresDualstackLoadBalancers,
  loadBalancerChangesMustMatchServiceType,
  notBothAddedAndRemoved,
  payerResponsibilityOnlyServiceOwner,
  validDescription,
  privateDnsNameRemovableOnlyWithoutConnections,
  privateDnsNamesNotSupportedForGatewayLoadBalancers,
  serviceKeepsAtLeastOneIpAddressType,
  serviceKeepsAtLeastOneLoadBalancer,
  validateArnList,
  validateIpAddressTypes,
  validateLoadBalancers,
  validatePrincipalList,
  zonesOfLoadBalancers,
} from './rules';
import { EndpointServiceState, ServiceLoadBalancer } from './state';

type Modify = Extract<EndpointServiceCommand, { type: 'modifyEndpointService' }>;

/**
 * ModifyVpcEndpointServiceConfiguration: each sub-change decided by its own function, in a fixed order
 * (one event each at most). All or nothing: the first rule broken refuses the whole request.
 */
export function decideModify(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  const loadBalancers = loadBalancersChange(command, service);
  return [
    ...loadBalancers.events,
    ...supportedIpAddressTypesChange(command, service, loadBalancers),
    ...acceptanceRequiredChange(command, service),
    ...privateDnsNameChange(command, service),
    ...payerResponsibilityChange(command, service),
    ...descriptionChange(command, service),
    ...autoAcceptPrincipalsChange(command, service),
  ];
}

/** The load balancers after the change, which the IP address type rules check. */
interface LoadBalancersAfter {
  events: EndpointServiceEvent[];
  loadBalancers: ServiceLoadBalancer[];
  /** The field that adds load balancers of the service's type (named when they break an IP address type rule). */
  addField: string;
}

function loadBalancersChange(command: Modify, service: EndpointServiceState): LoadBalancersAfter {
  const ctx = { region: service.region, owner: service.owner };
  const addNlb = validateLoadBalancers(command.addNetworkLoadBalancers, 'network', 'addNetworkLoadBalancerArns', ctx);
  const addGwlb = validateLoadBalancers(command.addGatewayLoadBalancers, 'gateway', 'addGatewayLoadBalancerArns', ctx);
  const removeNlb = validateArnList(command.removeNetworkLoadBalancerArns, 'removeNetworkLoadBalancerArns');
  const removeGwlb = validateArnList(command.removeGatewayLoadBalancerArns, 'removeGatewayLoadBalancerArns');
  loadBalancerChangesMustMatchServiceType(service.serviceType, { addNlb, removeNlb, addGwlb, removeGwlb });
  const isInterface = service.serviceType === 'Interface';
  const addField = isInterface ? 'addNetworkLoadBalancerArns' : 'addGatewayLoadBalancerArns';
  const removeField = isInterface ? 'removeNetworkLoadBalancerArns' : 'removeGatewayLoadBalancerArns';
  const added = isInterface ? addNlb : addGwlb;
  const toAdd = added.filter((lb) => !service.loadBalancers.some((known) => known.arn === lb.arn));
  const toRemove = [...new Set(isInterface ? removeNlb : removeGwlb)];
  notBothAddedAndRemoved(
    added.map((lb) => lb.arn),
    toRemove,
    removeField,
  );
  canOnlyRemoveAssociatedLoadBalancers(service, toRemove, removeField);
  if (toRemove.length > 0) cannotDisassociateLoadBalancerWithAttachedEndpoints(service, removeField);
  const loadBalancers = [...service.loadBalancers.filter((lb) => !toRemove.includes(lb.arn)), ...toAdd];
  serviceKeepsAtLeastOneLoadBalancer(loadBalancers, removeField);
  const zones = zonesOfLoadBalancers(loadBalancers, addField);
  if (toAdd.length === 0 && toRemove.length === 0) return { events: [], loadBalancers, addField };
  const event: EndpointServiceEvent = {
    type: 'endpointServiceLoadBalancersChanged',
    serviceId: service.serviceId,
    addedLoadBalancers: toAdd,
    removedLoadBalancerArns: toRemove,
    networkLoadBalancerArns: loadBalancers.filter((lb) => lb.loadBalancerType === 'network').map((lb) => lb.arn),
    gatewayLoadBalancerArns: loadBalancers.filter((lb) => lb.loadBalancerType === 'gateway').map((lb) => lb.arn),
    availabilityZones: zones.availabilityZones,
    availabilityZoneIds: zones.availabilityZoneIds,
  };
  return { events: [event], loadBalancers, addField };
}

function supportedIpAddressTypesChange(
  command: Modify,
  service: EndpointServiceState,
  { loadBalancers, addField }: LoadBalancersAfter,
): EndpointServiceEvent[] {
  const addTypes = validateIpAddressTypes(command.addSupportedIpAddressTypes, 'addSupportedIpAddressTypes', true);
  const removeTypes = validateIpAddressTypes(command.removeSupportedIpAddressTypes, 'removeSupportedIpAddressTypes', true);
  notBothAddedAndRemoved(addTypes, removeTypes, 'removeSupportedIpAddressTypes');
  const types = canonicalIpAddressTypes([...service.supportedIpAddressTypes.filter((t) => !removeTypes.includes(t)), ...addTypes]);
  serviceKeepsAtLeastOneIpAddressType(types, 'removeSupportedIpAddressTypes');
  const ipv6Added = addTypes.includes('ipv6') && !service.supportedIpAddressTypes.includes('ipv6');
  ipv6RequiresDualstackLoadBalancers(types, loadBalancers, ipv6Added ? 'addSupportedIpAddressTypes' : addField);
  if (types.join() === service.supportedIpAddressTypes.join()) return [];
  return [{ type: 'endpointServiceSupportedIpAddressTypesChanged', serviceId: service.serviceId, supportedIpAddressTypes: types }];
}

function acceptanceRequiredChange(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  const { acceptanceRequired } = command;
  if (acceptanceRequired === undefined || acceptanceRequired === service.acceptanceRequired) return [];
  return [{ type: 'endpointServiceAcceptanceRequiredChanged', serviceId: service.serviceId, acceptanceRequired }];
}

function privateDnsNameChange(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  const removeName = command.removePrivateDnsName === true;
  const setName = command.privateDnsName !== undefined;
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
    if (privateDnsName === service.privateDnsName) return [];
    return [
      {
        type: 'endpointServicePrivateDnsNameSet',
        serviceId: service.serviceId,
        privateDnsName,
        previousPrivateDnsName: service.privateDnsName,
      },
    ];
  }
  if (!removeName || service.privateDnsName === null) return [];
  privateDnsNameRemovableOnlyWithoutConnections(service);
  return [{ type: 'endpointServicePrivateDnsNameRemoved', serviceId: service.serviceId, previousPrivateDnsName: service.privateDnsName }];
}

function payerResponsibilityChange(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  if (command.payerResponsibility === undefined) return [];
  const payerResponsibility = payerResponsibilityOnlyServiceOwner(command.payerResponsibility);
  if (service.payerResponsibility === payerResponsibility) return [];
  return [{ type: 'endpointServicePayerResponsibilityChanged', serviceId: service.serviceId, payerResponsibility }];
}

// Beyond the guide: principals whose requests are accepted automatically, validated like allowed principals.
function autoAcceptPrincipalsChange(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  const add =
    command.addAutoAcceptPrincipals === undefined ? [] : validatePrincipalList(command.addAutoAcceptPrincipals, 'addAutoAcceptPrincipals');
  const remove =
    command.removeAutoAcceptPrincipals === undefined
      ? []
      : validatePrincipalList(command.removeAutoAcceptPrincipals, 'removeAutoAcceptPrincipals');
  notBothAddedAndRemoved(add, remove, 'removeAutoAcceptPrincipals');
  const current = service.autoAcceptPrincipals ?? [];
  const autoAcceptPrincipals = [...new Set([...current.filter((p) => !remove.includes(p)), ...add])];
  if (autoAcceptPrincipals.join('\n') === current.join('\n')) return [];
  return [{ type: 'endpointServiceAutoAcceptPrincipalsChanged', serviceId: service.serviceId, autoAcceptPrincipals }];
}

// Description (beyond the guide).
function descriptionChange(command: Modify, service: EndpointServiceState): EndpointServiceEvent[] {
  if (command.description === undefined) return [];
  const description = validDescription(command.description, 'description');
  if (description === (service.description ?? null)) return [];
  return [{ type: 'endpointServiceDescriptionChanged', serviceId: service.serviceId, description }];
}
