import { EventEnvelope } from '@privatelink/contracts';
import { ConnectionEvent } from '@privatelink/domain';

/** What a subscriber is told about a connection event. */
export interface ConnectionNotice {
  connectionEvent: ConnectionEvent;
  vpcEndpointId: string;
  serviceId: string;
  vpcEndpointOwner: string | null;
  stateBefore: string | null;
  stateAfter: string | null;
}

/**
 * connection-broker's events that a notification is about, mapped to the guide's four connection events:
 * a request arrived (Connect), the provider accepted it or it was accepted automatically (Accept), it was
 * rejected (Reject), the consumer deleted it (Delete).
 */
const NOTICE_OF: Record<string, ConnectionEvent> = {
  connectionRequested: 'Connect',
  connectionAccepted: 'Accept',
  connectionAutoAccepted: 'Accept',
  connectionRejected: 'Reject',
  connectionDeleted: 'Delete',
};

export function toConnectionNotice(event: EventEnvelope): ConnectionNotice | null {
  const connectionEvent = NOTICE_OF[event.type];
  if (!connectionEvent) return null;
  const p = event.payload as Record<string, unknown>;
  const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const vpcEndpointId = text('vpcEndpointId');
  const serviceId = text('serviceId');
  if (!vpcEndpointId || !serviceId) return null;
  return {
    connectionEvent,
    vpcEndpointId,
    serviceId,
    vpcEndpointOwner: text('vpcEndpointOwner') ?? text('owner'),
    stateBefore: text('stateBefore') ?? text('previousState'),
    stateAfter: text('stateAfter') ?? text('state') ?? text('vpcEndpointState'),
  };
}
