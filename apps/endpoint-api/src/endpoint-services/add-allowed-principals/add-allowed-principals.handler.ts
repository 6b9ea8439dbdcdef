import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { principalAdditionOutcome, servicePermissionId } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { QuotaEdge } from '../../handlers/quota-edge';
import { Clock } from '../../ports';
import { ServiceWrite, changeService } from '../service-writes';

/** ModifyVpcEndpointServicePermissions --add-allowed-principals, within the allowed-principals-per-service quota. */
@Injectable()
export class AddAllowedPrincipalsHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    private readonly quotas: QuotaEdge,
  ) {}

  execute(
    serviceId: string,
    principals: string[],
    ctx: RequestContext,
  ): Promise<ServiceWrite<{ added: string[]; alreadyPresent: string[] }>> {
    // The outcome is computed on the state each attempt decides on, so a retried request reports truthfully.
    return changeService(this.runtime, serviceId, ctx, async (service, tx) => ({
      command: {
        type: 'addAllowedPrincipals',
        principals,
        servicePermissionIds: principals.map(() => servicePermissionId(randomBytes(9).toString('hex').slice(0, 17))),
        // The allowed-principals-per-service quota, decided on the service's own stream (no overshoot).
        maxAllowedPrincipals: await this.quotas.allowedPrincipalsLimit(serviceId, service.owner, tx),
        now: this.clock.now().toISOString(),
      },
      outcome: principalAdditionOutcome(service, principals),
    }));
  }
}
