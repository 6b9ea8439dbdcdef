import { Inject, Injectable } from '@nestjs/common';
import {
  StartPrivateDnsVerificationPayload,
  StartPrivateDnsVerificationResult,
  startPrivateDnsVerificationCommand,
} from '@privatelink/contracts';
import { privateDnsNameToVerify } from '@privatelink/domain';
import { CommandGateway, PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime, throwIfRefused } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { endpointServices } from '../../aggregates';
import { ownService } from '../../endpoint-services/service-writes';
import { writeContext } from '../../handlers/command-result';
import { PRIVATE_DNS_VERIFICATIONS } from '../../ports';
import {
  PrivateDnsNameConfiguration,
  PrivateDnsVerificationDoc,
  configurationFromFacts,
  privateDnsNameConfigurationOf,
  verificationsOf,
} from '../../projections/private-dns-verifications.projection';

export interface VerifyAnswer {
  status: 200 | 202;
  body: { serviceId: string; privateDnsName: string; privateDnsNameConfiguration: PrivateDnsNameConfiguration; checked: boolean };
  /** The verification stream dns-verifier wrote (the answer's consistency token), when it answered in time. */
  written?: { streamId: string; version: number };
}

/** StartVpcEndpointServicePrivateDnsVerification: forwarded to dns-verifier, the owner of the verification. */
@Injectable()
export class VerifyPrivateDnsHandler {
  /** Verify calls in flight, per account and service: a repeated call while one runs shares its answer. */
  private readonly running = new Map<string, Promise<VerifyAnswer>>();

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly commands: CommandGateway,
    @Inject(PRIVATE_DNS_VERIFICATIONS) private readonly verifications: ProjectionRunner<PrivateDnsVerificationDoc>,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  execute(serviceId: string, ctx: RequestContext): Promise<VerifyAnswer> {
    const key = `${ctx.caller.accountId}|${serviceId}`;
    let pending = this.running.get(key);
    if (!pending) {
      pending = this.start(serviceId, ctx).finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    return pending;
  }

  private async start(serviceId: string, ctx: RequestContext): Promise<VerifyAnswer> {
    const { runtime, commands } = this;
    // The edge's own event store is the truth about the service and its name (not a read model that may lag).
    const { state, version } = await runtime.load(endpointServices, serviceId);
    const service = ownService(state, serviceId, ctx.caller.role === 'ops' && state ? state.owner : ctx.caller.accountId);
    const privateDnsName = privateDnsNameToVerify(service);
    const payload: StartPrivateDnsVerificationPayload = { serviceId, privateDnsName, sourceVersion: version };
    const outcome = await commands.send(startPrivateDnsVerificationCommand, payload, writeContext(ctx), this.config.dns.verifyWaitMs);
    throwIfRefused(outcome);
    if (outcome?.ok && outcome.result) {
      const result: StartPrivateDnsVerificationResult = outcome.result;
      // Read-your-writes: the service view shows this state as soon as the answer is out (bounded wait).
      await this.verifications.waitFor(result.streamId, result.version, this.config.readWaitMs);
      return {
        status: 200,
        body: {
          serviceId,
          privateDnsName,
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
        privateDnsName,
        privateDnsNameConfiguration: privateDnsNameConfigurationOf(service, doc)!,
        checked: false,
      },
    };
  }
}
