import { Controller, Get, Inject, Param } from '@nestjs/common';
import {
  ConnectionNotification,
  DomainError,
  EndpointConnectionState,
  NotificationDelivery,
  QuotaIncreaseRequestState,
  assertServiceId,
  assertVpcEndpointId,
} from '@privatelink/domain';
import {
  Ctx,
  Metrics,
  PLATFORM_CONFIG,
  PlatformConfig,
  ReadinessRegistry,
  RequestContext,
  Roles,
  registerRoute,
  z,
} from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { serviceNotFound } from '../endpoint-services/service-writes';
import { endpointServices } from '../aggregates';
import { verificationsOf } from '../projections/private-dns-verifications.projection';
import { QuotaLedgerDoc } from '../projections/quotas.projection';
import { serviceHealth } from '../console/service-health';
import { summarizeEvent } from '../history/event-summary';
import { toEndpointServiceView } from '../endpoint-services/endpoint-service.view';
import { toConnectionView, toVpcEndpointView } from '../endpoint-connections/endpoint-connections.schemas';
import { toNotificationView } from '../connection-notifications/connection-notification.view';
import { QuotaQueries } from '../quotas/quota.queries';
import { toDeliveryView } from '../notification-deliveries/notification-deliveries.route';
import { nearLimitLedgers } from '../projections/near-limit';
import { toIncreaseRequestView } from './quotas.schemas';
import { errorResponse, jsonResponse } from './openapi-helpers';

/**
 * What the ops console (/console) shows, one call per page: the overview and the drill-downs of a
 * service, an endpoint and a quota scope. Read from endpoint-api's read models with the API's tenant
 * rules: a provider key sees its own account's services, their connections, deliveries and quotas; ops
 * sees everything, plus each service's readiness and outbox. The console's actions use the ordinary routes.
 */
const LIST_LIMIT = 50;

const countsView = z.record(z.string(), z.number()).openapi({ example: { Available: 3, Pending: 1 } });
const overviewView = z
  .object({
    scope: z.object({ role: z.enum(['provider', 'ops']), accountId: z.string().nullable() }),
    generatedAt: z.string(),
    servicesByState: countsView,
    connectionsByState: countsView,
    pendingAcceptance: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: `Oldest first (at most ${LIST_LIMIT}): vpcEndpointId, serviceId, vpcEndpointOwner, since, ageSeconds` }),
    pendingAcceptanceTotal: z.number(),
    verificationsByState: countsView,
    failedDeliveries: z.array(z.record(z.string(), z.unknown())),
    failedDeliveriesTotal: z.number(),
    quotasNearLimit: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: 'Scopes at or above 80 % of their limit, with ledgerId and percent' }),
    pendingIncreaseRequests: z.array(z.record(z.string(), z.unknown())),
    services: z
      .array(z.record(z.string(), z.unknown()))
      .nullable()
      .openapi({ description: 'Ops only: each service’s readiness, outbox backlog and relay lag (null for a provider)' }),
  })
  .openapi('ConsoleOverview');
const pageView = z.record(z.string(), z.unknown());
const tags = ['console'];

