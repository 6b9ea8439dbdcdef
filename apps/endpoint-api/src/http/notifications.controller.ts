import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request, Response } from 'express';
import {
  ConnectionNotification,
  DomainError,
  EndpointConnectionState,
  NotificationDelivery,
  assertServiceId,
  endpointServiceDecider,
  isVpcEndpointId,
} from '@privatelink/domain';
import { connectionStream } from '../handlers/endpoint-connection.handlers';
import {
  Ctx,
  PageTokens,
  PLATFORM_CONFIG,
  PlatformConfig,
  RequestContext,
  Roles,
  parseFilters,
  parseMaxResults,
  registerRoute,
  throwIfRefused,
  z,
} from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import {
  CreateConnectionNotification,
  BatchResult,
  DeleteConnectionNotifications,
  ModifyConnectionNotification,
} from '../handlers/connection-notification.handlers';
import { CommandResult } from '../handlers/command-result';
import { endpointServiceStream, ownService } from '../endpoint-services/service-writes';
import { pageOfDocuments } from '../projections/queries';
import { setConsistencyToken, setConsistencyTokens } from './consistency';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import {
  connectionNotificationView,
  createNotificationBody,
  deleteNotificationsBody,
  deliveryView,
  modifyNotificationBody,
  redriveBody,
  unsuccessfulView,
} from './notifications.schemas';
import { parseBody, parseOptionalBody, parseQueryValue } from './validation';

const NOTIFICATION_FILTERS = [
  'connection-notification-id',
  'connection-notification-arn',
  'service-id',
  'vpc-endpoint-id',
  'connection-notification-state',
] as const;
const FILTER_COLUMNS: Record<string, string> = {
  'connection-notification-id': 'id',
  'connection-notification-arn': 'topic_arn',
  'service-id': 'service_id',
  'vpc-endpoint-id': 'vpc_endpoint_id',
  'connection-notification-state': 'state',
};

export function toNotificationView(n: ConnectionNotification) {
  return {
    connectionNotificationId: n.connectionNotificationId,
    connectionNotificationArn: n.connectionNotificationArn,
    connectionNotificationType: 'Topic' as const,
    connectionEvents: n.connectionEvents,
    connectionNotificationState: n.connectionNotificationState,
    serviceId: n.scope.kind === 'service' ? n.scope.serviceId : undefined,
    vpcEndpointId: n.scope.kind === 'endpoint' ? n.scope.vpcEndpointId : undefined,
  };
}

const notificationAnswer = z.object({ connectionNotification: connectionNotificationView });
const notificationList = z.object({ connectionNotificationSet: z.array(connectionNotificationView), nextToken: z.string().optional() });
const tags = ['notifications'];

registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/notifications',
  tags,
  summary: "Create a connection notification for one of the caller's endpoint services (SNS topic + events)",
  request: { params: z.object({ serviceId: z.string() }), ...jsonBody(createNotificationBody) },
  responses: { 201: jsonResponse('created, Enabled', notificationAnswer), 404: errorResponse('InvalidVpcEndpointServiceId.NotFound') },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/endpoint-services/{serviceId}/notifications',
  tags,
  summary: 'Describe the connection notifications of one of the caller’s endpoint services (same filters as below)',
  request: {
    params: z.object({ serviceId: z.string() }),
    query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }),
  },
  responses: { 200: jsonResponse('a page', notificationList) },
});
registerRoute({
  method: 'get',
  path: '/v1/provider/notifications',
  tags,
  summary:
    "Describe the caller's connection notifications (filters: connection-notification-id, connection-notification-arn, service-id, vpc-endpoint-id, connection-notification-state)",
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: { 200: jsonResponse('a page', notificationList) },
});
registerRoute({
  method: 'patch',
  path: '/v1/provider/notifications/{connectionNotificationId}',
  tags,
  summary: 'Modify the topic, the events or the state of a connection notification',
  request: { params: z.object({ connectionNotificationId: z.string() }), ...jsonBody(modifyNotificationBody) },
  responses: { 200: jsonResponse('modified', notificationAnswer), 404: errorResponse('InvalidConnectionNotificationId.NotFound') },
});
registerRoute({
  method: 'post',
  path: '/v1/provider/notifications:delete',
  tags,
  summary: 'Delete connection notifications; each id that could not be deleted is an unsuccessful item',
  request: jsonBody(deleteNotificationsBody),
  responses: { 200: jsonResponse('done', unsuccessfulView) },
});
registerRoute({
  method: 'post',
  path: '/v1/consumer/endpoints/{vpcEndpointId}/notifications',
  tags,
  summary: "Create a connection notification for one of the caller's endpoints (SNS topic + events)",
  request: { params: z.object({ vpcEndpointId: z.string() }), ...jsonBody(createNotificationBody) },
  responses: { 201: jsonResponse('created, Enabled', notificationAnswer), 404: errorResponse('InvalidVpcEndpointId.NotFound') },
});
registerRoute({
  method: 'get',
  path: '/v1/consumer/endpoints/{vpcEndpointId}/notifications',
  tags,
  summary: "Describe the connection notifications of one of the caller's endpoints",
  request: {
    params: z.object({ vpcEndpointId: z.string() }),
    query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }),
  },
  responses: { 200: jsonResponse('a page', notificationList) },
});
registerRoute({
  method: 'get',
  path: '/v1/consumer/notifications',
  tags,
  summary: "Describe the caller's connection notifications (filters as for providers)",
  request: { query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }) },
  responses: { 200: jsonResponse('a page', notificationList) },
});
registerRoute({
  method: 'patch',
  path: '/v1/consumer/notifications/{connectionNotificationId}',
  tags,
  summary: 'Modify the topic, the events or the state of a connection notification',
  request: { params: z.object({ connectionNotificationId: z.string() }), ...jsonBody(modifyNotificationBody) },
  responses: { 200: jsonResponse('modified', notificationAnswer), 404: errorResponse('InvalidConnectionNotificationId.NotFound') },
});
registerRoute({
  method: 'post',
  path: '/v1/consumer/notifications:delete',
  tags,
  summary: 'Delete connection notifications; each id that could not be deleted is an unsuccessful item',
  request: jsonBody(deleteNotificationsBody),
  responses: { 200: jsonResponse('done', unsuccessfulView) },
});
registerRoute({
  method: 'get',
  path: '/v1/ops/notification-deliveries',
  tags: ['ops'],
  summary: 'Notification deliveries (filter with ?state=pending|delivered|failed); failed ones carry the error',
  request: {
    query: z.object({
      state: z.enum(['pending', 'delivered', 'failed']).optional(),
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
    }),
  },
  responses: { 200: jsonResponse('a page', z.object({ deliveries: z.array(deliveryView), nextToken: z.string().optional() })) },
});
registerRoute({
  method: 'post',
  path: '/v1/ops/notification-deliveries/{deliveryId}:redrive',
  tags: ['ops'],
  summary: 'Re-drive a failed delivery: it is attempted again from the first attempt',
  request: { params: z.object({ deliveryId: z.string() }), body: { ...jsonBody(redriveBody).body, required: false } },
  responses: {
    200: jsonResponse('pending again', z.object({ deliveryId: z.string(), state: z.string() })),
    409: errorResponse('IncorrectState: not failed'),
  },
});

