import { Controller } from '@nestjs/common';
import { PageTokens, ServiceRuntime, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { PrivateDnsVerificationDoc } from '../../projections/private-dns-verifications.projection';
import { SqlWhere, listRequestOf, pageOfDocuments } from '../../projections/queries';

const VERIFICATION_FILTERS = ['state', 'service-id'] as const;

const opsVerificationView = z
  .object({
    serviceId: z.string(),
    privateDnsName: z.string(),
    state: z.enum(['pendingVerification', 'verified', 'failed']),
    recordName: z.string().nullable(),
    recordValue: z.string().nullable(),
    lastCheckedAt: z.string().nullable(),
    nextCheckAt: z.string().nullable(),
    reasonCode: z.string().nullable(),
    reason: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('DnsVerification');

const route = defineRoute({
  method: 'get',
  path: '/v1/ops/dns-verifications',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Private DNS name verifications: state, last check, next check, reason',
  description: 'Filters: filter.state (pendingVerification, verified, failed), filter.service-id. Paginated by service id.',
  query: z.object({
    maxResults: z.string().optional(),
    nextToken: z.string().optional(),
    'filter.state': z.string().optional(),
    'filter.service-id': z.string().optional(),
  }),
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ dnsVerifications: z.array(opsVerificationView), nextToken: z.string().optional() }).openapi('DnsVerificationPage'),
    ),
  },
});

/** Ops: dns-verifier's verifications of the services' private DNS names (read model). */
@Controller()
export class DescribeDnsVerificationsRoute {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  @Route(route)
  async list(@Input() { query }: InputOf<typeof route>) {
    const request = listRequestOf(query, VERIFICATION_FILTERS);
    const where = new SqlWhere();
    where.filters(request.filters, { state: 'state', 'service-id': 'id' });
    const page = await pageOfDocuments<PrivateDnsVerificationDoc>(this.runtime.db, this.tokens, {
      table: 'rm_private_dns_verifications',
      where: where.clauses,
      params: where.params,
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(['dns-verifications', [...request.filters]]),
    });
    return {
      dnsVerifications: page.items.map((d) => ({
        serviceId: d.serviceId,
        privateDnsName: d.privateDnsName,
        state: d.state,
        recordName: d.recordName,
        recordValue: d.recordValue,
        lastCheckedAt: d.lastCheckedAt,
        nextCheckAt: d.nextCheckAt,
        reasonCode: d.reasonCode,
        reason: d.reason,
        updatedAt: d.updatedAt,
      })),
      nextToken: page.nextToken,
    };
  }
}
