import { Controller, Inject } from '@nestjs/common';
import { ApproveQuotaIncreaseRequestPayload, DenyQuotaIncreaseRequestPayload, quotaGuardCommands } from '@privatelink/contracts';
import { assertQuotaIncreaseRequestId } from '@privatelink/domain';
import { Ctx, PLATFORM_CONFIG, PlatformConfig, RequestContext, z } from '@privatelink/platform';
import { QuotaEdge } from '../../handlers/quota-edge';
import { answer } from '../../http/consistency';
import { errorResponse, jsonResponse } from '../../http/openapi-helpers';
import { approveBody, denyBody, toIncreaseRequestView } from '../../http/quotas.schemas';
import { InputOf, Input, PathParam, Route, defineRoute } from '../../http/route';
import { requestAnswer, unavailableResponse } from '../quota.view';

const requestIdParam: PathParam = {
  schema: z.string().openapi({ example: 'qir-0123456789abcdef0' }),
  check: (value) => void assertQuotaIncreaseRequestId(value),
};
const decisionResponses = (done: string) => ({
  200: jsonResponse(done, requestAnswer),
  404: errorResponse('InvalidQuotaIncreaseRequestId.NotFound'),
  409: errorResponse('IncorrectState: already approved or denied'),
  503: unavailableResponse,
});

const approve = defineRoute({
  method: 'post',
  path: '/v1/ops/quota-increase-requests/{requestId}:approve',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Approve a pending request, optionally with another value (never below the usage); the limit applies at once',
  params: { requestId: requestIdParam },
  body: approveBody,
  optionalBody: true,
  responses: decisionResponses('approved'),
});

const deny = defineRoute({
  method: 'post',
  path: '/v1/ops/quota-increase-requests/{requestId}:deny',
  roles: ['ops'],
  tags: ['ops'],
  summary: 'Deny a pending request, saying why',
  params: { requestId: requestIdParam },
  body: denyBody,
  responses: decisionResponses('denied'),
});

/** Ops approves or denies (its only writes are these decisions), forwarded to quota-guard. */
@Controller()
export class DecideIncreaseRoute {
  constructor(
    private readonly quotas: QuotaEdge,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** The new limit is in the edge's read model before the answer. */
  @Route(approve)
  async approve(@Input() { params, body }: InputOf<typeof approve>, @Ctx() ctx: RequestContext) {
    const { requestId } = params;
    const result = await this.quotas.ask(
      quotaGuardCommands.approveQuotaIncreaseRequest,
      { requestId, value: body.value } satisfies ApproveQuotaIncreaseRequestPayload,
      ctx,
    );
    await this.quotas.ledgers.waitFor(result.ledger.streamId, result.ledger.version, this.config.readWaitMs);
    return answer({ quotaIncreaseRequest: toIncreaseRequestView(result.request) }, { streamId: result.streamId, version: result.version });
  }

  @Route(deny)
  async deny(@Input() { params, body }: InputOf<typeof deny>, @Ctx() ctx: RequestContext) {
    const result = await this.quotas.ask(
      quotaGuardCommands.denyQuotaIncreaseRequest,
      { requestId: params.requestId, reason: body.reason } satisfies DenyQuotaIncreaseRequestPayload,
      ctx,
    );
    return answer({ quotaIncreaseRequest: toIncreaseRequestView(result.request) }, { streamId: result.streamId, version: result.version });
  }
}
