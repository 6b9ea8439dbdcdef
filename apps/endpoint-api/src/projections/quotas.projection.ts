import { payloadOf, streamFamilies } from '@privatelink/contracts';
import { LedgerScope, QuotaCode, QuotaIncreaseRequestState, QuotaLedgerEvent, quotaIncreaseRequestDecider } from '@privatelink/domain';
import { DocumentProjection, aggregateProjection, aggregateStateProjection } from '@privatelink/projections';

/** One quota in one scope, as its last ledger event says: the scope's own limit (null: the default) and the usage. */
export interface QuotaLedgerDoc {
  code: QuotaCode;
  scopeKey: string;
  scope: LedgerScope;
  limit: number | null;
  usage: number;
  updatedAt: string;
}

/** quota-guard's ledgers: every ledger event carries the ledger's identity, own limit and usage after it. */
export const quotaLedgersProjection: DocumentProjection<QuotaLedgerDoc> = aggregateProjection({
  name: 'quota-ledgers',
  family: streamFamilies.quotaLedger,
  table: 'rm_quota_ledgers',
  evolve: (_doc, event) => {
    const e = payloadOf<QuotaLedgerEvent>(event);
    return { code: e.code, scopeKey: e.scopeKey, scope: { ...e.scope }, limit: e.limit, usage: e.usage, updatedAt: e.at };
  },
});

/** quota-guard's increase requests, for ops' queue and the requesters' own list. */
export const quotaIncreaseRequestsProjection: DocumentProjection<QuotaIncreaseRequestState> = aggregateStateProjection({
  name: 'quota-increase-requests',
  family: streamFamilies.quotaIncreaseRequest,
  table: 'rm_quota_increase_requests',
  decider: quotaIncreaseRequestDecider,
});
