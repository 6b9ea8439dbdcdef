// Connection notifications: an SNS topic told about connection events of one endpoint service (the
// provider's) or of one endpoint (the consumer's). "You can create a notification to receive alerts for
// specific events that occur on the endpoints that are connected to your endpoint service."
// One stream per notification, owned by endpoint-api (it owns the services and is the edge that knows
// whose endpoint is whose); notifier reads the events to know where to deliver.
import { Decider } from './decider';
import { DomainError, invalid } from './errors';
import { parseSnsTopicArn } from './arn';

export const CONNECTION_EVENTS = ['Connect', 'Accept', 'Reject', 'Delete'] as const;
export type ConnectionEvent = (typeof CONNECTION_EVENTS)[number];
export type ConnectionNotificationState = 'Enabled' | 'Disabled';

/** Either the provider's service or the consumer's endpoint. */
export type NotificationScope = { kind: 'service'; serviceId: string } | { kind: 'endpoint'; vpcEndpointId: string; serviceId: string };

export interface ConnectionNotification {
  connectionNotificationId: string;
  scope: NotificationScope;
  connectionNotificationArn: string;
  connectionEvents: ConnectionEvent[];
  connectionNotificationState: ConnectionNotificationState;
  /** The account that created it (the provider for a service, the consumer for an endpoint). */
  ownerAccountId: string;
  createdAt: string;
  deleted: boolean;
}

export type ConnectionNotificationCommand =
  | {
      type: 'createConnectionNotification';
      connectionNotificationId: string;
      scope: NotificationScope;
      connectionNotificationArn: string;
      connectionEvents: string[];
      ownerAccountId: string;
      now: string;
    }
  | {
      type: 'modifyConnectionNotification';
      connectionNotificationArn?: string;
      connectionEvents?: string[];
      connectionNotificationState?: ConnectionNotificationState;
      now: string;
    }
  | { type: 'deleteConnectionNotification'; now: string };

export type ConnectionNotificationEvent =
  /** Every field of the state it starts, but `createdAt` (here `at`) and `deleted`. */
  | ({ type: 'connectionNotificationCreated'; at: string } & Omit<ConnectionNotification, 'createdAt' | 'deleted'>)
  | {
      type: 'connectionNotificationModified';
      connectionNotificationId: string;
      connectionNotificationArn: string;
      connectionEvents: ConnectionEvent[];
      connectionNotificationState: ConnectionNotificationState;
      at: string;
    }
  | { type: 'connectionNotificationDeleted'; connectionNotificationId: string; at: string };

/** "Connect, Accept, Reject, Delete": a non-empty subset, each once, in the guide's order. */
export function validateConnectionEvents(value: unknown, field = 'connectionEvents'): ConnectionEvent[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(field, `${field}: name at least one of ${CONNECTION_EVENTS.join(', ')}`);
  const seen = new Set<string>();
  value.forEach((e, i) => {
    if (!CONNECTION_EVENTS.includes(e as ConnectionEvent)) {
      throw invalid(`${field}[${i}]`, `${field}[${i}]: '${String(e)}' is not a connection event (${CONNECTION_EVENTS.join(', ')})`);
    }
    if (seen.has(e)) throw invalid(`${field}[${i}]`, `${field}[${i}]: '${e}' is listed twice`);
    seen.add(e);
  });
  return CONNECTION_EVENTS.filter((e) => seen.has(e));
}

export const initialConnectionNotificationState: ConnectionNotification | null = null;

export function decideConnectionNotification(
  command: ConnectionNotificationCommand,
  state: ConnectionNotification | null,
): ConnectionNotificationEvent[] {
  switch (command.type) {
    case 'createConnectionNotification': {
      if (state) throw new DomainError('IncorrectState', `connection notification ${state.connectionNotificationId} already exists`);
      parseSnsTopicArn(command.connectionNotificationArn, 'connectionNotificationArn');
      return [
        {
          type: 'connectionNotificationCreated',
          connectionNotificationId: command.connectionNotificationId,
          scope: command.scope,
          connectionNotificationArn: command.connectionNotificationArn,
          connectionEvents: validateConnectionEvents(command.connectionEvents),
          connectionNotificationState: 'Enabled',
          ownerAccountId: command.ownerAccountId,
          at: command.now,
        },
      ];
    }
    case 'modifyConnectionNotification': {
      const current = existing(state);
      const arn = command.connectionNotificationArn ?? current.connectionNotificationArn;
      if (command.connectionNotificationArn !== undefined) parseSnsTopicArn(arn, 'connectionNotificationArn');
      const events = command.connectionEvents !== undefined ? validateConnectionEvents(command.connectionEvents) : current.connectionEvents;
      const notificationState = command.connectionNotificationState ?? current.connectionNotificationState;
      if (notificationState !== 'Enabled' && notificationState !== 'Disabled') {
        throw invalid('connectionNotificationState', `connectionNotificationState must be Enabled or Disabled`);
      }
      const unchanged =
        arn === current.connectionNotificationArn &&
        events.join() === current.connectionEvents.join() &&
        notificationState === current.connectionNotificationState;
      if (unchanged) return [];
      return [
        {
          type: 'connectionNotificationModified',
          connectionNotificationId: current.connectionNotificationId,
          connectionNotificationArn: arn,
          connectionEvents: events,
          connectionNotificationState: notificationState,
          at: command.now,
        },
      ];
    }
    case 'deleteConnectionNotification': {
      const current = existing(state);
      return [{ type: 'connectionNotificationDeleted', connectionNotificationId: current.connectionNotificationId, at: command.now }];
    }
  }
}

export function evolveConnectionNotification(
  state: ConnectionNotification | null,
  event: ConnectionNotificationEvent,
): ConnectionNotification | null {
  switch (event.type) {
    case 'connectionNotificationCreated':
      return {
        connectionNotificationId: event.connectionNotificationId,
        scope: event.scope,
        connectionNotificationArn: event.connectionNotificationArn,
        connectionEvents: event.connectionEvents,
        connectionNotificationState: event.connectionNotificationState,
        ownerAccountId: event.ownerAccountId,
        createdAt: event.at,
        deleted: false,
      };
    case 'connectionNotificationModified':
      return (
        state && {
          ...state,
          connectionNotificationArn: event.connectionNotificationArn,
          connectionEvents: event.connectionEvents,
          connectionNotificationState: event.connectionNotificationState,
        }
      );
    case 'connectionNotificationDeleted':
      return state && { ...state, deleted: true };
  }
}

export const connectionNotificationDecider: Decider<
  ConnectionNotificationCommand,
  ConnectionNotificationEvent,
  ConnectionNotification | null
> = {
  decide: decideConnectionNotification,
  evolve: evolveConnectionNotification,
  initialState: initialConnectionNotificationState,
};

/** Whether a notification wants an event: enabled, listening for it, and scoped to its service or endpoint. */
export function notificationWants(n: ConnectionNotification, event: ConnectionEvent, serviceId: string, vpcEndpointId: string): boolean {
  if (n.deleted || n.connectionNotificationState !== 'Enabled' || !n.connectionEvents.includes(event)) return false;
  return n.scope.kind === 'service' ? n.scope.serviceId === serviceId : n.scope.vpcEndpointId === vpcEndpointId;
}

function existing(state: ConnectionNotification | null): ConnectionNotification {
  if (!state || state.deleted)
    throw new DomainError(
      'InvalidConnectionNotificationId.NotFound',
      'the connection notification does not exist',
      'connectionNotificationId',
    );
  return state;
}
