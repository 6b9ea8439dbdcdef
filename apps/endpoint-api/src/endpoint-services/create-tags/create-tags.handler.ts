import { Injectable } from '@nestjs/common';
import { Tag } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { ServiceWrite, changeService } from '../service-writes';

/** CreateTags on a service (at most 50 per resource, the domain's rule). */
@Injectable()
export class CreateServiceTagsHandler {
  constructor(private readonly runtime: ServiceRuntime) {}

  execute(serviceId: string, tags: Tag[], ctx: RequestContext): Promise<ServiceWrite<undefined>> {
    return changeService(this.runtime, serviceId, ctx, () => ({ command: { type: 'createTags', tags } }));
  }
}
