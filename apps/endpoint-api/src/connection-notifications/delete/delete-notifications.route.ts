import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
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
const ofProvider = deleteAs('provider');
const ofConsumer = deleteAs('consumer');

/** DeleteVpcEndpointConnectionNotifications: each id on its own; the answer lists the ones that failed. */
@Controller()
export class DeleteNotificationsRoute {
  constructor(private readonly writes: ConnectionNotificationWrites) {}

  @Route(ofProvider)
  ofProvider(@Input() input: InputOf<typeof ofProvider>, @Ctx() ctx: RequestContext) {
    return this.deleteMany(input, ctx);
  }

  @Route(ofConsumer)
  ofConsumer(@Input() input: InputOf<typeof ofConsumer>, @Ctx() ctx: RequestContext) {
    return this.deleteMany(input, ctx);
  }

  private async deleteMany({ body }: InputOf<typeof ofProvider>, ctx: RequestContext) {
    const { unsuccessful, written } = await this.writes.deleteMany(body.connectionNotificationIds, ctx);
    return answer({ unsuccessful }, written);
  }
}
