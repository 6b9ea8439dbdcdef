import { Injectable } from '@nestjs/common';
import { isDomainError, isServiceId } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { StreamVersion } from '../../http/consistency';
import { Clock } from '../../ports';
import { ServiceWrite, changeService } from '../service-writes';

export interface UnsuccessfulItem {
  resourceId: string;
  error: { code: string; message: string };
}

/** The ids that could not be deleted, and the streams of those that were (the answer's consistency token). */
export interface DeleteServicesResult {
  unsuccessful: UnsuccessfulItem[];
  written: StreamVersion[];
}

/** Starts deletion (`Deleting`); the deletion reaction releases the load balancers and completes it. */
@Injectable()
export class DeleteEndpointServiceHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  execute(serviceId: string, ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    return changeService(this.runtime, serviceId, ctx, () => ({
      command: { type: 'deleteEndpointService', now: this.clock.now().toISOString() },
    }));
  }

  /** DeleteVpcEndpointServiceConfigurations: each id on its own; the answer lists the ones that failed and why. */
  async executeMany(serviceIds: string[], ctx: RequestContext): Promise<DeleteServicesResult> {
    const unsuccessful: UnsuccessfulItem[] = [];
    const written: StreamVersion[] = [];
    for (const serviceId of [...new Set(serviceIds)]) {
      if (!isServiceId(serviceId)) {
        unsuccessful.push({
          resourceId: serviceId,
          error: {
            code: 'InvalidParameterValue',
            message: `'${serviceId}' is not a valid service id (expected vpce-svc- and 17 hex characters)`,
          },
        });
        continue;
      }
      try {
        const { streamId, version } = await this.execute(serviceId, ctx);
        written.push({ streamId, version });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        unsuccessful.push({ resourceId: serviceId, error: { code: error.code, message: error.message } });
      }
    }
    return { unsuccessful, written };
  }
}
