import { EventEnvelope } from '@privatelink/contracts';
import { CONNECTION_EVENTS, ConnectionEvent } from '@privatelink/domain';

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
 * connection-broker marks each of its transitions that is one of the guide's four connection events (a
 * request arrived: Connect; accepted by the provider or automatically: Accept; rejected: Reject; deleted by
 * the consumer: Delete) with `connectionEvent`, and carries the states before and after, so the notifier
 * needs no knowledge of the broker's event names.
 */
export function toConnectionNotice(event: EventEnvelope): ConnectionNotice | null {
  const p = event.payload as Record<string, unknown>;
  const connectionEvent = p.connectionEvent as ConnectionEvent | undefined;
  if (!connectionEvent || !CONNECTION_EVENTS.includes(connectionEvent)) return null;
  const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const vpcEndpointId = text('vpcEndpointId');
  const serviceId = text('serviceId');
  if (!vpcEndpointId || !serviceId) return null;
  return {
    connectionEvent,
    vpcEndpointId,
    serviceId,
    vpcEndpointOwner: text('vpcEndpointOwner'),
    stateBefore: text('stateBefore'),
    stateAfter: text('stateAfter'),
  };
}
