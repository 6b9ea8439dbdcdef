import { connectionNotificationReadModel } from '@privatelink/projections';

/** Where to deliver: endpoint-api's notification configurations, folded by the same decider. */
export const notificationTargetsProjection = connectionNotificationReadModel({
  name: 'notification-targets',
  table: 'rm_notification_targets',
});
