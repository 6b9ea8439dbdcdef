import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, Role, ServiceRuntime } from '@privatelink/platform';
import { endpointServices } from '../../aggregates';
import { ownService } from '../../endpoint-services/service-writes';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, PathParam, Route, defineRoute } from '../../http/route';
import { ConnectionNotificationWrites } from '../connection-notification.handlers';
import { ConnectionNotificationQueries } from '../connection-notification.queries';
import {
  NOTIFICATIONS_TAGS,
  endpointNotifications,
  notificationAnswer,
  notificationWritten,
  serviceNotifications,
} from '../connection-notification.view';
import { createNotificationBody } from '../connection-notifications.schemas';

/** `POST` of the notifications of a service or an endpoint (`scope`), else 404 `notFound`. */
const createOn = <P extends Record<string, PathParam>>(
  scope: { path: string; roles: Role[]; params: P },
  summary: string,
  notFound: string,
) =>
  defineRoute({
    method: 'post',
    ...scope,
    tags: NOTIFICATIONS_TAGS,
    summary,
    body: createNotificationBody,
    responses: { 201: jsonResponse('created, Enabled', notificationAnswer), 404: errorResponse(notFound) },
  });

const forService = createOn(
  serviceNotifications,
  "Create a connection notification for one of the caller's endpoint services (SNS topic + events)",
  'InvalidVpcEndpointServiceId.NotFound',
);
const forEndpoint = createOn(
  endpointNotifications,
  "Create a connection notification for one of the caller's endpoints (SNS topic + events)",
  'InvalidVpcEndpointId.NotFound',
);

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
    return notificationWritten(result);
  }

  @Route(forEndpoint)
  async forEndpoint(@Input() { params, body }: InputOf<typeof forEndpoint>, @Ctx() ctx: RequestContext) {
    const { vpcEndpointId } = params;
    const endpoint = await this.notifications.ownEndpoint(vpcEndpointId, ctx.caller);
    const result = await this.writes.create({ kind: 'endpoint', vpcEndpointId, serviceId: endpoint.serviceId }, body, ctx);
    return notificationWritten(result);
  }
}
