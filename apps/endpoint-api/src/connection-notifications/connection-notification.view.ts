import { ConnectionNotification, DomainError } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import { plainServiceIdParam } from '../http/params';
import { PathParam } from '../http/route';
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
export const pageQuery = z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() });

/** `{serviceId}` of a notification route: checked as a service id (a 400 naming it). */
export const notifiedServiceParam = plainServiceIdParam;
/** `{vpcEndpointId}` of a notification route: checked against the caller's endpoints (NotFound, never a 400). */
export const notifiedEndpointParam: PathParam = { schema: z.string() };
export const notificationIdParam: PathParam = { schema: z.string() };
