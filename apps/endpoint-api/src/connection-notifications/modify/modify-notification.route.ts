import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { defineRoute, handlerRoutes } from '../../http/route';
import { ConnectionNotificationWrites } from '../connection-notification.handlers';
import { NOTIFICATIONS_TAGS, notificationAnswer, notificationIdParam, notificationWritten } from '../connection-notification.view';
import { modifyNotificationBody } from '../connection-notifications.schemas';

const modifyAs = (role: 'provider' | 'consumer') =>
  defineRoute({
    method: 'patch',
    path: `/v1/${role}/notifications/{connectionNotificationId}`,
    roles: [role],
    tags: NOTIFICATIONS_TAGS,
    summary: 'Modify the topic, the events or the state of a connection notification',
    params: { connectionNotificationId: notificationIdParam },
    body: modifyNotificationBody,
    responses: { 200: jsonResponse('modified', notificationAnswer), 404: errorResponse('InvalidConnectionNotificationId.NotFound') },
  });

/** ModifyVpcEndpointConnectionNotification: only the caller's own. */
export const ModifyNotificationRoute = handlerRoutes(
  ConnectionNotificationWrites,
  { ofProvider: modifyAs('provider'), ofConsumer: modifyAs('consumer') },
  async (writes, { params, body }, ctx) => notificationWritten(await writes.modify(params.connectionNotificationId, body, ctx)),
);
