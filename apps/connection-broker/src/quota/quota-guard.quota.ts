import { EntityManager } from 'typeorm';
import { CommandOutcome, MessageEnvelope, connectionQuotaCommandId, quotaGuardCommands } from '@privatelink/contracts';
import { Clock, Store, WriteContext } from '@privatelink/platform';
import type { ConnectionWriter } from '../handlers/connection-writes';
import { QuotaDecision, QuotaPort, QuotaRequest } from './quota.port';

/**
 * The quota port on quota-guard, the owner of the quota ledgers: a request queues `reserveConnectionQuota`
 * (a release `releaseConnectionQuota`) in the broker's outbox, inside the transaction that records the
 * connection's event, and answers `pending`; quota-guard's answer comes back on the outcomes topic and
 * `QuotaDecisions` records it. The command ids derive from the endpoint, so a retried transaction or a
 * redelivery is the same command to quota-guard (it acts once per id).
 */
export class QuotaGuardQuota implements QuotaPort {
  readonly name = 'quota-guard';

  constructor(
    private readonly runtime: Store,
    private readonly clock: Clock,
  ) {}

  async request(request: QuotaRequest, tx: EntityManager): Promise<QuotaDecision> {
    await this.runtime.queue(quotaGuardCommands.reserveConnectionQuota, request, this.contextOf(request), tx);
    return { decision: 'pending' };
  }

  async release(request: QuotaRequest, tx: EntityManager): Promise<void> {
    await this.runtime.queue(quotaGuardCommands.releaseConnectionQuota, request, this.contextOf(request), tx);
  }

  private contextOf(request: QuotaRequest): WriteContext {
    return { ...this.runtime.reaction(`connection:${request.vpcEndpointId}`), occurredAt: this.clock().toISOString() };
  }
}

/**
 * Reads quota-guard's answers to the broker's reservations (its own consumer group on the outcomes topic,
 * recognised by their ids) and records them on the connections: granted → the workflow attaches the
 * connection; refused → it fails with QuotaExceeded. Recording is idempotent (a connection no longer
 * waiting for an answer decides nothing), so redeliveries are harmless.
 */
export class QuotaDecisions {
  constructor(
    private readonly store: Store,
    private readonly writer: Pick<ConnectionWriter, 'recordQuotaDecision'>,
  ) {}

  async onOutcome(message: MessageEnvelope): Promise<void> {
    if (message.kind !== 'outcome') return;
    const ours = connectionQuotaCommandId.parse(message.commandId);
    if (!ours || ours.kind !== 'reserve') return;
    await this.writer.recordQuotaDecision(
      ours.vpcEndpointId,
      decisionOf(message),
      this.store.reaction(message.metadata.correlationId, message.commandId),
    );
  }
}

/** quota-guard's answer as the connection takes it: a refusal by a rule (a malformed request) is a refusal too. */
function decisionOf(outcome: CommandOutcome): { granted: boolean; message?: string } {
  if (!outcome.ok) return { granted: false, message: outcome.error?.message ?? 'quota-guard refused the request' };
  const granted = outcome.result?.granted === true;
  return granted ? { granted } : { granted, message: typeof outcome.result?.message === 'string' ? outcome.result.message : undefined };
}
