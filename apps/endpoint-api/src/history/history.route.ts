import { Controller } from '@nestjs/common';
import { DomainError, assertServiceId, assertVpcEndpointId } from '@privatelink/domain';
import { Ctx, PageTokens, RequestContext, ServiceRuntime, z } from '@privatelink/platform';
import { endpointServices } from '../aggregates';
import { serviceNotFound } from '../endpoint-services/service-writes';
import { ListRouteSpec, listRoute, pageRequestOf, pageSchema } from '../http/list-route';
import { errorResponse } from '../http/openapi-helpers';
import { InputOf, Input, PathParam, Route } from '../http/route';
import { hasHistory, historyPage } from './history';

const historyEntry = z
  .object({
    eventId: z.string(),
    streamId: z.string().openapi({ example: 'endpoint-service-vpce-svc-0123456789abcdef0' }),
    streamVersion: z.number().int(),
    type: z.string().openapi({ example: 'endpointServicePrincipalsAllowed' }),
    occurredAt: z.string(),
    principal: z.string().openapi({ description: 'Who wrote it: a principal ARN, or service:<name> for a service’s own reaction' }),
    correlationId: z.string().nullable().openapi({ description: 'The x-correlation-id (or request id) of the request that started it' }),
    causationId: z.string().nullable(),
    summary: z.string().openapi({ example: 'principals allowed: arn:aws:iam::444455556666:root' }),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('HistoryEntry');

const historyPageView = pageSchema('events', historyEntry).openapi('HistoryPage');
const describe =
  'Every event of the resource’s streams from the event stores, oldest first (one stream’s events in version order), with who wrote it, ' +
  'its correlation id and a readable summary. Paginated with maxResults (5–1000, default 100) and nextToken.';

/** Resource ids are the streams' aggregate ids: ids, ARNs, quota ledger keys; printable, bounded. */
function assertResourceId(value: string): string {
  if (!/^[\x21-\x7e]{1,512}$/.test(value))
    throw new DomainError('InvalidParameterValue', 'resourceId: give a resource id (1 to 512 printable characters)', 'resourceId');
  return value;
}

/**
 * A history route: a page of the events of the resource `{<name>}` names (its form checked by `check`), or
 * `notFound` when the caller may not read it.
 */
function historyRoute<N extends string>(
  name: N,
  check: (value: string) => unknown,
  spec: Pick<ListRouteSpec<Record<N, PathParam>>, 'path' | 'roles' | 'tags' | 'summary'> & { description: string; notFound: string },
) {
  const { description, notFound, ...rest } = spec;
  const param: PathParam = { schema: z.string(), check: (value) => void check(value) };
  return listRoute({
    ...rest,
    description: `${describe} ${description}`,
    params: { [name]: param } as Record<N, PathParam>,
    page: historyPageView,
    pageDescription: 'a page of events',
    responses: { 404: errorResponse(notFound) },
  });
}

const ofService = historyRoute('serviceId', assertServiceId, {
  path: '/v1/provider/endpoint-services/{serviceId}/history',
  roles: ['provider', 'ops'],
  tags: ['history'],
  summary: 'The history of an endpoint service: its configuration and its private DNS name verification',
  description: 'A provider sees its own account’s services only (another account’s is 404, as for the service itself); ops any.',
  notFound: 'InvalidVpcEndpointServiceId.NotFound',
});

const ofEndpoint = historyRoute('vpcEndpointId', assertVpcEndpointId, {
  path: '/v1/consumer/endpoints/{vpcEndpointId}/history',
  roles: ['consumer', 'ops'],
  tags: ['history'],
  summary: 'The history of a VPC endpoint (its connection to a service, every workflow step)',
  description: 'A consumer sees its own account’s endpoints only; ops any.',
  notFound: 'InvalidVpcEndpointId.NotFound',
});

const ofAny = historyRoute('resourceId', assertResourceId, {
  path: '/v1/ops/history/{resourceId}',
  roles: ['ops'],
  tags: ['history', 'ops'],
  summary: 'The history of any resource by its id (service, endpoint, load balancer ARN, notification, delivery, quota ledger or request)',
  description: 'Ops only. A resource no event names is 404.',
  notFound: 'InvalidResourceId.NotFound',
});

/** The audit history of a resource: every event of its streams, as its owner (or ops) may read it. */
@Controller()
export class HistoryRoute {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  @Route(ofService)
  async service(@Input() { params, query }: InputOf<typeof ofService>, @Ctx() ctx: RequestContext) {
    const { serviceId } = params;
    // The edge's own event store says whose the service is (a deleted service's history stays readable).
    const { state } = await this.runtime.load(endpointServices, serviceId);
    if (!state || (ctx.caller.role !== 'ops' && state.owner !== ctx.caller.accountId)) throw serviceNotFound(serviceId);
    return historyPage(this.runtime, this.tokens, serviceId, pageRequestOf(query));
  }

  @Route(ofEndpoint)
  async endpoint(@Input() { params, query }: InputOf<typeof ofEndpoint>, @Ctx() ctx: RequestContext) {
    const { vpcEndpointId } = params;
    const rows: Array<{ owner: string }> = await this.runtime.db.query(
      `SELECT owner_account_id AS owner FROM rm_endpoint_connections WHERE id = $1`,
      [vpcEndpointId],
    );
    if (rows.length === 0 || (ctx.caller.role !== 'ops' && rows[0].owner !== ctx.caller.accountId)) {
      throw new DomainError('InvalidVpcEndpointId.NotFound', `the VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    }
    return historyPage(this.runtime, this.tokens, vpcEndpointId, pageRequestOf(query));
  }

  @Route(ofAny)
  async any(@Input() { params, query }: InputOf<typeof ofAny>) {
    const { resourceId } = params;
    if (!(await hasHistory(this.runtime, resourceId))) {
      throw new DomainError('InvalidResourceId.NotFound', `no event names the resource ${resourceId}`, 'resourceId');
    }
    return historyPage(this.runtime, this.tokens, resourceId, pageRequestOf(query));
  }
}
