// modifyEndpointService (ModifyVpcEndpointServiceConfiguration and ModifyVpcEndpointServicePayerResponsibility).
import { validatePrivateDnsName } from '../dns-name';
import { DomainError } from '../errors';
import { EndpointServiceCommand } from './commands';
import { EndpointServiceEvent } from './events';
import {
  canonicalIpAddressTypes,
  canOnlyRemoveAssociatedLoadBalancers,
  cannotAddAndRemoveTheSameLoadBalancer,
  cannotDisassociateLoadBalancerWithAttachedEndpoints,
  ipv6RequiresDualstackLoadBalancers,
  loadBalancerChangesMustMatchServiceType,
  payerResponsibilityOnlyServiceOwner,
  privateDnsNameRemovableOnlyWithoutConnections,
  privateDnsNamesNotSupportedForGatewayLoadBalancers,
  requireBoolean,
  serviceKeepsAtLeastOneIpAddressType,
  serviceKeepsAtLeastOneLoadBalancer,
  validateArnList,
  validateIpAddressTypes,
  validateLoadBalancers,
  validatePrincipalList,
  zonesOfLoadBalancers,
} from './rules';
import { EndpointServiceState } from './state';

export function decideModify(
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
