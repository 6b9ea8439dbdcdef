import { Controller } from '@nestjs/common';
import { PageTokens } from '@privatelink/platform';
import { keysetPage, listRoute, pageAnswer } from '../../http/list-route';
import { InputOf, Input, Route } from '../../http/route';
import { Clock } from '../../ports';
import { EndpointConnectionQueries } from '../endpoint-connection.queries';
import { connectionsSummaryView } from '../endpoint-connections.schemas';

const route = listRoute({
  path: '/v1/ops/connections/summary',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Connections per service: counts by state and the age of the oldest pendingAcceptance request',
  page: connectionsSummaryView,
  pageDescription: 'a page of services',
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
    const page = await keysetPage(
      this.tokens,
      query,
      JSON.stringify(['connections-summary']),
      (after, limit) => this.connections.connectionsSummary(after, limit),
      (r) => r.id,
    );
    const now = this.clock.now().getTime();
    return pageAnswer('services', page, (r) => ({
      serviceId: r.id,
      serviceOwner: r.owner,
      counts: r.counts,
      oldestPendingAcceptanceSince: r.oldest,
      oldestPendingAcceptanceAgeSeconds: r.oldest ? Math.max(0, Math.floor((now - Date.parse(r.oldest)) / 1000)) : null,
    }));
  }
}
