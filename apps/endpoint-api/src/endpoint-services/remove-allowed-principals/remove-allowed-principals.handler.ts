import { Injectable } from '@nestjs/common';
import { UnsuccessfulConnectionItem } from '@privatelink/contracts';
import { principalRemovalOutcome } from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { writtenBy } from '../../endpoint-connections/broker';
import { DecideConnectionsHandler } from '../../endpoint-connections/decide-connections.handler';
import { EndpointConnectionQueries } from '../../endpoint-connections/endpoint-connection.queries';
import { StreamVersion } from '../../http/consistency';
import { Clock } from '../../ports';
import { ServiceWrite, changeService } from '../service-writes';
import { REVOCABLE_STATES, connectionsRevokedBy } from './revocation';

/** At most this many endpoints in one reject sent to connection-broker (the size of its batches). */
const MAX_REJECT_BATCH = 100;

/** What a revocation did to the connections of the removed principals. */
export interface Revocation {
  /** The connections connection-broker rejected. */
  rejected: string[];
  /** The ones it could not reject, and why (e.g. deleted meanwhile). */
  unsuccessful: UnsuccessfulConnectionItem[];
  /** The ones whose answer did not come in time: being rejected. */
  inProgress: string[];
  written: StreamVersion[];
}

/**
 * ModifyVpcEndpointServicePermissions --remove-allowed-principals, and, beyond the guide, the revocation of
 * the removed principals' connections: once the removal is written (a request attaching afterwards is
 * refused on the service's stream), their pendingAcceptance and available connections are rejected exactly
 * as the provider's own reject does (connection-broker detaches each, quota-guard gets its capacity back and
 * the notifier sends `Reject`).
 */
@Injectable()
export class RemoveAllowedPrincipalsHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    private readonly connections: EndpointConnectionQueries,
    private readonly decisions: DecideConnectionsHandler,
  ) {}

  execute(
    serviceId: string,
    principals: string[],
    ctx: RequestContext,
  ): Promise<ServiceWrite<{ removed: string[]; alreadyAbsent: string[] }>> {
    return changeService(this.runtime, serviceId, ctx, () => ({
      command: { type: 'removeAllowedPrincipals', principals, now: this.clock.now().toISOString() },
    })).then((write) => ({ ...write, outcome: principalRemovalOutcome(principals, write.events) }));
  }

  /** Rejects the pendingAcceptance and available connections of the principals (connections' read model). */
  async rejectConnectionsOf(serviceId: string, principals: string[], ctx: RequestContext): Promise<Revocation> {
    const connections = await this.connections.connectionsInState(serviceId, REVOCABLE_STATES);
    const ids = connectionsRevokedBy(connections, principals).map((c) => c.vpcEndpointId);
    const revocation: Revocation = { rejected: [], unsuccessful: [], inProgress: [], written: [] };
    for (let i = 0; i < ids.length; i += MAX_REJECT_BATCH) {
      const batch = ids.slice(i, i + MAX_REJECT_BATCH);
      const { result } = await this.decisions.execute('reject', serviceId, batch, ctx);
      if (!result) {
        revocation.inProgress.push(...batch);
        continue;
      }
      revocation.rejected.push(...result.succeeded.map((item) => item.vpcEndpointId));
      revocation.unsuccessful.push(...result.unsuccessful);
      revocation.written.push(...writtenBy(result));
    }
    return revocation;
  }
}
