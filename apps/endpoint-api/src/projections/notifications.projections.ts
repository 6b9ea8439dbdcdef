import { streamFamilies } from '@privatelink/contracts';
import { DocumentProjection, aggregateStateProjection, connectionNotificationReadModel } from '@privatelink/projections';
import { NotificationDelivery, notificationDeliveryDecider } from '@privatelink/domain';

/** Connection notifications as DescribeVpcEndpointConnectionNotifications lists them. */
export const connectionNotificationsProjection = connectionNotificationReadModel({
  name: 'connection-notifications',
  table: 'rm_connection_notifications',
});

/** notifier's deliveries, for ops: pending, delivered (with the SNS message id) or failed (with the error). */
export const notificationDeliveriesProjection: DocumentProjection<NotificationDelivery> = aggregateStateProjection({
  name: 'notification-deliveries',
  family: streamFamilies.notificationDelivery,
  table: 'rm_notification_deliveries',
  decider: notificationDeliveryDecider,
});
