import { ConnectionQuotaPayload, quotaGuardCommands } from '@privatelink/contracts';
import { DomainError, LedgerScope, QUOTA_CATALOG, isQuotaCode, quotaIncreaseRequestDecider, quotaLedgerDecider } from '@privatelink/domain';
import { CommandHandler, commandHandler, registerCommandHandlers } from '@privatelink/platform';
import type { QuotaGuardCore } from '../quota-guard.core';
import {
  Claim,
  increaseRequestStream,
  ledgerFacts,
  ledgerStream,
  releaseHolder,
  reserveEverywhere,
  retryLedgerWrite,
} from './ledger-writes';

/**
 * The commands quota-guard owns. One runtime has one command consumer group: register every one here.
 * Instances share the command topic's partitions; the ledgers' stream versions (optimistic concurrency,
 * in the command's own transaction) are what keeps a limit across instances.
 */
export function registerQuotaCommands(core: QuotaGuardCore): void {
  registerCommandHandlers(core.runtime, [
    reserveConnectionQuota(core),
    releaseConnectionQuota(core),
    submitIncreaseRequest(core),
    approveIncreaseRequest(core),
    denyIncreaseRequest(core),
    setConnectionLimit(core),
  ]);
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
function reserveConnectionQuota(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.reserveConnectionQuota, async (p, { tx, command, context }) => {
    try {
      await reserveEverywhere(core, tx, p.vpcEndpointId, connectionClaims(p), context);
      return { vpcEndpointId: p.vpcEndpointId, granted: true };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'LimitExceeded') {
        core.logger.info({ vpcEndpointId: p.vpcEndpointId, details: error.details }, 'connection refused: quota exceeded');
        core.runtime.options.metrics.ops.countQuotaRefusal(error);
        return { vpcEndpointId: p.vpcEndpointId, granted: false, message: error.message };
      }
      throw error;
    }
  });
}

/** A rejected, deleted or failed connection gives back what it holds; giving back what is not held is a no-op. */
function releaseConnectionQuota(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.releaseConnectionQuota, async (p, { tx, command, context }) => {
    const released = await releaseHolder(core, tx, p.vpcEndpointId, context);
    return { vpcEndpointId: p.vpcEndpointId, released };
  });
}

function submitIncreaseRequest(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.submitQuotaIncreaseRequest, (p, { tx, command, context }) => {
    const streamId = increaseRequestStream(p.requestId);
    return retryLedgerWrite(tx, async () => {
      const { state, version } = await core.runtime.store.aggregate(
        streamId,
        quotaIncreaseRequestDecider.evolve,
        quotaIncreaseRequestDecider.initialState,
        tx,
      );
      // The ledger's limit and usage only where there is one (the decider refuses unknown and fixed codes first).
      const known = isQuotaCode(p.code) && QUOTA_CATALOG[p.code].adjustable && QUOTA_CATALOG[p.code].ledger;
      const facts = known
        ? await ledgerFacts(core, { code: p.code as never, scope: p.scope as LedgerScope }, tx)
        : { limit: null, usage: 0 };
      const events = quotaIncreaseRequestDecider.decide(
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
          now: core.now().toISOString(),
        },
        state,
      );
      await core.runtime.appendIn(tx, streamId, version, events, context);
      return { request: events.reduce(quotaIncreaseRequestDecider.evolve, state), streamId, version: version + events.length };
    });
  });
}

/** Ops approves: the request and the ledger's new limit in one transaction, so the limit applies at once. */
function approveIncreaseRequest(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.approveQuotaIncreaseRequest, (p, { tx, command, context }) => {
    const streamId = increaseRequestStream(p.requestId);
    return retryLedgerWrite(tx, async () => {
      const { state, version } = await core.runtime.store.aggregate(
        streamId,
        quotaIncreaseRequestDecider.evolve,
        quotaIncreaseRequestDecider.initialState,
        tx,
      );
      const claim: Claim | null = state ? { code: state.code, scope: state.scope } : null;
      const facts = claim ? await ledgerFacts(core, claim, tx) : null;
      const now = core.now().toISOString();
      const events = quotaIncreaseRequestDecider.decide(
        { type: 'approveQuotaIncreaseRequest', value: p.value, usage: facts?.usage ?? 0, decidedBy: command.metadata.principal, now },
        state,
      );
      const approved = events.find((e) => e.type === 'quotaIncreaseApproved');
      if (!approved || approved.type !== 'quotaIncreaseApproved' || !claim || !facts) throw new Error('an approval decided no approval');
      const ledgerEvents = quotaLedgerDecider.decide(
        {
          type: 'setLimit',
          code: claim.code,
          scope: claim.scope,
          limit: approved.value,
          source: { kind: 'increaseRequest', requestId: p.requestId, decidedBy: command.metadata.principal },
          now,
        },
        facts.state,
      );
      await core.runtime.appendIn(tx, streamId, version, events, context);
      await core.runtime.appendIn(tx, ledgerStream(facts.ledgerId), facts.loaded, ledgerEvents, context);
      return {
        request: events.reduce(quotaIncreaseRequestDecider.evolve, state),
        streamId,
        version: version + events.length,
        ledger: {
          streamId: ledgerStream(facts.ledgerId),
          version: facts.version + ledgerEvents.length,
          limit: approved.value,
          usage: facts.usage,
        },
      };
    });
  });
}

function denyIncreaseRequest(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.denyQuotaIncreaseRequest, (p, { tx, command, context }) => {
    const streamId = increaseRequestStream(p.requestId);
    return retryLedgerWrite(tx, async () => {
      const { state, version } = await core.runtime.store.aggregate(
        streamId,
        quotaIncreaseRequestDecider.evolve,
        quotaIncreaseRequestDecider.initialState,
        tx,
      );
      const events = quotaIncreaseRequestDecider.decide(
        { type: 'denyQuotaIncreaseRequest', reason: p.reason, decidedBy: command.metadata.principal, now: core.now().toISOString() },
        state,
      );
      await core.runtime.appendIn(tx, streamId, version, events, context);
      return { request: events.reduce(quotaIncreaseRequestDecider.evolve, state), streamId, version: version + events.length };
    });
  });
}

/** The provider's connection limit for one consumer account of its service (or `*`); null removes it. */
function setConnectionLimit(core: QuotaGuardCore): CommandHandler {
  return commandHandler(quotaGuardCommands.setConnectionLimit, (p, { tx, command, context }) => {
    const claim: Claim = {
      code: 'connections-per-consumer-per-service',
      scope: { serviceId: p.serviceId, providerAccountId: p.providerAccountId, consumerAccountId: p.consumerAccountId },
    };
    return retryLedgerWrite(tx, async () => {
      const facts = await ledgerFacts(core, claim, tx);
      const events = quotaLedgerDecider.decide(
        {
          type: 'setLimit',
          ...claim,
          limit: p.limit,
          source: { kind: 'provider', principal: p.principal, setBy: command.metadata.principal },
          now: core.now().toISOString(),
        },
        facts.state,
      );
      await core.runtime.appendIn(tx, ledgerStream(facts.ledgerId), facts.loaded, events, context);
      const after = await ledgerFacts(core, claim, tx);
      return {
        serviceId: p.serviceId,
        principal: p.principal,
        consumerAccountId: p.consumerAccountId,
        limit: after.state?.limit ?? null,
        effectiveLimit: after.limit,
        usage: after.usage,
        streamId: ledgerStream(facts.ledgerId),
        version: after.version,
      };
    });
  });
}
