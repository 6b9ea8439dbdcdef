// decide: a command on the endpoint's state → the events it causes (or the DomainError of the rule it breaks).
import { DomainError, invalid } from '../errors';
import { assertVpcEndpointId } from '../ids';
import { parsePrincipal } from '../principal';
import { requestCheckFailure, privateDnsFailure } from './checks';
import { EndpointConnectionCommand } from './commands';
import { decideReconcile } from './deadlines';
import { dnsEntriesFor } from './dns';
import { base, detach, finishDeletionIfSettled, quotaScope, releaseQuota, then, transition } from './emit';
import { EndpointConnectionEvent } from './events';
import { decideModify } from './modify';
import { DNS_SUFFIX, validateEndpointRequest } from './request';
import { incorrectState, requireConnectionToService, requireOwnedBy } from './rules';
import { EndpointConnectionState } from './state';

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
