import { Controller } from '@nestjs/common';
import { Ctx, RequestContext } from '@privatelink/platform';
import { loadBalancerView } from '../../http/load-balancers.schemas';
import { jsonResponse } from '../../http/openapi-helpers';
import { listRoute, pageAnswer, pageSchema } from '../../http/list-route';
import { InputOf, Input, Route, defineRoute } from '../../http/route';
import { listRequestOf } from '../../projections/queries';
import { LoadBalancerQueries } from '../load-balancer.queries';
import {
  LOAD_BALANCERS_TAG,
  loadBalancerArnParam,
  loadBalancerNotFoundResponse,
  loadBalancerResponse,
  toLoadBalancerView,
} from '../load-balancer.view';

const LOAD_BALANCER_FILTERS = ['load-balancer-arn', 'load-balancer-type', 'state'] as const;

const list = listRoute({
  path: '/v1/provider/load-balancers',
  roles: ['provider', 'ops'],
  tags: [LOAD_BALANCERS_TAG],
  summary: "List the caller's load balancers (ops: every account's)",
  filters: LOAD_BALANCER_FILTERS,
  filterNotes: { 'load-balancer-type': 'network, gateway', state: 'registered by default, deregistered' },
  page: pageSchema('loadBalancers', loadBalancerView).openapi('LoadBalancerPage'),
});

const describeOne = defineRoute({
  method: 'get',
  path: '/v1/provider/load-balancers/{loadBalancerArn}',
  roles: ['provider', 'ops'],
  tags: [LOAD_BALANCERS_TAG],
  summary: 'Describe one load balancer, with the services that use it',
  params: { loadBalancerArn: loadBalancerArnParam },
  responses: { 200: jsonResponse('the load balancer', loadBalancerResponse), 404: loadBalancerNotFoundResponse },
});

@Controller()
export class DescribeLoadBalancersRoute {
  constructor(private readonly loadBalancers: LoadBalancerQueries) {}

  @Route(list)
  async list(@Input() { query }: InputOf<typeof list>, @Ctx() ctx: RequestContext) {
    const page = await this.loadBalancers.list(ctx.caller, listRequestOf(query, LOAD_BALANCER_FILTERS));
    return pageAnswer('loadBalancers', page, toLoadBalancerView);
  }

  @Route(describeOne)
  async get(@Input() { params }: InputOf<typeof describeOne>, @Ctx() ctx: RequestContext) {
    return { loadBalancer: toLoadBalancerView(await this.loadBalancers.visible(params.loadBalancerArn, ctx.caller)) };
  }
}
