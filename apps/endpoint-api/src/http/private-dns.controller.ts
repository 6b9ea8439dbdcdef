import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import {
  StartPrivateDnsVerificationPayload,
  StartPrivateDnsVerificationResult,
  startPrivateDnsVerificationCommand,
} from '@privatelink/contracts';
import { DomainError, assertServiceId, endpointServiceDecider } from '@privatelink/domain';
import {
  Ctx,
  PageTokens,
  PLATFORM_CONFIG,
  PlatformConfig,
  RequestContext,
  Roles,
  parseFilters,
  parseMaxResults,
  registerRoute,
  throwIfRefused,
  z,
} from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { writeContext } from '../handlers/command-result';
import { endpointServiceStream, ownService } from '../endpoint-services/service-writes';
import { pageOfDocuments } from '../projections/queries';
import {
  PrivateDnsNameConfiguration,
  PrivateDnsVerificationDoc,
  configurationFromFacts,
  privateDnsNameConfigurationOf,
  verificationsOf,
} from '../projections/private-dns-verifications.projection';
import { errorResponse, jsonBody, jsonResponse } from './openapi-helpers';
import { parseOptionalBody } from './validation';
import { privateDnsNameConfigurationView } from './private-dns.schemas';
import { setConsistencyToken } from './consistency';

const verifyResponse = z
  .object({
    serviceId: z.string(),
    privateDnsName: z.string(),
    privateDnsNameConfiguration: privateDnsNameConfigurationView,
    checked: z
      .boolean()
      .openapi({ description: 'false when the answer came before a check (202, or a name dns-verifier had just learnt)' }),
  })
  .openapi('StartPrivateDnsVerificationResponse');

const opsVerificationView = z
  .object({
    serviceId: z.string(),
    privateDnsName: z.string(),
    state: z.enum(['pendingVerification', 'verified', 'failed']),
    recordName: z.string().nullable(),
    recordValue: z.string().nullable(),
    lastCheckedAt: z.string().nullable(),
    nextCheckAt: z.string().nullable(),
    reasonCode: z.string().nullable(),
    reason: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('DnsVerification');

/** The call takes no parameters besides the service id; an empty JSON object (or no body) is accepted. */
const verifyBody = z.object({}).strict().openapi('StartPrivateDnsVerificationRequest');

const serviceParams = z.object({ serviceId: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }) });

registerRoute({
  method: 'post',
  path: '/v1/provider/endpoint-services/{serviceId}/private-dns:verify',
  tags: ['provider: endpoint services'],
  summary: 'Check the private DNS name’s TXT record now (StartVpcEndpointServicePrivateDnsVerification)',
  description:
    'dns-verifier asks the domain’s authoritative name servers now: the record found → verified; not found → failed with a reason; ' +
    'name servers not answering → pendingVerification (never failed for that). Answers 200 with the state after the check, or 202 with the ' +
    'current state when the check takes longer than the bounded wait. Calls repeated while a check runs share it. A service without a ' +
    'private DNS name (and any Gateway Load Balancer service) answers IncorrectState. A provider re-checks its own services; ops any service (the console’s re-check).',
  request: { params: serviceParams, body: { ...jsonBody(verifyBody).body, required: false } },
  responses: {
    200: jsonResponse('the verification state after the check', verifyResponse),
    202: jsonResponse('the check is still running: the state known now', verifyResponse),
    404: errorResponse('InvalidVpcEndpointServiceId.NotFound'),
    409: errorResponse('IncorrectState: the service has no private DNS name, or is being deleted'),
  },
});

registerRoute({
  method: 'get',
  path: '/v1/ops/dns-verifications',
  tags: ['ops'],
  summary: 'Private DNS name verifications: state, last check, next check, reason',
  description: 'Filters: filter.state (pendingVerification, verified, failed), filter.service-id. Paginated by service id.',
  request: {
    query: z.object({
      maxResults: z.string().optional(),
      nextToken: z.string().optional(),
      'filter.state': z.string().optional(),
      'filter.service-id': z.string().optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ dnsVerifications: z.array(opsVerificationView), nextToken: z.string().optional() }).openapi('DnsVerificationPage'),
    ),
  },
});

interface VerifyAnswer {
  status: 200 | 202;
  body: { serviceId: string; privateDnsName: string; privateDnsNameConfiguration: PrivateDnsNameConfiguration; checked: boolean };
  /** The verification stream dns-verifier wrote (the answer's consistency token), when it answered in time. */
  written?: { streamId: string; version: number };
}

