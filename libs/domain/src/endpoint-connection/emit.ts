// The events the decider emits, and the side effects they start (release the quota, detach, finish a deletion).
import { ConnectionEvent } from '../connection-notification';
import { ConnectionEventBase, ConnectionTransition, EndpointConnectionEvent, QuotaScope } from './events';
import { evolveEndpointConnection } from './evolve';
import { EndpointConnectionState, VpcEndpointState } from './state';

export const base = (s: EndpointConnectionState, now: string): ConnectionEventBase => ({
  vpcEndpointId: s.vpcEndpointId,
  serviceId: s.serviceId,
  vpcEndpointOwner: s.vpcEndpointOwner,
  serviceOwner: s.serviceOwner,
  at: now,
});

export const transition = (
  s: EndpointConnectionState,
  to: VpcEndpointState,
  now: string,
  connectionEvent?: ConnectionEvent,
): ConnectionTransition => ({
  ...base(s, now),
  stateBefore: s.vpcEndpointState,
  stateAfter: to,
  ...(connectionEvent ? { connectionEvent } : {}),
});

export const quotaScope = (s: EndpointConnectionState): QuotaScope => ({
  consumerAccountId: s.vpcEndpointOwner,
  serviceId: s.serviceId,
  vpcId: s.vpcId,
});

/** The connection is deleted once nothing is outstanding: its detachment answered and its quota settled. */
export function settled(s: EndpointConnectionState): boolean {
  return (s.attachment === 'none' || s.attachment === 'detached') && s.quota !== 'requested';
}

/** Deciding several steps at once: each next command sees the state after the events before it. */
export function then(state: EndpointConnectionState, events: EndpointConnectionEvent[]): EndpointConnectionState {
  return events.reduce((s, e) => evolveEndpointConnection(s, e)!, state);
}

/** Once deleting, finish when nothing is outstanding. */
export function finishDeletionIfSettled(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.vpcEndpointState === 'deleting' && settled(s) ? [{ type: 'connectionDeleted', ...transition(s, 'deleted', now, 'Delete') }] : [];
}

/** Leaving a state that holds capacity: give the quota back. */
export function releaseQuota(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.quota === 'granted' ? [{ type: 'connectionQuotaReleased', ...base(s, now), scope: quotaScope(s) }] : [];
}

/** Leaving a live state: the service stops counting the connection. */
export function detach(s: EndpointConnectionState, now: string): EndpointConnectionEvent[] {
  return s.attachment === 'attached' ? [{ type: 'connectionDetachRequested', ...base(s, now) }] : [];
}
