import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { defineRoute, handlerRoutes } from '../../http/route';
import { ConnectionNotificationWrites } from '../connection-notification.handlers';
import { NOTIFICATIONS_TAGS } from '../connection-notification.view';
import { deleteNotificationsBody, unsuccessfulView } from '../connection-notifications.schemas';

const deleteAs = (role: 'provider' | 'consumer') =>
  defineRoute({
    method: 'post',
    path: `/v1/${role}/notifications:delete`,
    roles: [role],
    tags: NOTIFICATIONS_TAGS,
    summary: 'Delete connection notifications; each id that could not be deleted is an unsuccessful item',
    body: deleteNotificationsBody,
    responses: { 200: jsonResponse('done', unsuccessfulView) },
  });

/** DeleteVpcEndpointConnectionNotifications: each id on its own; the answer lists the ones that failed. */
export const DeleteNotificationsRoute = handlerRoutes(
  ConnectionNotificationWrites,
  { ofProvider: deleteAs('provider'), ofConsumer: deleteAs('consumer') },
  async (writes, { body }, ctx) => {
    const { unsuccessful, written } = await writes.deleteMany(body.connectionNotificationIds, ctx);
    return answer({ unsuccessful }, written);
  },
);
