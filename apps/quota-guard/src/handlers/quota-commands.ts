import { ConnectionQuotaPayload, quotaGuardCommands } from '@privatelink/contracts';
import { DomainError, LedgerScope, QUOTA_CATALOG, QuotaCode, isQuotaCode, quotaLedgerId } from '@privatelink/domain';
import { Clock, CommandHandler, Logger, OpsMetrics, Store, commandHandler } from '@privatelink/platform';
import { Claim, Ledgers, increaseRequests, quotaLedgers, retryLedgerWrite } from './ledger-writes';

/**
 * The commands quota-guard owns. One runtime has one command consumer group: register all of them at once.
 * Instances share the command topic's partitions; the ledgers' stream versions (optimistic concurrency,
 * in the command's own transaction) are what keeps a limit across instances.
 */
export function quotaCommands(q: QuotaCommandPorts): CommandHandler[] {
  return [
    reserveConnectionQuota(q),
    releaseConnectionQuota(q),
    submitIncreaseRequest(q),
    approveIncreaseRequest(q),
    denyIncreaseRequest(q),
    setConnectionLimit(q),
  ];
}

/** What the command handlers use: the write path, the ledgers, the clock, and where refusals are told. */
export interface QuotaCommandPorts {
  store: Store;
  ledgers: Ledgers;
  clock: Clock;
  logger: Logger;
  metrics: Pick<OpsMetrics, 'countQuotaRefusal'>;
}

/**
 * Every scope a new connection counts in: its VPC (interface and Gateway Load Balancer endpoints together),
 * its account's connections to the service (always counted, so a limit the provider sets later sees the
 * true usage; unlimited until then), and for a Gateway Load Balancer endpoint each of its zones.
 */
export function connectionClaims(p: ConnectionQuotaPayload): Claim[] {
  const claims: Claim[] = [
    { code: 'vpc-endpoints-per-vpc', scope: { consumerAccountId: p.consumerAccountId, vpcId: p.vpcId } },
    {
      code: 'connections-per-consumer-per-service',
      scope: { serviceId: p.serviceId, providerAccountId: p.serviceOwner, consumerAccountId: p.consumerAccountId },
    },
  ];
  if (p.vpcEndpointType === 'GatewayLoadBalancer') {
    for (const zone of new Set(p.availabilityZoneIds ?? [])) {
      claims.push({
        code: 'gwlb-endpoints-per-zone-per-service-per-vpc',
        scope: { consumerAccountId: p.consumerAccountId, vpcId: p.vpcId, serviceId: p.serviceId, availabilityZoneId: zone },
      });
    }
  }
  return claims;
}

/** A connection asks for capacity: granted in every scope at once, or refused (an answer, `granted: false`). */
function reserveConnectionQuota(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.reserveConnectionQuota, async (p, { tx, command, context }) => {
    try {
      await q.ledgers.reserveEverywhere(tx, p.vpcEndpointId, connectionClaims(p), context);
      return { vpcEndpointId: p.vpcEndpointId, granted: true };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'LimitExceeded') {
        q.logger.info({ vpcEndpointId: p.vpcEndpointId, details: error.details }, 'connection refused: quota exceeded');
        q.metrics.countQuotaRefusal(error);
        return { vpcEndpointId: p.vpcEndpointId, granted: false, message: error.message };
      }
      throw error;
    }
  });
}

/** A rejected, deleted or failed connection gives back what it holds; giving back what is not held is a no-op. */
function releaseConnectionQuota(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.releaseConnectionQuota, async (p, { tx, command, context }) => {
    const released = await q.ledgers.releaseHolder(tx, p.vpcEndpointId, context);
    return { vpcEndpointId: p.vpcEndpointId, released };
  });
}

function submitIncreaseRequest(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.submitQuotaIncreaseRequest, (p, { tx, context }) =>
    retryLedgerWrite(tx, async () => {
      // The ledger's limit and usage only where there is one (the decider refuses unknown and fixed codes first).
      const known = isQuotaCode(p.code) && QUOTA_CATALOG[p.code].adjustable && QUOTA_CATALOG[p.code].ledger;
      const facts = known
        ? await q.ledgers.ledgerFacts({ code: p.code as QuotaCode, scope: p.scope as LedgerScope }, tx)
        : { limit: null, usage: 0 };
      const written = await q.store.handle(
        increaseRequests,
        p.requestId,
        {
          type: 'submitQuotaIncreaseRequest',
          requestId: p.requestId,
          code: p.code,
          scope: p.scope as LedgerScope,
          requester: p.requester,
          desiredValue: p.desiredValue,
          reason: p.reason,
          currentLimit: facts.limit,
          usage: facts.usage,
          now: q.clock().toISOString(),
        },
        context,
        { tx, attempts: 1 },
      );
      return { request: written.state, streamId: written.streamId, version: written.version };
    }),
  );
}

