import { Injectable } from '@nestjs/common';
import { LoadBalancerState } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { ListRequest, Page, SqlWhere, pageOfDocuments } from '../projections/queries';
import { loadBalancerNotFound } from './load-balancer.handlers';

/** The read side of load balancers (`rm_load_balancers`), for the REST routes and the EC2 Query API alike. */
@Injectable()
export class LoadBalancerQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  /** The caller's load balancers (ops: every account's); `state` defaults to registered. */
  list(caller: Caller, request: ListRequest): Promise<Page<LoadBalancerState>> {
    const { filters } = request;
    const where = new SqlWhere();
    // A provider sees its own account's load balancers; ops sees all.
    if (caller.role !== 'ops') where.add(`owner_account_id = ${where.param(caller.accountId)}`);
    const arns = filters.get('load-balancer-arn');
    if (arns) where.add(`id = ANY(${where.param(arns)})`);
    const types = filters.get('load-balancer-type');
    if (types) where.add(`doc->>'loadBalancerType' = ANY(${where.param(types)})`);
    where.add(`status = ANY(${where.param(filters.get('state') ?? ['registered'])})`);
    return pageOfDocuments<LoadBalancerState>(this.runtime.db, this.tokens, {
      table: 'rm_load_balancers',
      where: where.clauses,
      params: where.params,
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify([caller.accountId, [...filters]]),
    });
  }

  /** One load balancer as the caller may see it (ops: any; a provider: its own; else NotFound). */
  async visible(arn: string, caller: Caller): Promise<LoadBalancerState> {
    const rows = await this.runtime.db.query(`SELECT doc FROM rm_load_balancers WHERE id = $1`, [arn]);
    const lb = rows[0]?.doc as LoadBalancerState | undefined;
    if (!lb || (caller.role !== 'ops' && lb.ownerAccountId !== caller.accountId)) throw loadBalancerNotFound(arn);
    return lb;
  }
}
