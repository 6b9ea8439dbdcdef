import { Injectable } from '@nestjs/common';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { ServiceWrite, changeService } from '../service-writes';

/** DeleteTags on a service (absent keys are ignored). */
@Injectable()
export class DeleteServiceTagsHandler {
  constructor(private readonly runtime: ServiceRuntime) {}

  execute(serviceId: string, tagKeys: string[], ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    return changeService(this.runtime, serviceId, ctx, () => ({ command: { type: 'deleteTags', tagKeys } }));
  }
}