/** Lists connection notifications of the caller's account (the same shape for providers and consumers). */
export async function listNotifications(
  core: EndpointApiCore,
  tokens: PageTokens,
  query: Record<string, unknown>,
  ctx: RequestContext,
  extra: { column: string; value: string }[] = [],
) {
  const filters = parseFilters(query, NOTIFICATION_FILTERS);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown, many = false) => {
    params.push(value);
    where.push(many ? `${column} = ANY($${params.length})` : `${column} = $${params.length}`);
  };
  add('owner_account_id', ctx.caller.accountId);
  for (const e of extra) add(e.column, e.value);
  for (const [name, values] of filters) add(FILTER_COLUMNS[name], values, true);
  const page = await pageOfDocuments<ConnectionNotification>(core.runtime.db, tokens, {
    table: 'rm_connection_notifications',
    where,
    params,
    maxResults: parseMaxResults(query.maxResults),
    nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
    fingerprint: JSON.stringify([ctx.caller.accountId, extra, [...filters]]),
  });
  return { connectionNotificationSet: page.items.map(toNotificationView), nextToken: page.nextToken };
}

@Controller('v1/provider')
@Roles('provider')
export class ProviderNotificationsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly commands: CommandBus,
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Post('endpoint-services/:serviceId/notifications')
  async create(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    const input = parseBody(createNotificationBody, body);
    const { state } = await this.core.runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider);
    ownService(state, serviceId, ctx.caller.accountId);
    const result: CommandResult<ConnectionNotification> = await this.commands.execute(
      new CreateConnectionNotification({ kind: 'service', serviceId }, input, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    res.status(201);
    return { connectionNotification: toNotificationView(result.state) };
  }

  @Get('endpoint-services/:serviceId/notifications')
  async listForService(
    @Param('serviceId') serviceId: string,
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    return listNotifications(this.core, this.tokens, query, ctx, [{ column: 'service_id', value: serviceId }]);
  }

  @Get('notifications')
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return listNotifications(this.core, this.tokens, query, ctx);
  }

  @Patch('notifications/:connectionNotificationId')
  async modify(
    @Param('connectionNotificationId') id: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parseBody(modifyNotificationBody, body);
    const result: CommandResult<ConnectionNotification> = await this.commands.execute(new ModifyConnectionNotification(id, input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    return { connectionNotification: toNotificationView(result.state) };
  }

  @Post('notifications\\:delete')
  @HttpCode(200)
  async deleteMany(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { connectionNotificationIds } = parseBody(deleteNotificationsBody, body);
    const { unsuccessful, written }: BatchResult = await this.commands.execute(
      new DeleteConnectionNotifications(connectionNotificationIds, ctx),
    );
    setConsistencyTokens(res, written);
    return { unsuccessful };
  }
}

/**
 * The consumer's notifications: scoped to one of its own endpoints. Another consumer's endpoint answers
 * exactly like an unknown one (404), so endpoint ids do not leak.
 */
@Controller('v1/consumer')
@Roles('consumer')
export class ConsumerNotificationsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly commands: CommandBus,
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  private async ownEndpoint(vpcEndpointId: string, ctx: RequestContext): Promise<EndpointConnectionState> {
    const notFound = new DomainError('InvalidVpcEndpointId.NotFound', `VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    if (!isVpcEndpointId(vpcEndpointId)) throw notFound;
    const read = async () =>
      (await this.core.runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1`, [vpcEndpointId]))[0]?.doc as
        EndpointConnectionState | undefined;
    // A just-created endpoint may not be in the read model yet: wait for its first event, bounded.
    let endpoint = await read();
    if (!endpoint && (await this.core.endpointConnections.waitFor(connectionStream(vpcEndpointId), 1, this.config.readWaitMs)))
      endpoint = await read();
    if (!endpoint || endpoint.vpcEndpointOwner !== ctx.caller.accountId || endpoint.vpcEndpointState === 'deleted') throw notFound;
    return endpoint;
  }

  @Post('endpoints/:vpcEndpointId/notifications')
  async create(
    @Param('vpcEndpointId') vpcEndpointId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parseBody(createNotificationBody, body);
    const endpoint = await this.ownEndpoint(vpcEndpointId, ctx);
    const result: CommandResult<ConnectionNotification> = await this.commands.execute(
      new CreateConnectionNotification({ kind: 'endpoint', vpcEndpointId, serviceId: endpoint.serviceId }, input, ctx),
    );
    setConsistencyToken(res, result.streamId, result.version);
    res.status(201);
    return { connectionNotification: toNotificationView(result.state) };
  }

  @Get('endpoints/:vpcEndpointId/notifications')
  async listForEndpoint(
    @Param('vpcEndpointId') vpcEndpointId: string,
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.ownEndpoint(vpcEndpointId, ctx);
    return listNotifications(this.core, this.tokens, query, ctx, [{ column: 'vpc_endpoint_id', value: vpcEndpointId }]);
  }

  @Get('notifications')
  async list(
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return listNotifications(this.core, this.tokens, query, ctx);
  }

  @Patch('notifications/:connectionNotificationId')
  async modify(
    @Param('connectionNotificationId') id: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = parseBody(modifyNotificationBody, body);
    const result: CommandResult<ConnectionNotification> = await this.commands.execute(new ModifyConnectionNotification(id, input, ctx));
    setConsistencyToken(res, result.streamId, result.version);
    return { connectionNotification: toNotificationView(result.state) };
  }

  @Post('notifications\\:delete')
  @HttpCode(200)
  async deleteMany(@Body() body: unknown, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response) {
    const { connectionNotificationIds } = parseBody(deleteNotificationsBody, body);
    const { unsuccessful, written }: BatchResult = await this.commands.execute(
      new DeleteConnectionNotifications(connectionNotificationIds, ctx),
    );
    setConsistencyTokens(res, written);
    return { unsuccessful };
  }
}

