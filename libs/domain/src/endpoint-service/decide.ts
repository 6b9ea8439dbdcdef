// decide: a command on the service's state → the events it causes (or the DomainError of the rule it breaks).
import { validatePrivateDnsName } from '../dns-name';
import { DomainError, invalid } from '../errors';
import { assertServiceId, assertServicePermissionId, assertVpcEndpointId, baseEndpointDnsNameFor, serviceNameFor } from '../ids';
import { parsePrincipal } from '../principal';
import { retag, validateTags } from '../tags';
import { EndpointServiceCommand } from './commands';
import { EndpointServiceEvent } from './events';
import { decideModify } from './modify';
import {
  allowedPrincipalsWithinQuota,
  attachmentRefusal,
  attachmentRefused,
  cannotCreateTwice,
  connectionsOnlyToAvailableServices,
  deleteRequiresNoLiveConnections,
  ipv6RequiresDualstackLoadBalancers,
  notFound,
  privateDnsNamesNotSupportedForGatewayLoadBalancers,
  rejectBothLoadBalancerKinds,
  requireAccountId,
  requireAtLeastOneLoadBalancer,
  requireChangeable,
  requireExisting,
  validDescription,
  validateClientToken,
  validateIpAddressTypes,
  validateLoadBalancers,
  validatePrincipalList,
  zonesOfLoadBalancers,
} from './rules';
import { AllowedPrincipal, EndpointServiceState, ServiceType, SupportedIpAddressType } from './state';

export function decideEndpointService(command: EndpointServiceCommand, state: EndpointServiceState | null): EndpointServiceEvent[] {
  switch (command.type) {
    case 'createEndpointService':
      return decideCreate(command, state);
    case 'markAvailable': {
      const service = requireExisting(state);
      if (service.serviceState === 'Available') return [];
      if (service.serviceState !== 'Pending' && service.serviceState !== 'Failed') {
        throw new DomainError(
          'IncorrectState',
          `endpoint service ${service.serviceId} is ${service.serviceState} and cannot become Available`,
          'serviceId',
        );
      }
      return [{ type: 'endpointServiceAvailable', serviceId: service.serviceId, at: command.now }];
    }
    case 'markFailed': {
      const service = requireExisting(state);
      if (service.serviceState === 'Failed') return [];
      if (service.serviceState === 'Deleting') {
        throw new DomainError('IncorrectState', `endpoint service ${service.serviceId} is being deleted`, 'serviceId');
      }
      return [{ type: 'endpointServiceFailed', serviceId: service.serviceId, reason: String(command.reason), at: command.now }];
    }
    case 'modifyEndpointService':
      return decideModify(command, requireChangeable(state));
    case 'addAllowedPrincipals': {
      const service = requireChangeable(state);
      const requested = validatePrincipalList(command.principals, 'addAllowedPrincipals');
      const ids = command.servicePermissionIds;
      if (ids.length < requested.length) {
        throw invalid('servicePermissionIds', 'servicePermissionIds: one fresh id per requested principal is needed');
      }
      const present = new Set(service.allowedPrincipals.map((p) => p.principal));
      const usedIds = new Set(service.allowedPrincipals.map((p) => p.servicePermissionId));
      const added: AllowedPrincipal[] = [];
      requested.forEach((principal, i) => {
        if (present.has(principal)) return; // already allowed: idempotent, see principalAdditionOutcome
        const servicePermissionId = assertServicePermissionId(ids[i], `servicePermissionIds[${i}]`);
        if (usedIds.has(servicePermissionId))
          throw invalid(`servicePermissionIds[${i}]`, `servicePermissionIds[${i}]: ${servicePermissionId} is already used`);
        present.add(principal);
        usedIds.add(servicePermissionId);
        added.push({ principal, principalType: parsePrincipal(principal).principalType, servicePermissionId });
      });
      if (added.length === 0) return [];
      allowedPrincipalsWithinQuota(service, added.length, command.maxAllowedPrincipals);
      return [{ type: 'endpointServicePrincipalsAllowed', serviceId: service.serviceId, allowedPrincipals: added, at: command.now }];
    }
    case 'removeAllowedPrincipals': {
      const service = requireChangeable(state);
      const requested = new Set(validatePrincipalList(command.principals, 'removeAllowedPrincipals'));
      const removed = service.allowedPrincipals.filter((p) => requested.has(p.principal)).map((p) => ({ ...p }));
      if (removed.length === 0) return []; // already absent: idempotent, see principalRemovalOutcome
      return [{ type: 'endpointServicePrincipalsRemoved', serviceId: service.serviceId, allowedPrincipals: removed, at: command.now }];
    }
    case 'createTags':
    case 'deleteTags': {
      const service = requireChangeable(state);
      const tags = retag(service.tags, command);
      return tags ? [{ type: 'endpointServiceTagsChanged', serviceId: service.serviceId, tags }] : [];
    }
    case 'recordConnectionOpened': {
      if (command.requester) {
        if (state?.liveConnectionIds.includes(command.vpcEndpointId)) return []; // already attached: the same answer
        const refusal = attachmentRefusal(state, command.requester.principal, command.requester.availabilityZoneIds);
        if (refusal) throw attachmentRefused(refusal, command.vpcEndpointId);
      }
      const service = requireExisting(state);
      const vpcEndpointId = assertVpcEndpointId(command.vpcEndpointId);
      if (service.liveConnectionIds.includes(vpcEndpointId)) return [];
      connectionsOnlyToAvailableServices(service);
      return [{ type: 'endpointServiceConnectionOpened', serviceId: service.serviceId, vpcEndpointId }];
    }
    case 'recordConnectionClosed': {
      if (!state || !state.liveConnectionIds.includes(command.vpcEndpointId)) return [];
      return [{ type: 'endpointServiceConnectionClosed', serviceId: state.serviceId, vpcEndpointId: command.vpcEndpointId }];
    }
    case 'deleteEndpointService': {
      const service = requireExisting(state);
      if (service.serviceState === 'Deleting') return []; // already on its way
      deleteRequiresNoLiveConnections(service);
      return [
        {
          type: 'endpointServiceDeleting',
          serviceId: service.serviceId,
          networkLoadBalancerArns: [...service.networkLoadBalancerArns],
          gatewayLoadBalancerArns: [...service.gatewayLoadBalancerArns],
          at: command.now,
        },
      ];
    }
    case 'completeDeletion': {
      if (!state) throw notFound(state);
      if (state.serviceState === 'Deleted') return [];
      if (state.serviceState !== 'Deleting') {
        throw new DomainError(
          'IncorrectState',
          `endpoint service ${state.serviceId} is ${state.serviceState}; deletion was not started`,
          'serviceId',
        );
      }
      return [{ type: 'endpointServiceDeleted', serviceId: state.serviceId, at: command.now }];
    }
  }
}

