import { EntityManager } from 'typeorm';

/** What a connection asks capacity for: one connection of this consumer account (and VPC) to this service. */
export interface QuotaRequest {
  vpcEndpointId: string;
  consumerAccountId: string;
  vpcId: string;
  serviceId: string;
  serviceOwner: string;
  vpcEndpointType: 'Interface' | 'GatewayLoadBalancer';
  /** The endpoint's zones (a Gateway Load Balancer endpoint counts once per zone per service per VPC). */
  availabilityZoneIds: string[];
}

/**
 * The answer to a request: granted or refused now, or `pending` when the answer comes later (quota-guard
 * decides on its own ledger stream and answers asynchronously). A pending answer is delivered with
 * `ConnectionBrokerCore.recordQuotaDecision(vpcEndpointId, {granted, message})`, from whatever consumer
 * reads quota-guard's answers; the connection waits in `pending` (its stream says `quota: requested`).
 */
export type QuotaDecision = { decision: 'granted' } | { decision: 'refused'; message: string } | { decision: 'pending' };

/**
 * The quota port of the acceptance workflow. Both calls run inside the transaction that records the
 * connection's event (`connectionQuotaRequested`, `connectionQuotaReleased`), so an adapter that forwards a
 * command or writes a row does so atomically with it (queue it with `runtime.store.enqueue(topic, msg, tx)`).
 * Calls may repeat for one connection (a retried transaction): adapters must be idempotent per vpcEndpointId.
 * `release` gives back what `request` granted: a rejected, deleted or failed connection returns its capacity.
 */
export interface QuotaPort {
  readonly name: string;
  request(request: QuotaRequest, tx: EntityManager): Promise<QuotaDecision>;
  release(request: QuotaRequest, tx: EntityManager): Promise<void>;
}