@Controller('v1/ops/notification-deliveries')
@Roles('ops')
export class NotificationDeliveriesController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get()
  async list(@Query() query: Record<string, unknown>) {
    const state = parseQueryValue(z.enum(['pending', 'delivered', 'failed']).optional(), query.state, 'state');
    const page = await pageOfDocuments<NotificationDelivery>(this.core.runtime.db, this.tokens, {
      table: 'rm_notification_deliveries',
      where: state ? ['state = $1'] : [],
      params: state ? [state] : [],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['deliveries', state ?? null]),
    });
    return {
      deliveries: page.items.map((d) => ({
        deliveryId: d.deliveryId,
        connectionNotificationId: d.connectionNotificationId,
        topicArn: d.topicArn,
        connectionEvent: d.connectionEvent,
        vpcEndpointId: d.vpcEndpointId,
        serviceId: d.serviceId,
        state: d.state,
        attempts: d.attempts,
        lastError: d.lastError,
        snsMessageId: d.snsMessageId,
        scheduledAt: d.scheduledAt,
        finishedAt: d.finishedAt,
      })),
      nextToken: page.nextToken,
    };
  }

  /** Ops re-drives a failed delivery: the one write ops may make, sent to the notifier that owns it. */
  @Post(':deliveryId\\:redrive')
  @HttpCode(200)
  async redrive(
    @Param('deliveryId') deliveryId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { reason } = parseOptionalBody(redriveBody, body);
    const outcome = await this.core.commands.send(
      'notifier',
      { type: 'redriveDelivery', targetId: deliveryId, payload: { deliveryId, reason: reason ?? null } },
      { principal: ctx.caller.principal, correlationId: ctx.correlationId, causationId: ctx.requestId },
      this.config.readWaitMs,
    );
    throwIfRefused(outcome);
    if (!outcome?.result) return { deliveryId, state: 'pending' };
    const { streamId, version, ...answer } = outcome.result as { streamId?: string; version?: number };
    if (typeof streamId === 'string' && typeof version === 'number') setConsistencyToken(res, streamId, version);
    return answer;
  }
}