registerRoute({
  method: 'get',
  path: '/v1/console/overview',
  tags,
  summary: 'The console’s overview: states, requests waiting, failed deliveries, quotas near their limit, service readiness and outboxes',
  responses: { 200: jsonResponse('the overview', overviewView) },
});
/** A drill-down page: `GET /v1/console/<path>/{<param>}`, the page named `name`, else 404 `notFound`. */
function registerPage(page: { path: string; param: string; summary: string; description: string; name: string; notFound: string }) {
  registerRoute({
    method: 'get',
    path: `/v1/console/${page.path}/{${page.param}}`,
    tags,
    summary: page.summary,
    request: { params: z.object({ [page.param]: z.string() }) },
    responses: {
      200: jsonResponse(page.description, pageView.openapi(page.name)),
      404: errorResponse(page.notFound),
    },
  });
}
registerPage({
  path: 'services',
  param: 'serviceId',
  summary:
    'A service’s page: configuration, allowed principals, connections, private DNS record and its last checks, notifications and deliveries',
  description: 'the service page',
  name: 'ConsoleServicePage',
  notFound: 'InvalidVpcEndpointServiceId.NotFound',
});
registerPage({
  path: 'endpoints',
  param: 'vpcEndpointId',
  summary: 'An endpoint’s page: the connection, its service and its notifications’ deliveries',
  description: 'the endpoint page',
  name: 'ConsoleEndpointPage',
  notFound: 'InvalidVpcEndpointId.NotFound',
});
registerPage({
  path: 'quota-scopes',
  param: 'ledgerId',
  summary: 'A quota scope’s page: limit, usage and the increase requests for it (ledgerId as in the overview, URL-encoded)',
  description: 'the quota scope page',
  name: 'ConsoleQuotaScopePage',
  notFound: 'InvalidResourceId.NotFound',
});

type Counts = Record<string, number>;
const toCounts = (rows: Array<{ k: string | null; n: number }>): Counts =>
  Object.fromEntries(rows.map((r) => [r.k ?? 'unknown', Number(r.n)]));

/** The console's delivery: ops' view without the SNS message id. */
function deliveryView(d: NotificationDelivery) {
  const { snsMessageId: _snsMessageId, ...view } = toDeliveryView(d);
  return view;
}

