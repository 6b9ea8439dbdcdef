// modifyEndpoint (ModifyVpcEndpoint).
import { DomainError, invalid } from '../errors';
import { Tag, applyTagChanges, sameTags, validateTagKeys, validateTags } from '../tags';
import { EndpointConnectionCommand, ModifyEndpointInput } from './commands';
import { dnsEntriesFor } from './dns';
import { base } from './emit';
import { EndpointConnectionEvent } from './events';
import {
  groupsLimit,
  oneSubnetPerZone,
  subnetShape,
  validatePolicyDocument,
  validatePrivateDnsEnabled,
  validateSecurityGroupIds,
  validateSubnet,
} from './request';
import { incorrectState, requireOwnedBy } from './rules';
import { EndpointConnectionState, EndpointSubnet, FULL_ACCESS_POLICY, MAX_SUBNETS, SecurityGroupRef } from './state';

// "You can modify the following attributes of an interface endpoint: the subnet ..., the security
// groups ..., the tags, the private DNS option, the endpoint policy". A Gateway Load Balancer endpoint:
// "You cannot change the subnet later", no security groups, no policy; its tags can change.
type Modify = Extract<EndpointConnectionCommand, { type: 'modifyEndpoint' }>;

/** ModifyVpcEndpoint: each attribute's change decided by its own function, then one connectionModified event (or none). */
export function decideModify(command: Modify, state: EndpointConnectionState | null): EndpointConnectionEvent[] {
  const endpoint = requireOwnedBy(state, command.ownerAccountId);
  if (endpoint.vpcEndpointState !== 'pendingAcceptance' && endpoint.vpcEndpointState !== 'available') {
    throw incorrectState(endpoint, 'modified', 'it is pendingAcceptance or available');
  }
  const c = command.changes;
  const isGateway = endpoint.vpcEndpointType === 'GatewayLoadBalancer';
  if (isGateway) gatewayEndpointChangesOnlyItsTags(c);
  const subnets = subnetsAfter(c, endpoint, command.service);
  const groups = groupsAfter(c, endpoint, isGateway);
  const privateDnsEnabled = privateDnsEnabledAfter(c, endpoint, command.service);
  const policyDocument = policyAfter(c, endpoint);
  const tags = tagsAfter(c, endpoint);
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

// A Gateway Load Balancer endpoint: "You cannot change the subnet later", no security groups, no policy, no private DNS.
function gatewayEndpointChangesOnlyItsTags(c: ModifyEndpointInput): void {
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

function subnetsAfter(c: ModifyEndpointInput, endpoint: EndpointConnectionState, service: Modify['service']): EndpointSubnet[] {
  const zones = service?.zones ?? [];
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
  return subnets;
}

function groupsAfter(c: ModifyEndpointInput, endpoint: EndpointConnectionState, isGateway: boolean): SecurityGroupRef[] {
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
  return groups;
}

function privateDnsEnabledAfter(c: ModifyEndpointInput, endpoint: EndpointConnectionState, service: Modify['service']): boolean {
  return c.privateDnsEnabled === undefined
    ? endpoint.privateDnsEnabled
    : validatePrivateDnsEnabled(c.privateDnsEnabled, endpoint.vpcEndpointType, service?.privateDnsName ?? null);
}

// "You can modify the policy at any time"; resetPolicy goes back to full access.
function policyAfter(c: ModifyEndpointInput, endpoint: EndpointConnectionState): string | null {
  const reset = c.resetPolicy === undefined ? false : booleanAt(c.resetPolicy, 'resetPolicy');
  if (reset && c.policyDocument !== undefined)
    throw new DomainError('InvalidParameterCombination', 'resetPolicy: cannot set and reset the policy at once', 'resetPolicy');
  return reset ? FULL_ACCESS_POLICY : c.policyDocument === undefined ? endpoint.policyDocument : validatePolicyDocument(c.policyDocument);
}

function tagsAfter(c: ModifyEndpointInput, endpoint: EndpointConnectionState): Tag[] {
  const removeKeys = c.removeTagKeys === undefined ? [] : validateTagKeys(c.removeTagKeys, 'removeTagKeys');
  return applyTagChanges(endpoint.tags, c.addTags === undefined ? [] : validateTags(c.addTags, 'addTags'), removeKeys, 'addTags');
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
