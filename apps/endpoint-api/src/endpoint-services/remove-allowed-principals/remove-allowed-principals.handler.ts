import { Injectable } from '@nestjs/common';
import { principalRemovalOutcome } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { Clock } from '../../ports';
import { ServiceWrite, changeService } from '../service-writes';

/** ModifyVpcEndpointServicePermissions --remove-allowed-principals. */
@Injectable()
export class RemoveAllowedPrincipalsHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  execute(
    serviceId: string,
    principals: string[],
    ctx: RequestContext,
  ): Promise<ServiceWrite<{ removed: string[]; alreadyAbsent: string[] }>> {
    return changeService(this.runtime, serviceId, ctx, (service) => ({
      command: { type: 'removeAllowedPrincipals', principals, now: this.clock.now().toISOString() },
      outcome: principalRemovalOutcome(service, principals),
    }));
  }
}
