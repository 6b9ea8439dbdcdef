import { Injectable } from '@nestjs/common';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { Clock } from '../../ports';
import { ServiceWrite, changeService } from '../service-writes';

/** ModifyVpcEndpointServicePayerResponsibility: only `ServiceOwner`, one way (the domain's rule). */
@Injectable()
export class SetPayerResponsibilityHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  execute(serviceId: string, payerResponsibility: string, ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    return changeService(this.runtime, serviceId, ctx, () => ({
      command: { type: 'modifyEndpointService', payerResponsibility, now: this.clock.now().toISOString() },
    }));
  }
}
