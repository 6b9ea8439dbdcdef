import { Controller } from '@nestjs/common';
import { Ctx, PageTokens, RequestContext, ServiceRuntime, parseMaxResults, z } from '@privatelink/platform';
import { QuotaEdge } from '../../handlers/quota-edge';
import { jsonResponse } from '../../http/openapi-helpers';
import { quotaIncreaseRequestView, quotaView, toIncreaseRequestView, toQuotaView } from '../../http/quotas.schemas';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { parseQueryValue } from '../../http/validation';
import { nearLimitLedgers } from '../../projections/near-limit';
import { nextTokenOf } from '../../projections/queries';
import { QuotaQueries } from '../quota.queries';
import { QUOTAS_TAG, pageOf, pageQuery, requesterRole } from '../quota.view';

const REQUEST_STATUSES = z.enum(['pending', 'approved', 'denied']);

const quotas = defineRoute({
  method: 'get',
  path: '/v1/quotas',
  roles: ['consumer', 'provider'],
  tags: [QUOTAS_TAG],
  summary: "The caller's quotas: code, scope, limit, usage, adjustable",
  description:
    'A consumer sees its VPCs (interface + Gateway Load Balancer endpoints per VPC), its Gateway Load Balancer endpoints per zone, its connections per service and the endpoint policy size; ' +
    'a provider sees its endpoint services per account, the allowed principals of each service and the connections per consumer account of its services. ' +
    'Rows with an empty scope are the defaults that apply to every scope without a value of its own (first page only).',
  query: pageQuery,
  responses: { 200: jsonResponse('a page', pageOf('QuotaPage', quotaView, 'quotas')) },
});

const increaseRequests = defineRoute({
  method: 'get',
  path: '/v1/quotas/increase-requests',
  roles: ['consumer', 'provider'],
  tags: [QUOTAS_TAG],
  summary: "The caller's account's quota increase requests and what became of them",
  query: pageQuery,
  responses: { 200: jsonResponse('a page', pageOf('QuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests')) },
});

const opsRequests = defineRoute({
  method: 'get',
  path: '/v1/ops/quota-increase-requests',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Quota increase requests (filter with ?status=pending|approved|denied)',
  query: pageQuery.extend({ status: REQUEST_STATUSES.optional() }),
  responses: { 200: jsonResponse('a page', pageOf('OpsQuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests')) },
});

const nearLimit = defineRoute({
  method: 'get',
  path: '/v1/ops/quotas',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Scopes at or above 80 % of the limit that applies to them (their own, the provider’s * limit, or the default), in id order',
  query: pageQuery,
  responses: { 200: jsonResponse('a page', pageOf('NearLimitQuotaPage', quotaView, 'quotas')) },
});

/** The caller's quotas and increase requests; ops' view of the requests and of the scopes near their limit. */
@Controller()
export class DescribeQuotasRoute {
  constructor(
    private readonly quotas: QuotaQueries,
    private readonly edge: QuotaEdge,
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  @Route(quotas)
  async list(@Input() { query }: InputOf<typeof quotas>, @Ctx() ctx: RequestContext) {
    const role = requesterRole(ctx);
    return this.quotas.ofCaller(ctx.caller, role, { maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) });
  }

  @Route(increaseRequests)
  async requests(@Input() { query }: InputOf<typeof increaseRequests>, @Ctx() ctx: RequestContext) {
    const page = await this.quotas.increaseRequests(
      { requesterAccountId: ctx.caller.accountId },
      { maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) },
    );
    return { quotaIncreaseRequests: page.items.map(toIncreaseRequestView), nextToken: page.nextToken };
  }

  @Route(opsRequests)
  async opsRequests(@Input() { query }: InputOf<typeof opsRequests>) {
    const status = parseQueryValue(REQUEST_STATUSES.optional(), query.status, 'status');
    const page = await this.quotas.increaseRequests(
      { status },
      { maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) },
    );
    return { quotaIncreaseRequests: page.items.map(toIncreaseRequestView), nextToken: page.nextToken };
  }

  /** Scopes at or above 80 % of the limit that applies to them (their own, the provider's `*`, or the default). */
  @Route(nearLimit)
  async nearLimit(@Input() { query }: InputOf<typeof nearLimit>) {
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = 'near-limit';
    const after = this.tokens.decode(nextTokenOf(query), fingerprint);
    const rows = await nearLimitLedgers({ runtime: this.runtime, quotas: this.edge }, { after, limit: maxResults + 1 });
    const items = rows.slice(0, maxResults);
    return {
      quotas: items.map((r) => toQuotaView(r.doc.code, r.doc.scope, r.effective, r.doc.usage)),
      nextToken: rows.length > maxResults ? this.tokens.encode(rows[maxResults - 1].id, fingerprint) : undefined,
    };
  }
}
