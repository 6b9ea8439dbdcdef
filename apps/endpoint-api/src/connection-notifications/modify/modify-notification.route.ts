import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { ConnectionNotificationWrites } from '../connection-notification.handlers';
import { NOTIFICATIONS_TAGS, notificationAnswer, notificationIdParam, toNotificationView } from '../connection-notification.view';
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
const ofProvider = modifyAs('provider');
const ofConsumer = modifyAs('consumer');

/** ModifyVpcEndpointConnectionNotification: only the caller's own. */
@Controller()
export class ModifyNotificationRoute {
  constructor(private readonly writes: ConnectionNotificationWrites) {}

  @Route(ofProvider)
  ofProvider(@Input() input: InputOf<typeof ofProvider>, @Ctx() ctx: RequestContext) {
    return this.modify(input, ctx);
  }

  @Route(ofConsumer)
  ofConsumer(@Input() input: InputOf<typeof ofConsumer>, @Ctx() ctx: RequestContext) {
    return this.modify(input, ctx);
  }

  private async modify({ params, body }: InputOf<typeof ofProvider>, ctx: RequestContext) {
    const result = await this.writes.modify(params.connectionNotificationId, body, ctx);
    return answer({ connectionNotification: toNotificationView(result.state) }, result);
  }
}
