// Imported in the order of the API document (each route registers its entry as its file loads).
import { QuotaQueries } from './quota.queries';
import { DescribeQuotasRoute } from './describe/describe-quotas.route';
import { RequestIncreaseRoute } from './request-increase/request-increase.route';
import { DecideIncreaseRoute } from './decide-increase/decide-increase.route';
import { ConnectionLimitsRoute } from './connection-limits/connection-limits.route';

/** The quotas' use cases: the caller's quotas and increase requests, ops' decisions, the provider's connection limits. */
export const quotaUseCases = {
  routes: [DescribeQuotasRoute, RequestIncreaseRoute, DecideIncreaseRoute, ConnectionLimitsRoute],
  providers: [QuotaQueries],
};