/** `POST .../{serviceId}/private-dns:verify`: forwarded to dns-verifier, the owner of the verification; ops may re-check any service's name. */
@Controller('v1/provider/endpoint-services')
@Roles('provider', 'ops')
export class PrivateDnsVerificationController {
  /** Verify calls in flight, per account and service: a repeated call while one runs shares its answer. */
  private readonly running = new Map<string, Promise<VerifyAnswer>>();

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Post(':serviceId/private-dns\\:verify')
  @HttpCode(200)
  async verify(
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertServiceId(serviceId, 'serviceId');
    parseOptionalBody(verifyBody, body);
    const key = `${ctx.caller.accountId}|${serviceId}`;
    let pending = this.running.get(key);
    if (!pending) {
      pending = this.start(serviceId, ctx).finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    const answer = await pending;
    res.status(answer.status);
    if (answer.written) setConsistencyToken(res, answer.written.streamId, answer.written.version);
    return answer.body;
  }

  private async start(serviceId: string, ctx: RequestContext): Promise<VerifyAnswer> {
    const { runtime, commands } = this.core;
    // The edge's own event store is the truth about the service and its name (not a read model that may lag).
    const { state, version } = await runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider);
    const service = ownService(state, serviceId, ctx.caller.role === 'ops' && state ? state.owner : ctx.caller.accountId);
    if (service.serviceType === 'GatewayLoadBalancer') {
      throw new DomainError(
        'IncorrectState',
        `endpoint service ${serviceId} is a Gateway Load Balancer service: private DNS names are not supported for it`,
        'serviceId',
      );
    }
    if (!service.privateDnsName) {
      throw new DomainError(
        'IncorrectState',
        `endpoint service ${serviceId} has no private DNS name to verify; set one with privateDnsName first`,
        'serviceId',
      );
    }
    if (service.serviceState === 'Deleting')
      throw new DomainError('IncorrectState', `endpoint service ${serviceId} is being deleted`, 'serviceId');
    const payload: StartPrivateDnsVerificationPayload = { serviceId, privateDnsName: service.privateDnsName, sourceVersion: version };
    const outcome = await commands.send(
      'dns-verifier',
      { type: startPrivateDnsVerificationCommand, targetId: serviceId, payload },
      writeContext(ctx),
      this.config.dns.verifyWaitMs,
    );
    throwIfRefused(outcome);
    if (outcome?.ok && outcome.result) {
      const result = outcome.result as unknown as StartPrivateDnsVerificationResult;
      // Read-your-writes: the service view shows this state as soon as the answer is out (bounded wait).
      await this.core.privateDnsVerifications.waitFor(result.streamId, result.version, this.config.readWaitMs);
      return {
        status: 200,
        body: {
          serviceId,
          privateDnsName: service.privateDnsName,
          privateDnsNameConfiguration: configurationFromFacts(result.verification),
          checked: result.checked,
        },
        written: { streamId: result.streamId, version: result.version },
      };
    }
    // No answer within the wait: the check goes on; answer what is known now (EC2-style: the state, not a failure).
    const doc = (await verificationsOf(runtime.db, [serviceId])).get(serviceId);
    return {
      status: 202,
      body: {
        serviceId,
        privateDnsName: service.privateDnsName,
        privateDnsNameConfiguration: privateDnsNameConfigurationOf(service, doc)!,
        checked: false,
      },
    };
  }
}

const VERIFICATION_FILTERS = ['state', 'service-id'] as const;

@Controller('v1/ops')
@Roles('ops')
export class OpsDnsVerificationsController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get('dns-verifications')
  async list(@Query() query: Record<string, unknown>) {
    const filters = parseFilters(query, VERIFICATION_FILTERS);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [name, values] of filters) {
      params.push(values);
      where.push(`${name === 'state' ? 'state' : 'id'} = ANY($${params.length})`);
    }
    const page = await pageOfDocuments<PrivateDnsVerificationDoc>(this.core.runtime.db, this.tokens, {
      table: 'rm_private_dns_verifications',
      where,
      params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: typeof query.nextToken === 'string' ? query.nextToken : undefined,
      fingerprint: JSON.stringify(['dns-verifications', [...filters]]),
    });
    return {
      dnsVerifications: page.items.map((d) => ({
        serviceId: d.serviceId,
        privateDnsName: d.privateDnsName,
        state: d.state,
        recordName: d.recordName,
        recordValue: d.recordValue,
        lastCheckedAt: d.lastCheckedAt,
        nextCheckAt: d.nextCheckAt,
        reasonCode: d.reasonCode,
        reason: d.reason,
        updatedAt: d.updatedAt,
      })),
      nextToken: page.nextToken,
    };
  }
}
