import { Injectable } from '@nestjs/common';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { TagChange } from '../../http/tag-routes';
import { ServiceWrite, changeService } from '../service-writes';

/** CreateTags (at most 50 per resource, the domain's rule) and DeleteTags (absent keys are ignored) on a service. */
@Injectable()
export class ServiceTagsHandler {
  constructor(private readonly runtime: ServiceRuntime) {}

  execute(serviceId: string, change: TagChange, ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    return changeService(this.runtime, serviceId, ctx, () => ({ command: change }));
  }
}
