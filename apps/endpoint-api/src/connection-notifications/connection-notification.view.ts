import { ConnectionNotification, DomainError } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import { StreamVersion, answer } from '../http/consistency';
import { plainServiceIdParam } from '../http/params';
import { PathParam, listQuery } from '../http/route';
import { connectionNotificationView } from './connection-notifications.schemas';

export function toNotificationView(n: ConnectionNotification) {
  return {
    connectionNotificationId: n.connectionNotificationId,
    connectionNotificationArn: n.connectionNotificationArn,
    connectionNotificationType: 'Topic' as const,
    connectionEvents: n.connectionEvents,
    connectionNotificationState: n.connectionNotificationState,
    serviceId: n.scope.kind === 'service' ? n.scope.serviceId : undefined,
    vpcEndpointId: n.scope.kind === 'endpoint' ? n.scope.vpcEndpointId : undefined,
  };
}

export function notificationNotFound(id: string): DomainError {
  return new DomainError(
    'InvalidConnectionNotificationId.NotFound',
    `connection notification ${id} does not exist`,
    'connectionNotificationId',
  );
}

// ── what the routes on notifications share in the API document ──────────────────────────────────

export const NOTIFICATIONS_TAGS = ['notifications'];
export const notificationAnswer = z.object({ connectionNotification: connectionNotificationView });
export const notificationList = z.object({
  connectionNotificationSet: z.array(connectionNotificationView),
  nextToken: z.string().optional(),
});
export const pageQuery = listQuery([]);

/** The answer of a write of a notification: the notification after it, and where it wrote. */
export function notificationWritten(result: StreamVersion & { state: ConnectionNotification }) {
  return answer({ connectionNotification: toNotificationView(result.state) }, result);
}

/**
 * The notifications of one of the provider's services (`{serviceId}` checked as a service id, a 400 naming
 * it) and of one of the consumer's endpoints (`{vpcEndpointId}` checked against the caller's endpoints:
 * NotFound, never a 400): their path, who may call it and its parameter.
 */
export const serviceNotifications = {
  path: '/v1/provider/endpoint-services/{serviceId}/notifications',
  roles: ['provider' as const],
  params: { serviceId: plainServiceIdParam },
};
export const endpointNotifications = {
  path: '/v1/consumer/endpoints/{vpcEndpointId}/notifications',
  roles: ['consumer' as const],
  params: { vpcEndpointId: { schema: z.string() } as PathParam },
};
export const notificationIdParam: PathParam = { schema: z.string() };
