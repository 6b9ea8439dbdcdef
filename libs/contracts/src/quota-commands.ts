import type { QuotaIncreaseRequestState } from '@privatelink/domain';
import { command, ownedCommands } from './commands';

/**
 * The commands quota-guard owns (it is the only writer of `quota-ledger-*` and `quota-increase-request-*`):
 * - connection-broker → quota-guard: reserve capacity for a new connection, give it back (target =
 *   vpcEndpointId). The command ids derive from the endpoint, so a re-sent command is the same command
 *   to quota-guard's `processOnce`, and the broker recognises the answers on the outcomes topic;
 * - endpoint-api → quota-guard: the quota increase requests (submit, approve, deny) and the provider's
 *   per-consumer connection limits. (The quotas of what endpoint-api owns, services per account and allowed
 *   principals per service, it decides itself with the limits quota-guard's ledger events set.)
 */
export const quotaGuardService = 'quota-guard';

/** A connection's claim on capacity: every scope it counts in follows from these facts. */
export interface ConnectionQuotaPayload {
  vpcEndpointId: string;
  consumerAccountId: string;
  vpcId: string;
  serviceId: string;
  serviceOwner: string;
  /** For Gateway Load Balancer endpoints, with their zones: one per zone per service per VPC. */
  vpcEndpointType?: 'Interface' | 'GatewayLoadBalancer';
  availabilityZoneIds?: string[];
}

/** quota-guard's answer to reserveConnectionQuota: a refusal is an answer too (`granted: false`), not an error. */
export interface ConnectionQuotaDecision {
  vpcEndpointId: string;
  granted: boolean;
  message?: string;
}

export const connectionQuotaCommandId = {
  reserve: (vpcEndpointId: string) => `quota-reserve:${vpcEndpointId}`,
  release: (vpcEndpointId: string) => `quota-release:${vpcEndpointId}`,
  parse(commandId: string): { kind: 'reserve' | 'release'; vpcEndpointId: string } | null {
    const match = /^quota-(reserve|release):(vpce-[0-9a-f]{17})$/.exec(commandId);
    return match ? { kind: match[1] as 'reserve' | 'release', vpcEndpointId: match[2] } : null;
  },
};

/** submitQuotaIncreaseRequest (target = requestId): the edge resolved the scope and checked the caller may ask. */
export interface SubmitQuotaIncreaseRequestPayload {
  requestId: string;
  code: string;
  scope: Record<string, string>;
  requester: { principal: string; accountId: string; role: 'consumer' | 'provider' };
  desiredValue: unknown;
  reason: unknown;
}

/** approveQuotaIncreaseRequest (target = requestId): ops' decision, optionally with another value. */
export interface ApproveQuotaIncreaseRequestPayload {
  requestId: string;
  value?: unknown;
}

export interface DenyQuotaIncreaseRequestPayload {
  requestId: string;
  reason: unknown;
}

/**
 * setConnectionLimit (target = serviceId): the provider's limit of connections for the account of a
 * principal on the service's allowlist (`*`: every account without a limit of its own); null removes it.
 */
export interface SetConnectionLimitPayload {
  serviceId: string;
  providerAccountId: string;
  principal: string;
  consumerAccountId: string;
  limit: number | null;
}

/** setConnectionLimit's answer: the limit now, the one that applies, and the ledger's usage and version. */
export interface SetConnectionLimitResult {
  serviceId: string;
  principal: string;
  consumerAccountId: string;
  limit: number | null;
  effectiveLimit: number | null;
  usage: number;
  streamId: string;
  version: number;
}

/** An increase request after a command, its stream and version. */
export interface QuotaIncreaseRequestResult {
  request: QuotaIncreaseRequestState | null;
  streamId: string;
  version: number;
  /** On approval: the ledger whose limit changed. */
  ledger?: { streamId: string; version: number; limit: number; usage: number };
}

export interface ConnectionQuotaReleaseResult {
  vpcEndpointId: string;
  released: number;
}

export const quotaGuardCommands = ownedCommands(quotaGuardService, {
  reserveConnectionQuota: command<ConnectionQuotaPayload, ConnectionQuotaDecision>(
    (p) => p.vpcEndpointId,
    (p) => connectionQuotaCommandId.reserve(p.vpcEndpointId),
  ),
  releaseConnectionQuota: command<ConnectionQuotaPayload, ConnectionQuotaReleaseResult>(
    (p) => p.vpcEndpointId,
    (p) => connectionQuotaCommandId.release(p.vpcEndpointId),
  ),
  submitQuotaIncreaseRequest: command<SubmitQuotaIncreaseRequestPayload, QuotaIncreaseRequestResult>((p) => p.requestId),
  approveQuotaIncreaseRequest: command<ApproveQuotaIncreaseRequestPayload, QuotaIncreaseRequestResult>((p) => p.requestId),
  denyQuotaIncreaseRequest: command<DenyQuotaIncreaseRequestPayload, QuotaIncreaseRequestResult>((p) => p.requestId),
  setConnectionLimit: command<SetConnectionLimitPayload, SetConnectionLimitResult>((p) => p.serviceId),
});
