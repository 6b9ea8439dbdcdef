import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { endpointServices } from '../../aggregates';
import { ownService } from '../../endpoint-services/service-writes';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { ConnectionNotificationWrites } from '../connection-notification.handlers';
import { ConnectionNotificationQueries } from '../connection-notification.queries';
import {
  NOTIFICATIONS_TAGS,
  notificationAnswer,
  notifiedEndpointParam,
  notifiedServiceParam,
  toNotificationView,
} from '../connection-notification.view';
import { createNotificationBody } from '../connection-notifications.schemas';

const forService = defineRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/notifications',
  roles: ['provider'],
  tags: NOTIFICATIONS_TAGS,
  summary: "Create a connection notification for one of the caller's endpoint services (SNS topic + events)",
  params: { serviceId: notifiedServiceParam },
  body: createNotificationBody,
  responses: { 201: jsonResponse('created, Enabled', notificationAnswer), 404: errorResponse('InvalidVpcEndpointServiceId.NotFound') },
});

const forEndpoint = defineRoute({
  method: 'post',
  path: '/v1/consumer/endpoints/{vpcEndpointId}/notifications',
  roles: ['consumer'],
  tags: NOTIFICATIONS_TAGS,
  summary: "Create a connection notification for one of the caller's endpoints (SNS topic + events)",
  params: { vpcEndpointId: notifiedEndpointParam },
  body: createNotificationBody,
  responses: { 201: jsonResponse('created, Enabled', notificationAnswer), 404: errorResponse('InvalidVpcEndpointId.NotFound') },
});

/** CreateVpcEndpointConnectionNotification: on one of the provider's services, or one of the consumer's endpoints. */
@Controller()
export class CreateNotificationRoute {
  constructor(
    private readonly writes: ConnectionNotificationWrites,
    private readonly notifications: ConnectionNotificationQueries,
    private readonly runtime: ServiceRuntime,
  ) {}

  @Route(forService)
  async forService(@Input() { params, body }: InputOf<typeof forService>, @Ctx() ctx: RequestContext) {
    const { serviceId } = params;
    // The service's own stream, never a read model that may lag it.
    ownService((await this.runtime.load(endpointServices, serviceId)).state, serviceId, ctx.caller.accountId);
    const result = await this.writes.create({ kind: 'service', serviceId }, body, ctx);
    return answer({ connectionNotification: toNotificationView(result.state) }, result);
  }

  @Route(forEndpoint)
  async forEndpoint(@Input() { params, body }: InputOf<typeof forEndpoint>, @Ctx() ctx: RequestContext) {
    const { vpcEndpointId } = params;
    const endpoint = await this.notifications.ownEndpoint(vpcEndpointId, ctx.caller);
    const result = await this.writes.create({ kind: 'endpoint', vpcEndpointId, serviceId: endpoint.serviceId }, body, ctx);
    return answer({ connectionNotification: toNotificationView(result.state) }, result);
  }
}
