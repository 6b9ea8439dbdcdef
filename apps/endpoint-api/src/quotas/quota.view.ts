import { DomainError } from '@privatelink/domain';
import { RequestContext, z } from '@privatelink/platform';
import { errorResponse } from '../http/openapi-helpers';
import { quotaIncreaseRequestView } from '../http/quotas.schemas';

// ── what the routes on quotas share in the API document ─────────────────────────────────────────

export const QUOTAS_TAG = 'quotas';
export const pageOf = (name: string, item: z.ZodTypeAny, key: string) =>
  z.object({ [key]: z.array(item), nextToken: z.string().optional() }).openapi(name);
export const pageQuery = z.object({ maxResults: z.string().optional(), nextToken: z.string().optional() });
export const requestAnswer = z.object({ quotaIncreaseRequest: quotaIncreaseRequestView });
export const unavailableResponse = errorResponse('Unavailable: quota-guard did not answer in time (the request may still be carried out)');

/** Who asks for an increase: a consumer or a provider; ops decides requests, it does not submit them. */
export function requesterRole(ctx: RequestContext): 'consumer' | 'provider' {
  if (ctx.caller.role === 'ops')
    throw new DomainError('UnauthorizedOperation', 'ops approves and denies quota increase requests; it does not submit them');
  return ctx.caller.role;
}
