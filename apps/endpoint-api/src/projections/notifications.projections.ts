import { payloadOf, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { DocumentProjection } from '@privatelink/projections';
import {
  ConnectionNotification,
  ConnectionNotificationEvent,
  connectionNotificationDecider,
  NotificationDelivery,
  NotificationDeliveryEvent,
  notificationDeliveryDecider,
} from '@privatelink/domain';

/** Connection notifications as DescribeVpcEndpointConnectionNotifications lists them. */
export const connectionNotificationsProjection: DocumentProjection<ConnectionNotification> = {
  name: 'connection-notifications',
  families: [streamFamilies.connectionNotification],
  table: 'rm_connection_notifications',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) => {
    const next = connectionNotificationDecider.evolve(doc ?? null, payloadOf<ConnectionNotificationEvent>(event));
    return next && !next.deleted ? next : undefined;
  },
};

/** notifier's deliveries, for ops: pending, delivered (with the SNS message id) or failed (with the error). */
export const notificationDeliveriesProjection: DocumentProjection<NotificationDelivery> = {
  name: 'notification-deliveries',
  families: [streamFamilies.notificationDelivery],
  table: 'rm_notification_deliveries',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) => notificationDeliveryDecider.evolve(doc ?? null, payloadOf<NotificationDeliveryEvent>(event)) ?? undefined,
};