function decideCreate(
  command: Extract<EndpointServiceCommand, { type: 'createEndpointService' }>,
  state: EndpointServiceState | null,
): EndpointServiceEvent[] {
  cannotCreateTwice(state);
  const serviceId = assertServiceId(command.serviceId);
  const owner = requireAccountId(command.ownerAccountId, 'ownerAccountId');
  const serviceName = serviceNameFor(command.region, serviceId);
  const baseEndpointDnsNames = [baseEndpointDnsNameFor(serviceId, command.region, command.baseDomain)];
  const ctx = { region: command.region, owner };
  const rawNlbs = command.networkLoadBalancers ?? [];
  const rawGwlbs = command.gatewayLoadBalancers ?? [];
  rejectBothLoadBalancerKinds(rawNlbs, rawGwlbs);
  requireAtLeastOneLoadBalancer(rawNlbs, rawGwlbs);
  const nlbs = validateLoadBalancers(command.networkLoadBalancers, 'network', 'networkLoadBalancerArns', ctx);
  const gwlbs = validateLoadBalancers(command.gatewayLoadBalancers, 'gateway', 'gatewayLoadBalancerArns', ctx);
  const serviceType: ServiceType = nlbs.length > 0 ? 'Interface' : 'GatewayLoadBalancer';
  const loadBalancers = [...nlbs, ...gwlbs];
  const zones = zonesOfLoadBalancers(loadBalancers, nlbs.length > 0 ? 'networkLoadBalancerArns' : 'gatewayLoadBalancerArns');
  const acceptanceRequired = command.acceptanceRequired ?? true;
  let privateDnsName: string | null = null;
  if (command.privateDnsName !== undefined) {
    privateDnsNamesNotSupportedForGatewayLoadBalancers(serviceType, 'privateDnsName');
    privateDnsName = validatePrivateDnsName(command.privateDnsName, 'privateDnsName');
  }
  const supportedIpAddressTypes =
    command.supportedIpAddressTypes === undefined
      ? (['ipv4'] as SupportedIpAddressType[])
      : validateIpAddressTypes(command.supportedIpAddressTypes, 'supportedIpAddressTypes', false);
  ipv6RequiresDualstackLoadBalancers(supportedIpAddressTypes, loadBalancers, 'supportedIpAddressTypes');
  const tags = validateTags(command.tags, 'tags');
  const description = command.description === undefined ? null : validDescription(command.description, 'description');
  return [
    {
      type: 'endpointServiceCreated',
      serviceId,
      serviceName,
      serviceType,
      owner,
      region: command.region,
      acceptanceRequired,
      networkLoadBalancerArns: nlbs.map((lb) => lb.arn),
      gatewayLoadBalancerArns: gwlbs.map((lb) => lb.arn),
      loadBalancers,
      availabilityZones: zones.availabilityZones,
      availabilityZoneIds: zones.availabilityZoneIds,
      baseEndpointDnsNames,
      privateDnsName,
      ...(description !== null && { description }),
      supportedIpAddressTypes,
      tags,
      clientToken: validateClientToken(command.clientToken),
      createdAt: command.now,
    },
  ];
}
