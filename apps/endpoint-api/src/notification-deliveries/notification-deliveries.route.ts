import { Controller, Inject } from '@nestjs/common';
import { notifierCommands } from '@privatelink/contracts';
import { NotificationDelivery } from '@privatelink/domain';
import {
  CommandGateway,
  Ctx,
  PLATFORM_CONFIG,
  PageTokens,
  PlatformConfig,
  RequestContext,
  ServiceRuntime,
  parseMaxResults,
  throwIfRefused,
  z,
} from '@privatelink/platform';
import { deliveryView, redriveBody } from '../connection-notifications/connection-notifications.schemas';
import { writeContext } from '../handlers/command-result';
import { answer } from '../http/consistency';
import { errorResponse, jsonResponse } from '../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../http/route';
import { nextTokenOf, pageOfDocuments } from '../projections/queries';
import { parseQueryValue } from '../http/validation';

const DELIVERY_STATES = z.enum(['pending', 'delivered', 'failed']);

/** A delivery as ops (and the console) see it. */
export function toDeliveryView(d: NotificationDelivery) {
  return {
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
  };
}

const list = defineRoute({
  method: 'get',
  path: '/v1/ops/notification-deliveries',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Notification deliveries (filter with ?state=pending|delivered|failed); failed ones carry the error',
  query: z.object({ state: DELIVERY_STATES.optional(), maxResults: z.string().optional(), nextToken: z.string().optional() }),
  responses: { 200: jsonResponse('a page', z.object({ deliveries: z.array(deliveryView), nextToken: z.string().optional() })) },
});

const redrive = defineRoute({
  method: 'post',
  path: '/v1/ops/notification-deliveries/{deliveryId}:redrive',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Re-drive a failed delivery: it is attempted again from the first attempt',
  params: { deliveryId: { schema: z.string() } },
  body: redriveBody,
  optionalBody: true,
  responses: {
    200: jsonResponse('pending again', z.object({ deliveryId: z.string(), state: z.string() })),
    409: errorResponse('IncorrectState: not failed'),
  },
});

/** Ops: the notifier's deliveries (read model), and the re-drive of a failed one (the notifier owns it). */
@Controller()
export class NotificationDeliveriesRoute {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
    private readonly commands: CommandGateway,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Route(list)
  async list(@Input() { query }: InputOf<typeof list>) {
    const state = parseQueryValue(DELIVERY_STATES.optional(), query.state, 'state');
    const page = await pageOfDocuments<NotificationDelivery>(this.runtime.db, this.tokens, {
      table: 'rm_notification_deliveries',
      where: state ? ['state = $1'] : [],
      params: state ? [state] : [],
      maxResults: parseMaxResults(query.maxResults),
      nextToken: nextTokenOf(query),
      fingerprint: JSON.stringify(['deliveries', state ?? null]),
    });
    return { deliveries: page.items.map(toDeliveryView), nextToken: page.nextToken };
  }

  /** Ops re-drives a failed delivery: the one write ops may make, sent to the notifier that owns it. */
  @Route(redrive)
  async redrive(@Input() { params, body }: InputOf<typeof redrive>, @Ctx() ctx: RequestContext) {
    const { deliveryId } = params;
    const outcome = await this.commands.send(
      notifierCommands.redriveDelivery,
      { deliveryId, reason: body.reason ?? null },
      writeContext(ctx),
      this.config.readWaitMs,
    );
    throwIfRefused(outcome);
    if (!outcome?.result) return { deliveryId, state: 'pending' };
    const { streamId, version, ...rest } = outcome.result;
    return answer(rest, typeof streamId === 'string' && typeof version === 'number' ? [{ streamId, version }] : []);
  }
}
