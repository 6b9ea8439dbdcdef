import { Controller } from '@nestjs/common';
import { PageTokens, parseMaxResults, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { Clock } from '../../ports';
import { nextTokenOf } from '../../projections/queries';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import { connectionsSummaryView } from '../endpoint-connections.schemas';

const route = defineRoute({
  method: 'get',
  path: '/v1/ops/connections/summary',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Connections per service: counts by state and the age of the oldest pendingAcceptance request',
  query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }),
  responses: { 200: jsonResponse('a page of services', connectionsSummaryView) },
});

/** Ops: how the connections of every service stand, one row per service (keyset pages by service id). */
@Controller()
export class ConnectionsSummaryRoute {
  constructor(
    private readonly connections: EndpointConnectionQueries,
    private readonly tokens: PageTokens,
    private readonly clock: Clock,
  ) {}

  @Route(route)
  async summary(@Input() { query }: InputOf<typeof route>) {
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = JSON.stringify(['connections-summary']);
    const after = this.tokens.decode(nextTokenOf(query), fingerprint);
    const rows = await this.connections.connectionsSummary(after, maxResults + 1);
    const page = rows.slice(0, maxResults);
    const now = this.clock.now().getTime();
    return {
      services: page.map((r) => ({
        serviceId: r.id,
        serviceOwner: r.owner,
        counts: r.counts,
        oldestPendingAcceptanceSince: r.oldest,
        oldestPendingAcceptanceAgeSeconds: r.oldest ? Math.max(0, Math.floor((now - Date.parse(r.oldest)) / 1000)) : null,
      })),
      nextToken: rows.length > maxResults ? this.tokens.encode(page[page.length - 1].id, fingerprint) : undefined,
    };
  }
}
