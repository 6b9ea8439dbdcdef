import { ConnectionNotificationWrites } from './connection-notification.handlers';
import { ConnectionNotificationQueries } from './connection-notification.queries';
import { CreateNotificationRoute } from './create/create-notification.route';
import { DescribeNotificationsRoute } from './describe/describe-notifications.route';
import { ModifyNotificationRoute } from './modify/modify-notification.route';
import { DeleteNotificationsRoute } from './delete/delete-notifications.route';

/** The connection notifications' use cases (a provider's on its services, a consumer's on its endpoints). */
export const connectionNotificationUseCases = {
  routes: [CreateNotificationRoute, DescribeNotificationsRoute, ModifyNotificationRoute, DeleteNotificationsRoute],
  providers: [ConnectionNotificationQueries, ConnectionNotificationWrites],
};
