import type { ServiceRuntime } from '@privatelink/platform';
import type { QuotaEdge } from '../handlers/quota-edge';
import { QuotaLedgerDoc } from './quotas.projection';

/**
 * Ledgers at or above 80 % of the limit that applies to them (their own, the provider's `*`, or the
 * default), by id after `after`; `providerAccountId` keeps a provider's own (its account's and its services').
 * The ops list and the console's overview read it.
 */
export async function nearLimitLedgers(
  core: { runtime: ServiceRuntime; quotas: QuotaEdge },
  options: { after: string | null; limit: number; providerAccountId?: string },
): Promise<Array<{ id: string; doc: QuotaLedgerDoc; effective: number }>> {
  const params: unknown[] = [];
  const defaultLimit = core.quotas.defaultLimitSql('l.code', params);
  params.push(options.after);
  const afterParam = `$${params.length}`;
  let own = '';
  if (options.providerAccountId !== undefined) {
    params.push(options.providerAccountId);
    own = `AND (l.provider_account_id = $${params.length} OR l.service_id IN (SELECT id FROM rm_endpoint_services WHERE owner_account_id = $${params.length}))`;
  }
  params.push(options.limit);
  return core.runtime.db.query(
    `SELECT id, doc, effective FROM (
       SELECT l.id, l.doc, l.usage,
              coalesce(l.own_limit, CASE WHEN l.code = 'connections-per-consumer-per-service' THEN s.own_limit ELSE ${defaultLimit} END) AS effective
       FROM rm_quota_ledgers l
       LEFT JOIN rm_quota_ledgers s
         ON l.code = 'connections-per-consumer-per-service' AND s.code = l.code AND s.service_id = l.service_id AND s.consumer_account_id = '*'
       WHERE (l.consumer_account_id IS DISTINCT FROM '*' OR l.code <> 'connections-per-consumer-per-service') ${own}
     ) q
     WHERE effective IS NOT NULL AND usage * 5 >= effective * 4 AND (${afterParam}::text IS NULL OR id > ${afterParam}::text)
     ORDER BY id LIMIT $${params.length}`,
    params,
  );
}
