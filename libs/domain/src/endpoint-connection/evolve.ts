// evolve: the endpoint's state after one more event.
import { EndpointConnectionEvent } from './events';
import { pendingStepOf } from './read';
import { EndpointConnectionState, VpcEndpointState } from './state';

/** Folds one event; a change of the pending step starts its retries from zero. */
export function evolveEndpointConnection(
  state: EndpointConnectionState | null,
  event: EndpointConnectionEvent,
): EndpointConnectionState | null {
  const next = evolveFacts(state, event);
  if (!state || !next || event.type === 'connectionStepRetried' || !next.stepRetries) return next;
  return pendingStepOf(next) === pendingStepOf(state) ? next : { ...next, stepRetries: 0 };
}

/** The events that only move the quota or the attachment along, and where each moves it. */
const WORKFLOW_STEP_MARKS = {
  connectionQuotaRequested: { quota: 'requested' },
  connectionQuotaGranted: { quota: 'granted' },
  connectionQuotaRefused: { quota: 'refused' },
  connectionQuotaReleased: { quota: 'released' },
  connectionAttachRequested: { attachment: 'requested' },
  connectionAttached: { attachment: 'attached' },
  connectionDetachRequested: { attachment: 'detachRequested' },
  connectionDetached: { attachment: 'detached' },
} as const satisfies Partial<Record<EndpointConnectionEvent['type'], Partial<EndpointConnectionState>>>;

type StepMarkEvent = Extract<EndpointConnectionEvent, { type: keyof typeof WORKFLOW_STEP_MARKS }>;

const marksAStep = (event: EndpointConnectionEvent): event is StepMarkEvent => Object.hasOwn(WORKFLOW_STEP_MARKS, event.type);

function evolveFacts(state: EndpointConnectionState | null, event: EndpointConnectionEvent): EndpointConnectionState | null {
  if (event.type === 'connectionRequested') {
    return {
      vpcEndpointId: event.vpcEndpointId,
      vpcEndpointType: event.vpcEndpointType,
      serviceId: event.serviceId,
      serviceName: event.serviceName,
      serviceOwner: event.serviceOwner,
      vpcEndpointOwner: event.vpcEndpointOwner,
      requesterPrincipal: event.requesterPrincipal,
      vpcId: event.vpcId,
      subnets: event.subnets.map((s) => ({ ...s })),
      groups: event.groups.map((g) => ({ ...g })),
      privateDnsEnabled: event.privateDnsEnabled,
      policyDocument: event.policyDocument,
      ipAddressType: event.ipAddressType,
      tags: event.tags.map((t) => ({ ...t })),
      requestMessage: event.requestMessage,
      clientToken: event.clientToken,
      baseEndpointDnsName: event.baseEndpointDnsName,
      dnsSuffix: event.dnsSuffix,
      vpcEndpointState: 'pending',
      stateReason: null,
      stateMessage: null,
      dnsEntries: [],
      quota: 'none',
      attachment: 'none',
      createdAt: event.createdAt,
      lastChangedAt: event.at,
      pendingAcceptanceSince: null,
      stepRetries: 0,
      observedServiceVersion: event.observedServiceVersion ?? 0,
    };
  }
  if (!state) return state;
  const moved = (to: VpcEndpointState): EndpointConnectionState => ({
    ...state,
    vpcEndpointState: to,
    lastChangedAt: event.at,
    pendingAcceptanceSince: to === 'pendingAcceptance' ? event.at : null,
  });
  if (marksAStep(event)) return { ...state, ...WORKFLOW_STEP_MARKS[event.type] };
  switch (event.type) {
    case 'connectionStepRetried':
      return { ...state, stepRetries: event.attempt - 1 };
    case 'connectionStepAbandoned':
      // Given up: a reservation is given back (its release is sent), an attachment that may have been made
      // is undone (its detach is sent), a detachment no longer waited for counts as done.
      if (event.step === 'quota') return { ...state, quota: 'released' };
      if (event.step === 'attach') return { ...state, attachment: 'detachRequested' };
      if (event.step === 'detach') return { ...state, attachment: 'detached' };
      return state;
    case 'connectionPendingAcceptance':
      return moved('pendingAcceptance');
    case 'connectionAccepted':
    case 'connectionAutoAccepted':
      return { ...moved('available'), dnsEntries: event.dnsEntries.map((d) => ({ ...d })) };
    case 'connectionRejected':
      return { ...moved('rejected'), dnsEntries: [] };
    case 'connectionFailed':
      return {
        ...moved('failed'),
        stateReason: event.stateReason,
        stateMessage: event.message,
        // A refused attachment leaves nothing attached.
        attachment: state.attachment === 'requested' ? 'none' : state.attachment,
      };
    case 'connectionDeleting':
      return { ...moved('deleting'), dnsEntries: [] };
    case 'connectionDeleted':
      return moved('deleted');
    case 'connectionModified':
      return {
        ...state,
        subnets: event.subnets.map((s) => ({ ...s })),
        groups: event.groups.map((g) => ({ ...g })),
        privateDnsEnabled: event.privateDnsEnabled,
        policyDocument: event.policyDocument,
        tags: event.tags.map((t) => ({ ...t })),
        dnsEntries: state.vpcEndpointState === 'available' ? event.dnsEntries.map((d) => ({ ...d })) : state.dnsEntries,
        lastChangedAt: event.at,
      };
  }
}
