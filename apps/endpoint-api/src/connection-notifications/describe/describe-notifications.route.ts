import { Controller } from '@nestjs/common';
import { ConnectionNotification } from '@privatelink/domain';
import { Ctx, RequestContext } from '@privatelink/platform';
import { ListRouteSpec, listRoute, pageAnswer } from '../../http/list-route';
import { InputOf, Input, PathParam, Route } from '../../http/route';
import { Page } from '../../projections/queries';
import { ConnectionNotificationQueries } from '../connection-notification.queries';
import {
  NOTIFICATIONS_TAGS,
  endpointNotifications,
  notificationList,
  serviceNotifications,
  toNotificationView,
} from '../connection-notification.view';

/** A page of the caller's connection notifications (`filter.<name>`s as the provider's list of all says). */
const notificationsRoute = <P extends Record<string, PathParam> = Record<never, PathParam>>(
  spec: Pick<ListRouteSpec<P>, 'path' | 'roles' | 'summary' | 'params'>,
) => listRoute({ tags: NOTIFICATIONS_TAGS, ...spec, page: notificationList });

/** All of the caller's own notifications, as a provider or as a consumer. */
const allOf = (role: 'provider' | 'consumer', summary: string) =>
  notificationsRoute({ path: `/v1/${role}/notifications`, roles: [role], summary });

const ofService = notificationsRoute({
  ...serviceNotifications,
  summary: 'Describe the connection notifications of one of the caller’s endpoint services (same filters as below)',
});
const ofProvider = allOf(
  'provider',
  "Describe the caller's connection notifications (filters: connection-notification-id, connection-notification-arn, service-id, vpc-endpoint-id, connection-notification-state)",
);
const ofEndpoint = notificationsRoute({
  ...endpointNotifications,
  summary: "Describe the connection notifications of one of the caller's endpoints",
});
const ofConsumer = allOf('consumer', "Describe the caller's connection notifications (filters as for providers)");

const pageOf = (page: Page<ConnectionNotification>) => pageAnswer('connectionNotificationSet', page, toNotificationView);

/** DescribeVpcEndpointConnectionNotifications: the caller account's, of one service or endpoint or all. */
@Controller()
export class DescribeNotificationsRoute {
  constructor(private readonly notifications: ConnectionNotificationQueries) {}

  @Route(ofService)
  async ofService(@Input() { params, query }: InputOf<typeof ofService>, @Ctx() ctx: RequestContext) {
    return pageOf(await this.notifications.list(ctx.caller, query, [{ column: 'service_id', value: params.serviceId }]));
  }

  @Route(ofProvider)
  async ofProvider(@Input() { query }: InputOf<typeof ofProvider>, @Ctx() ctx: RequestContext) {
    return pageOf(await this.notifications.list(ctx.caller, query));
  }

  @Route(ofEndpoint)
  async ofEndpoint(@Input() { params, query }: InputOf<typeof ofEndpoint>, @Ctx() ctx: RequestContext) {
    await this.notifications.ownEndpoint(params.vpcEndpointId, ctx.caller);
    return pageOf(await this.notifications.list(ctx.caller, query, [{ column: 'vpc_endpoint_id', value: params.vpcEndpointId }]));
  }

  @Route(ofConsumer)
  async ofConsumer(@Input() { query }: InputOf<typeof ofConsumer>, @Ctx() ctx: RequestContext) {
    return pageOf(await this.notifications.list(ctx.caller, query));
  }
}