@Controller('v1/console')
@Roles('provider', 'ops')
export class ConsoleApiController {
  constructor(
    private readonly core: EndpointApiCore,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: Metrics,
    private readonly quotaQueries: QuotaQueries,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get('overview')
  async overview(@Ctx() ctx: RequestContext) {
    const db = this.core.runtime.db;
    const ops = ctx.caller.role === 'ops';
    const account = ops ? null : ctx.caller.accountId;
    // $1 is the provider's account, or null for ops (every clause is then true).
    const p = [account];
    const ownServices = `($1::text IS NULL OR id IN (SELECT id FROM rm_endpoint_services WHERE owner_account_id = $1))`;
    const now = this.core.now().getTime();
    const [services, connections, pending, pendingTotal, verifications, failed, failedTotal, requests, nearLimit, health] =
      await Promise.all([
        db.query(
          `SELECT service_state AS k, count(*)::int AS n FROM rm_endpoint_services WHERE $1::text IS NULL OR owner_account_id = $1 GROUP BY 1 ORDER BY 1`,
          p,
        ),
        db.query(
          `SELECT state AS k, count(*)::int AS n FROM rm_endpoint_connections WHERE $1::text IS NULL OR service_owner = $1 GROUP BY 1 ORDER BY 1`,
          p,
        ),
        db.query(
          `SELECT id, service_id, owner_account_id, pending_acceptance_since FROM rm_endpoint_connections
         WHERE state = 'pendingAcceptance' AND ($1::text IS NULL OR service_owner = $1) ORDER BY pending_acceptance_since, id LIMIT ${LIST_LIMIT}`,
          p,
        ),
        db.query(
          `SELECT count(*)::int AS n FROM rm_endpoint_connections WHERE state = 'pendingAcceptance' AND ($1::text IS NULL OR service_owner = $1)`,
          p,
        ),
        db.query(`SELECT state AS k, count(*)::int AS n FROM rm_private_dns_verifications WHERE ${ownServices} GROUP BY 1 ORDER BY 1`, p),
        db.query(
          `SELECT doc FROM rm_notification_deliveries
         WHERE state = 'failed' AND ($1::text IS NULL OR service_id IN (SELECT id FROM rm_endpoint_services WHERE owner_account_id = $1))
         ORDER BY doc->>'finishedAt' DESC NULLS LAST, id LIMIT ${LIST_LIMIT}`,
          p,
        ),
        db.query(
          `SELECT count(*)::int AS n FROM rm_notification_deliveries
         WHERE state = 'failed' AND ($1::text IS NULL OR service_id IN (SELECT id FROM rm_endpoint_services WHERE owner_account_id = $1))`,
          p,
        ),
        db.query(
          `SELECT doc FROM rm_quota_increase_requests WHERE status = 'pending' AND ($1::text IS NULL OR requester_account_id = $1)
         ORDER BY doc->>'submittedAt', id LIMIT ${LIST_LIMIT}`,
          p,
        ),
        nearLimitLedgers(this.core, { after: null, limit: LIST_LIMIT, providerAccountId: account ?? undefined }),
        ops ? serviceHealth(this.readiness, this.metrics, this.config) : Promise.resolve(null),
      ]);
    return {
      scope: { role: ops ? 'ops' : 'provider', accountId: account },
      generatedAt: new Date(now).toISOString(),
      servicesByState: toCounts(services),
      connectionsByState: toCounts(connections),
      pendingAcceptance: (
        pending as Array<{ id: string; service_id: string; owner_account_id: string; pending_acceptance_since: string | null }>
      ).map((r) => ({
        vpcEndpointId: r.id,
        serviceId: r.service_id,
        vpcEndpointOwner: r.owner_account_id,
        since: r.pending_acceptance_since,
        ageSeconds: r.pending_acceptance_since ? Math.max(0, Math.floor((now - Date.parse(r.pending_acceptance_since)) / 1000)) : null,
      })),
      pendingAcceptanceTotal: Number(pendingTotal[0]?.n ?? 0),
      verificationsByState: toCounts(verifications),
      failedDeliveries: (failed as Array<{ doc: NotificationDelivery }>).map((r) => deliveryView(r.doc)),
      failedDeliveriesTotal: Number(failedTotal[0]?.n ?? 0),
      quotasNearLimit: nearLimit.map((r) => ({
        ledgerId: r.id,
        quotaCode: r.doc.code,
        scope: r.doc.scope,
        limit: r.effective,
        usage: r.doc.usage,
        percent: r.effective > 0 ? Math.round((r.doc.usage / r.effective) * 100) : 100,
      })),
      pendingIncreaseRequests: (requests as Array<{ doc: QuotaIncreaseRequestState }>).map((r) => toIncreaseRequestView(r.doc)),
      services: health,
    };
  }

  @Get('services/:serviceId')
  async service(@Param('serviceId') serviceId: string, @Ctx() ctx: RequestContext) {
    assertServiceId(serviceId);
    const { runtime } = this.core;
    // The edge's own event store is the truth about the service (as for its API routes).
    const { state } = await runtime.load(endpointServices, serviceId);
    if (!state || (ctx.caller.role !== 'ops' && state.owner !== ctx.caller.accountId)) throw serviceNotFound(serviceId);
    const [verification, connections, notifications, deliveries, checks] = await Promise.all([
      verificationsOf(runtime.db, [serviceId]).then((m) => m.get(serviceId)),
      runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE service_id = $1 ORDER BY id LIMIT 200`, [serviceId]),
      runtime.db.query(`SELECT doc FROM rm_connection_notifications WHERE service_id = $1 ORDER BY id`, [serviceId]),
      runtime.db.query(
        `SELECT doc FROM rm_notification_deliveries WHERE service_id = $1 ORDER BY doc->>'scheduledAt' DESC, id LIMIT ${LIST_LIMIT}`,
        [serviceId],
      ),
      // The last checks of the private DNS name, from its verification stream's history (newest first).
      runtime.db.query(`SELECT type, occurred_at, payload FROM api_history WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 10`, [
        `private-dns-verification-${serviceId}`,
      ]),
    ]);
    return {
      service: toEndpointServiceView(state, verification),
      allowedPrincipals: state.allowedPrincipals.map((p) => ({ principal: p.principal, principalType: p.principalType })),
      privateDnsVerification: verification ?? null,
      privateDnsChecks: (checks as Array<{ type: string; occurred_at: Date; payload: Record<string, unknown> }>).map((c) => ({
        type: c.type,
        at: c.occurred_at.toISOString(),
        result: c.payload.result ?? null,
        state: c.payload.state ?? null,
        reasonCode: c.payload.reasonCode ?? null,
        reason: c.payload.reason ?? null,
        summary: summarizeEvent(c.type, c.payload),
      })),
      connections: (connections as Array<{ doc: EndpointConnectionState }>).map((r) => toConnectionView(r.doc)),
      notifications: (notifications as Array<{ doc: ConnectionNotification }>).map((r) => toNotificationView(r.doc)),
      deliveries: (deliveries as Array<{ doc: NotificationDelivery }>).map((r) => deliveryView(r.doc)),
    };
  }

  @Get('endpoints/:vpcEndpointId')
  async endpoint(@Param('vpcEndpointId') vpcEndpointId: string, @Ctx() ctx: RequestContext) {
    assertVpcEndpointId(vpcEndpointId);
    const db = this.core.runtime.db;
    const rows: Array<{ doc: EndpointConnectionState }> = await db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1`, [
      vpcEndpointId,
    ]);
    const doc = rows[0]?.doc;
    // A provider sees the endpoints connected to its own services (as its connections list does).
    if (!doc || (ctx.caller.role !== 'ops' && doc.serviceOwner !== ctx.caller.accountId)) {
      throw new DomainError('InvalidVpcEndpointId.NotFound', `the VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    }
    const deliveries: Array<{ doc: NotificationDelivery }> = await db.query(
      `SELECT doc FROM rm_notification_deliveries WHERE doc->>'vpcEndpointId' = $1 ORDER BY doc->>'scheduledAt' DESC, id LIMIT ${LIST_LIMIT}`,
      [vpcEndpointId],
    );
    return {
      endpoint: { ...toVpcEndpointView(doc), serviceOwner: doc.serviceOwner, requesterPrincipal: doc.requesterPrincipal },
      connection: toConnectionView(doc),
      deliveries: deliveries.map((r) => deliveryView(r.doc)),
    };
  }

  @Get('quota-scopes/:ledgerId')
  async quotaScope(@Param('ledgerId') ledgerId: string, @Ctx() ctx: RequestContext) {
    if (!/^[\x21-\x7e]{1,512}$/.test(ledgerId))
      throw new DomainError('InvalidParameterValue', 'ledgerId: give a quota ledger id as the overview lists it', 'ledgerId');
    const db = this.core.runtime.db;
    const account = ctx.caller.role === 'ops' ? null : ctx.caller.accountId;
    const rows: Array<{ doc: QuotaLedgerDoc }> = await db.query(
      `SELECT doc FROM rm_quota_ledgers
       WHERE id = $1 AND ($2::text IS NULL OR provider_account_id = $2 OR service_id IN (SELECT id FROM rm_endpoint_services WHERE owner_account_id = $2))`,
      [ledgerId, account],
    );
    if (rows.length === 0)
      throw new DomainError('InvalidResourceId.NotFound', `no quota scope ${ledgerId} is visible to the caller`, 'ledgerId');
    const doc = rows[0].doc;
    const [view] = await this.quotaQueries.views([doc]);
    const requests: Array<{ doc: QuotaIncreaseRequestState }> = await db.query(
      `SELECT doc FROM rm_quota_increase_requests WHERE code = $1 AND doc->>'scopeKey' = $2 AND ($3::text IS NULL OR requester_account_id = $3)
       ORDER BY doc->>'submittedAt' DESC, id LIMIT ${LIST_LIMIT}`,
      [doc.code, doc.scopeKey, account],
    );
    return { ledgerId, quota: view, updatedAt: doc.updatedAt, increaseRequests: requests.map((r) => toIncreaseRequestView(r.doc)) };
  }
}
