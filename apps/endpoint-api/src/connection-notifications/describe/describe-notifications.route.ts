import { Controller } from '@nestjs/common';
import { ConnectionNotification } from '@privatelink/domain';
import { Ctx, RequestContext } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { Page } from '../../projections/queries';
import { ConnectionNotificationQueries } from '../connection-notification.queries';
import {
  NOTIFICATIONS_TAGS,
  notificationList,
  notifiedEndpointParam,
  notifiedServiceParam,
  pageQuery,
  toNotificationView,
} from '../connection-notification.view';

const ofService = defineRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/notifications',
  roles: ['provider'],
  tags: NOTIFICATIONS_TAGS,
  summary: 'Describe the connection notifications of one of the caller’s endpoint services (same filters as below)',
  params: { serviceId: notifiedServiceParam },
  query: pageQuery,
  responses: { 200: jsonResponse('a page', notificationList) },
});

const ofProvider = defineRoute({
  method: 'get',
  path: '/v1/provider/notifications',
  roles: ['provider'],
  tags: NOTIFICATIONS_TAGS,
  summary:
    "Describe the caller's connection notifications (filters: connection-notification-id, connection-notification-arn, service-id, vpc-endpoint-id, connection-notification-state)",
  query: pageQuery,
  responses: { 200: jsonResponse('a page', notificationList) },
});

const ofEndpoint = defineRoute({
  method: 'get',
  path: '/v1/consumer/endpoints/{vpcEndpointId}/notifications',
  roles: ['consumer'],
  tags: NOTIFICATIONS_TAGS,
  summary: "Describe the connection notifications of one of the caller's endpoints",
  params: { vpcEndpointId: notifiedEndpointParam },
  query: pageQuery,
  responses: { 200: jsonResponse('a page', notificationList) },
});

const ofConsumer = defineRoute({
  method: 'get',
  path: '/v1/consumer/notifications',
  roles: ['consumer'],
  tags: NOTIFICATIONS_TAGS,
  summary: "Describe the caller's connection notifications (filters as for providers)",
  query: pageQuery,
  responses: { 200: jsonResponse('a page', notificationList) },
});

const pageOf = (page: Page<ConnectionNotification>) => ({
  connectionNotificationSet: page.items.map(toNotificationView),
  nextToken: page.nextToken,
});

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
