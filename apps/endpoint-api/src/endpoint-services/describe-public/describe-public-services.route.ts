import { Controller } from '@nestjs/common';
import { publicServiceWarning } from '@privatelink/domain';
import { parseMaxResults, z } from '@privatelink/platform';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { nextTokenOf } from '../../projections/queries';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { endpointServiceView, toEndpointServiceView } from '../endpoint-service.view';

const route = defineRoute({
  method: 'get',
  path: '/v1/ops/public-endpoint-services',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Endpoint services that are public: * allowed and acceptance not required (the guide’s warning case)',
  query: z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() }),
  responses: {
    200: jsonResponse(
      'a page',
      z
        .object({
          serviceConfigurations: z.array(endpointServiceView),
          nextToken: z.string().optional(),
          warning: z.string().optional().openapi({ description: 'The guide’s note on public services, when the page is not empty' }),
        })
        .openapi('PublicServicePage'),
    ),
  },
});

/** Ops: the services anyone may connect to without the provider's acceptance. */
@Controller()
export class DescribePublicServicesRoute {
  constructor(private readonly services: EndpointServiceQueries) {}

  @Route(route)
  async publicServices(@Input() { query }: InputOf<typeof route>) {
    const page = await this.services.publicServices({ maxResults: parseMaxResults(query.maxResults), nextToken: nextTokenOf(query) });
    return {
      serviceConfigurations: page.items.map((s) => toEndpointServiceView(s, page.verifications.get(s.serviceId))),
      nextToken: page.nextToken,
      warning: page.items.length > 0 ? publicServiceWarning(page.items[0]) : undefined,
    };
  }
}