/**
 * Ops approves: the request and the ledger's new limit in one transaction, so the limit applies at once. The
 * ledger is loaded first (its usage is what the approval may not go below) and appended at that version, so a
 * reservation in between makes the whole approval run again.
 */
function approveIncreaseRequest(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.approveQuotaIncreaseRequest, (p, { tx, command, context }) =>
    retryLedgerWrite(tx, async () => {
      const decidedBy = command.metadata.principal;
      const now = q.clock().toISOString();
      const { state: request } = await q.store.load(increaseRequests, p.requestId, { tx });
      const approve = (usage: number) =>
        q.store.handle(
          increaseRequests,
          p.requestId,
          { type: 'approveQuotaIncreaseRequest', value: p.value, usage, decidedBy, now },
          context,
          { tx, attempts: 1 },
        );
      // No such request: the decider says so.
      if (!request) throw new Error(`approving ${p.requestId} decided nothing: ${(await approve(0)).events.length} events`);
      const claim: Claim = { code: request.code, scope: request.scope };
      const facts = await q.ledgers.ledgerFacts(claim, tx);
      const approved = await approve(facts.usage);
      const approval = approved.events.find((e) => e.type === 'quotaIncreaseApproved');
      if (!approval || approval.type !== 'quotaIncreaseApproved') throw new Error('an approval decided no approval');
      // Appended at the version the approval read its usage at: a reservation in between decides it all again.
      const ledger = await q.store.handle(
        quotaLedgers,
        facts.ledgerId,
        {
          type: 'setLimit',
          code: claim.code,
          scope: claim.scope,
          limit: approval.value,
          source: { kind: 'increaseRequest', requestId: p.requestId, decidedBy },
          now,
        },
        context,
        { tx, attempts: 1, expectedVersion: facts.version },
      );
      return {
        request: approved.state,
        streamId: approved.streamId,
        version: approved.version,
        ledger: { streamId: ledger.streamId, version: ledger.version, limit: approval.value, usage: facts.usage },
      };
    }),
  );
}

function denyIncreaseRequest(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.denyQuotaIncreaseRequest, (p, { tx, command, context }) =>
    retryLedgerWrite(tx, async () => {
      const written = await q.store.handle(
        increaseRequests,
        p.requestId,
        { type: 'denyQuotaIncreaseRequest', reason: p.reason, decidedBy: command.metadata.principal, now: q.clock().toISOString() },
        context,
        { tx, attempts: 1 },
      );
      return { request: written.state, streamId: written.streamId, version: written.version };
    }),
  );
}

/** The provider's connection limit for one consumer account of its service (or `*`); null removes it. */
function setConnectionLimit(q: QuotaCommandPorts): CommandHandler {
  return commandHandler(quotaGuardCommands.setConnectionLimit, (p, { tx, command, context }) => {
    const claim: Claim = {
      code: 'connections-per-consumer-per-service',
      scope: { serviceId: p.serviceId, providerAccountId: p.providerAccountId, consumerAccountId: p.consumerAccountId },
    };
    return retryLedgerWrite(tx, async () => {
      const written = await q.store.handle(
        quotaLedgers,
        quotaLedgerId(claim.code, claim.scope),
        {
          type: 'setLimit',
          ...claim,
          limit: p.limit,
          source: { kind: 'provider', principal: p.principal, setBy: command.metadata.principal },
          now: q.clock().toISOString(),
        },
        context,
        { tx, attempts: 1 },
      );
      const after = await q.ledgers.ledgerFacts(claim, tx);
      return {
        serviceId: p.serviceId,
        principal: p.principal,
        consumerAccountId: p.consumerAccountId,
        limit: after.state?.limit ?? null,
        effectiveLimit: after.limit,
        usage: after.usage,
        streamId: written.streamId,
        version: after.version,
      };
    });
  });
}
