import { EventEnvelope } from '@privatelink/contracts';
import { AllowedPrincipal, quotaLedgerId } from '@privatelink/domain';
import { processOnce } from '@privatelink/messaging';
import { Store, WriteContext } from '@privatelink/platform';
import { Claim, Ledgers } from '../handlers/ledger-writes';
import { ConnectionFacts } from './connection-facts.consumer';

const servicesOf = (providerAccountId: string): Claim => ({ code: 'endpoint-services-per-account', scope: { providerAccountId } });

/** The connection events after which a connection holds its place for good (it is attached to the service). */
export const CONNECTION_LIVE_EVENTS = new Set([
  'connectionAttached',
  'connectionPendingAcceptance',
  'connectionAccepted',
  'connectionAutoAccepted',
]);

/**
 * What quota-guard learns from the other services' events, each applied once (processOnce, in the same
 * transaction as its ledger events):
 * - a connection became live → its reservations are confirmed (they no longer lapse);
 * - a service was created / deleted, principals allowed / removed → counted in the account's services and
 *   the service's principals (endpoint-api enforces those two limits itself, in the transactions that create
 *   services and on the service's stream), for reporting and for the increase requests' "not below usage";
 *   a deleted service gives back its principals too.
 * Releases of connections come as commands from connection-broker (in the transaction that records them).
 */
export class UsageReactions {
  constructor(
    private readonly store: Store,
    private readonly ledgers: Ledgers,
    private readonly connectionFacts: ConnectionFacts,
  ) {}

  async handle(event: EventEnvelope): Promise<void> {
    await this.connectionFacts.record(event);
    if (!this.wants(event.type)) return;
    const runtime = this.store;
    const context: WriteContext = {
      principal: `service:${runtime.service}`,
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
    };
    const p = event.payload as Record<string, unknown>;
    await processOnce(runtime.db, `${runtime.service}.usage`, event.eventId, async (tx) => {
      if (CONNECTION_LIVE_EVENTS.has(event.type)) {
        await this.ledgers.confirmHolder(tx, String(p.vpcEndpointId), context);
        return;
      }
      const serviceId = String(p.serviceId);
      switch (event.type) {
        case 'endpointServiceCreated': {
          const owner = String(p.owner);
          await tx.query(`INSERT INTO qg_services (service_id, owner) VALUES ($1, $2) ON CONFLICT (service_id) DO NOTHING`, [
            serviceId,
            owner,
          ]);
          await this.ledgers.recordUsage(tx, servicesOf(owner), [serviceId], [], context);
          return;
        }
        case 'endpointServicePrincipalsAllowed':
        case 'endpointServicePrincipalsRemoved': {
          const owner = await this.ownerOf(tx, serviceId);
          if (!owner) return; // created before quota-guard kept its services: nothing to attribute it to
          const principals = (p.allowedPrincipals as AllowedPrincipal[]).map((a) => a.principal);
          const claim = { code: 'allowed-principals-per-service' as const, scope: { serviceId, providerAccountId: owner } };
          const allowed = event.type === 'endpointServicePrincipalsAllowed';
          await this.ledgers.recordUsage(tx, claim, allowed ? principals : [], allowed ? [] : principals, context);
          return;
        }
        case 'endpointServiceDeleted': {
          const owner = await this.ownerOf(tx, serviceId);
          if (!owner) return;
          await this.ledgers.recordUsage(tx, servicesOf(owner), [], [serviceId], context);
          await this.ledgers.releaseAllIn(
            tx,
            quotaLedgerId('allowed-principals-per-service', { serviceId, providerAccountId: owner }),
            context,
          );
          await tx.query(`UPDATE qg_services SET deleted = true WHERE service_id = $1`, [serviceId]);
          return;
        }
      }
    });
    runtime.notifyAppended();
  }

  private wants(type: string): boolean {
    return (
      CONNECTION_LIVE_EVENTS.has(type) ||
      type === 'endpointServiceCreated' ||
      type === 'endpointServicePrincipalsAllowed' ||
      type === 'endpointServicePrincipalsRemoved' ||
      type === 'endpointServiceDeleted'
    );
  }

  private async ownerOf(
    tx: { query: (sql: string, params: unknown[]) => Promise<Array<{ owner: string }>> },
    serviceId: string,
  ): Promise<string | null> {
    const rows = await tx.query(`SELECT owner FROM qg_services WHERE service_id = $1`, [serviceId]);
    return rows[0]?.owner ?? null;
  }
}
