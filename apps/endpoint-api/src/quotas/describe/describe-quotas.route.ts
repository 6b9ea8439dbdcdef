import { Controller } from '@nestjs/common';
import { Ctx, PageTokens, RequestContext, ServiceRuntime, z } from '@privatelink/platform';
import { QuotaEdge } from '../../handlers/quota-edge';
import { quotaIncreaseRequestView, quotaView, toIncreaseRequestView, toQuotaView } from '../../http/quotas.schemas';
import { keysetPage, listRoute, pageAnswer, pageRequestOf } from '../../http/list-route';
import { InputOf, Input, Route } from '../../http/route';
import { parseQueryValue } from '../../http/validation';
import { nearLimitLedgers } from '../../projections/near-limit';
import { QuotaQueries } from '../quota.queries';
import { QUOTAS_TAG, pageOf, requesterRole } from '../quota.view';

const REQUEST_STATUSES = z.enum(['pending', 'approved', 'denied']);

const quotas = listRoute({
  path: '/v1/quotas',
  roles: ['consumer', 'provider'],
  tags: [QUOTAS_TAG],
  summary: "The caller's quotas: code, scope, limit, usage, adjustable",
  description:
    'A consumer sees its VPCs (interface + Gateway Load Balancer endpoints per VPC), its Gateway Load Balancer endpoints per zone, its connections per service and the endpoint policy size; ' +
    'a provider sees its endpoint services per account, the allowed principals of each service and the connections per consumer account of its services. ' +
    'Rows with an empty scope are the defaults that apply to every scope without a value of its own (first page only).',
  page: pageOf('QuotaPage', quotaView, 'quotas'),
});

const increaseRequests = listRoute({
  path: '/v1/quotas/increase-requests',
  roles: ['consumer', 'provider'],
  tags: [QUOTAS_TAG],
  summary: "The caller's account's quota increase requests and what became of them",
  page: pageOf('QuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests'),
});

const opsRequests = listRoute({
  path: '/v1/ops/quota-increase-requests',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Quota increase requests (filter with ?status=pending|approved|denied)',
  query: z.object({ status: REQUEST_STATUSES.optional() }),
  page: pageOf('OpsQuotaIncreaseRequestPage', quotaIncreaseRequestView, 'quotaIncreaseRequests'),
});

const nearLimit = listRoute({
  path: '/v1/ops/quotas',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Scopes at or above 80 % of the limit that applies to them (their own, the provider’s * limit, or the default), in id order',
  page: pageOf('NearLimitQuotaPage', quotaView, 'quotas'),
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
    return this.quotas.ofCaller(ctx.caller, role, pageRequestOf(query));
  }

  @Route(increaseRequests)
  async requests(@Input() { query }: InputOf<typeof increaseRequests>, @Ctx() ctx: RequestContext) {
    const page = await this.quotas.increaseRequests({ requesterAccountId: ctx.caller.accountId }, pageRequestOf(query));
    return pageAnswer('quotaIncreaseRequests', page, toIncreaseRequestView);
  }

  @Route(opsRequests)
  async opsRequests(@Input() { query }: InputOf<typeof opsRequests>) {
    const status = parseQueryValue(REQUEST_STATUSES.optional(), query.status, 'status');
    const page = await this.quotas.increaseRequests({ status }, pageRequestOf(query));
    return pageAnswer('quotaIncreaseRequests', page, toIncreaseRequestView);
  }

  /** Scopes at or above 80 % of the limit that applies to them (their own, the provider's `*`, or the default). */
  @Route(nearLimit)
  async nearLimit(@Input() { query }: InputOf<typeof nearLimit>) {
    const page = await keysetPage(
      this.tokens,
      query,
      'near-limit',
      (after, limit) => nearLimitLedgers({ runtime: this.runtime, quotas: this.edge }, { after, limit }),
      (r) => r.id,
    );
    return pageAnswer('quotas', page, (r) => toQuotaView(r.doc.code, r.doc.scope, r.effective, r.doc.usage));
  }
}
