import { QUOTA_CATALOG, QuotaCode, QuotaIncreaseRequestState } from '@privatelink/domain';
import { nameString, textString, z } from '@privatelink/platform';
import { QuotaLedgerDoc } from '../projections/quotas.projection';

const quotaCodeEnum = z.enum(Object.keys(QUOTA_CATALOG) as [QuotaCode, ...QuotaCode[]]);

export const quotaScopeView = z
  .object({
    consumerAccountId: z.string().optional(),
    vpcId: z.string().optional(),
    serviceId: z.string().optional(),
    providerAccountId: z.string().optional(),
    availabilityZoneId: z.string().optional(),
  })
  .openapi('QuotaScope', {
    description: 'The scope the limit applies to; empty for a default that applies to each scope without its own value.',
  });

export const quotaView = z
  .object({
    quotaCode: quotaCodeEnum,
    quotaName: z.string(),
    scope: quotaScopeView,
    limit: z.number().nullable().openapi({ description: 'null: unlimited' }),
    usage: z.number().nullable().openapi({ description: 'null for a default row and for quotas checked on each request' }),
    adjustable: z.boolean(),
    unit: z.string(),
  })
  .openapi('Quota');

export const quotaIncreaseRequestView = z
  .object({
    requestId: z.string().openapi({ example: 'qir-0123456789abcdef0' }),
    quotaCode: quotaCodeEnum,
    scope: quotaScopeView,
    requester: z.string(),
    desiredValue: z.number(),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'denied']),
    limitAtRequest: z.number().nullable(),
    usageAtRequest: z.number(),
    approvedValue: z.number().nullable(),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
    submittedAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('QuotaIncreaseRequest');

export const increaseRequestBody = z
  .object({
    scope: z
      .object({ vpcId: nameString().max(64).optional(), serviceId: nameString().max(64).optional() })
      .strict()
      .optional()
      .openapi({
        description:
          'vpcId for vpc-endpoints-per-vpc; serviceId for allowed-principals-per-service and connections-per-consumer-per-service',
      }),
    desiredValue: z.number().openapi({ example: 80 }),
    reason: textString().max(4096).openapi({ example: 'a shared-services VPC with many endpoints' }),
  })
  .strict()
  .openapi('QuotaIncreaseRequestBody');

export const approveBody = z
  .object({ value: z.number().optional().openapi({ description: 'another value than the desired one' }) })
  .strict()
  .openapi('ApproveQuotaIncreaseRequest');

export const denyBody = z
  .object({ reason: textString().max(4096) })
  .strict()
  .openapi('DenyQuotaIncreaseRequest');

export const connectionLimitBody = z
  .object({
    principal: nameString().max(2048).openapi({
      example: 'arn:aws:iam::444455556666:root',
      description: 'a principal on the service’s allowlist; * sets the default of every account',
    }),
    limit: z.number().nullable().openapi({ description: 'connections of that principal’s account to the service; null removes the limit' }),
  })
  .strict()
  .openapi('ConnectionLimitBody');

export const connectionLimitView = z
  .object({
    serviceId: z.string(),
    consumerAccountId: z.string().openapi({ description: 'the account the limit applies to, or * for every account without its own' }),
    principal: z.string().optional(),
    limit: z.number().nullable().openapi({ description: 'the account’s own limit (null: none)' }),
    effectiveLimit: z.number().nullable().openapi({ description: 'the limit that applies (its own, else the * limit); null: unlimited' }),
    usage: z.number(),
  })
  .openapi('ConnectionLimit');

export function toQuotaView(code: QuotaCode, scope: QuotaLedgerDoc['scope'], limit: number | null, usage: number | null) {
  const definition = QUOTA_CATALOG[code];
  return {
    quotaCode: code,
    quotaName: definition.name,
    scope: { ...scope },
    limit,
    usage,
    adjustable: definition.adjustable,
    unit: definition.unit,
  };
}

export function toIncreaseRequestView(r: QuotaIncreaseRequestState) {
  return {
    requestId: r.requestId,
    quotaCode: r.code,
    scope: { ...r.scope },
    requester: r.requester,
    desiredValue: r.desiredValue,
    reason: r.reason,
    status: r.status,
    limitAtRequest: r.limitAtRequest,
    usageAtRequest: r.usageAtRequest,
    approvedValue: r.approvedValue,
    decidedBy: r.decidedBy,
    decisionReason: r.decisionReason,
    submittedAt: r.submittedAt,
    decidedAt: r.decidedAt,
  };
}
