import { Injectable } from '@nestjs/common';
import { QuotaCode, QuotaIncreaseRequestState, defaultQuotaLimit, quotaLedgerId } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { QuotaEdge } from '../handlers/quota-edge';
import { toQuotaView } from '../http/quotas.schemas';
import { QuotaLedgerDoc } from '../projections/quotas.projection';
import { Page, pageOfDocuments } from '../projections/queries';

const CONNECTIONS_PER_CONSUMER: QuotaCode = 'connections-per-consumer-per-service';

interface PageRequest {
  maxResults: number;
  nextToken?: string;
}

/** The read side of quotas: quota-guard's ledgers and increase requests as endpoint-api's read models hold them. */
@Injectable()
export class QuotaQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
    private readonly quotas: QuotaEdge,
  ) {}

  /** The caller's quotas: its ledgers, and on the first page the defaults and the account's own service quota. */
  async ofCaller(caller: Caller, role: 'consumer' | 'provider', request: PageRequest) {
    const account = caller.accountId;
    const { defaults } = this.quotas;
    const where =
      role === 'consumer' ? ['consumer_account_id = $1'] : ['provider_account_id = $1', `code <> 'endpoint-services-per-account'`];
    const result = await pageOfDocuments<QuotaLedgerDoc>(this.runtime.db, this.tokens, {
      table: 'rm_quota_ledgers',
      where,
      params: [account],
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(['quotas', account, role]),
    });
    const first: ReturnType<typeof toQuotaView>[] = [];
    if (!request.nextToken) {
      if (role === 'consumer') {
        for (const code of [
          'vpc-endpoints-per-vpc',
          'gwlb-endpoints-per-zone-per-service-per-vpc',
          'endpoint-policy-size',
        ] as QuotaCode[]) {
          first.push(toQuotaView(code, {}, defaultQuotaLimit(code, defaults), null));
        }
      } else {
        const id = quotaLedgerId('endpoint-services-per-account', { providerAccountId: account });
        const rows: Array<{ doc: QuotaLedgerDoc }> = await this.runtime.db.query(`SELECT doc FROM rm_quota_ledgers WHERE id = $1`, [id]);
        const own = rows[0]?.doc;
        const code: QuotaCode = 'endpoint-services-per-account';
        first.push(
          toQuotaView(code, { providerAccountId: account }, this.quotas.effectiveLimit(code, own?.limit ?? null), own?.usage ?? 0),
        );
        first.push(toQuotaView('allowed-principals-per-service', {}, defaultQuotaLimit('allowed-principals-per-service', defaults), null));
      }
    }
    return { quotas: [...first, ...(await this.views(result.items))], nextToken: result.nextToken };
  }

  /** Increase requests: the requester account's, or (ops) all, optionally of one status. */
  increaseRequests(
    filter: { requesterAccountId?: string; status?: string },
    request: PageRequest,
  ): Promise<Page<QuotaIncreaseRequestState>> {
    const [column, value] =
      filter.requesterAccountId !== undefined ? ['requester_account_id', filter.requesterAccountId] : ['status', filter.status];
    return pageOfDocuments<QuotaIncreaseRequestState>(this.runtime.db, this.tokens, {
      table: 'rm_quota_increase_requests',
      where: value !== undefined ? [`${column} = $1`] : [],
      params: value !== undefined ? [value] : [],
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(
        filter.requesterAccountId !== undefined
          ? ['quota-requests', filter.requesterAccountId]
          : ['ops-quota-requests', filter.status ?? null],
      ),
    });
  }

  /** The connections-per-consumer ledgers of one service, each with the limit that applies. */
  async connectionLimits(serviceId: string, request: PageRequest) {
    const result = await pageOfDocuments<QuotaLedgerDoc>(this.runtime.db, this.tokens, {
      table: 'rm_quota_ledgers',
      where: ['service_id = $1', 'code = $2'],
      params: [serviceId, CONNECTIONS_PER_CONSUMER],
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(['connection-limits', serviceId]),
    });
    const everyone = (await this.quotas.everyoneLimits([serviceId])).get(serviceId) ?? null;
    return {
      connectionLimits: result.items.map((d) => ({
        serviceId,
        consumerAccountId: d.scope.consumerAccountId!,
        limit: d.limit,
        effectiveLimit: d.scope.consumerAccountId === '*' ? d.limit : this.quotas.effectiveLimit(d.code, d.limit, everyone),
        usage: d.usage,
      })),
      nextToken: result.nextToken,
    };
  }

  /** Ledger rows as the API shows them, with the limit that applies to each. */
  async views(docs: QuotaLedgerDoc[]) {
    const everyone = await this.quotas.everyoneLimits([
      ...new Set(docs.filter((d) => d.code === CONNECTIONS_PER_CONSUMER).map((d) => d.scope.serviceId!)),
    ]);
    return docs.map((d) =>
      toQuotaView(d.code, d.scope, this.quotas.effectiveLimit(d.code, d.limit, everyone.get(d.scope.serviceId ?? '')), d.usage),
    );
  }
}
