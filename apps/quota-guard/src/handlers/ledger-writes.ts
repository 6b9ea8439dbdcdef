import { EntityManager } from 'typeorm';
import { streamFamilies } from '@privatelink/contracts';
import {
  DomainError,
  LedgerScope,
  QuotaCode,
  QuotaLedgerCommand,
  QuotaLedgerEvent,
  QuotaLedgerState,
  defaultQuotaLimit,
  effectiveQuotaLimit,
  quotaIncreaseRequestDecider,
  quotaLedgerDecider,
  quotaLedgerId,
  quotaLedgerKeysOf,
} from '@privatelink/domain';
import { EntryKeys, Loaded } from '@privatelink/eventstore';
import { WriteContext, defineAggregate, retryInTransaction } from '@privatelink/platform';
import type { QuotaGuardCore } from '../quota-guard.core';

/** The quota ledgers: a keyed state (one entry per holder), loaded with the holders a command names. */
export const quotaLedgers = defineAggregate(quotaLedgerDecider, streamFamilies.quotaLedger, { keysOf: quotaLedgerKeysOf });
export const increaseRequests = defineAggregate(quotaIncreaseRequestDecider, streamFamilies.quotaIncreaseRequest);

export const ledgerStream = (ledgerId: string) => quotaLedgers.streamOf(ledgerId);
export const increaseRequestStream = (requestId: string) => increaseRequests.streamOf(requestId);

/** How often a ledger write is decided again when other writers of the same ledger got there first. */
const LEDGER_ATTEMPTS = 40;

/** A quota a holder counts in, in one scope. */
export interface Claim {
  code: QuotaCode;
  scope: LedgerScope;
}

/**
 * A ledger as a command needs it: its summary (limit, usage) and the entries of the holders `keys` names
 * ([] for none, 'all' for every holder), from its snapshot; so the cost of a command does not grow with
 * the ledger's stream. `holdings` and `closed` hold only those holders: name every holder you read.
 */
export async function loadLedger(
  core: QuotaGuardCore,
  ledgerId: string,
  keys: EntryKeys,
  tx?: EntityManager,
): Promise<Loaded<QuotaLedgerState | null, QuotaLedgerEvent>> {
  return core.runtime.load(quotaLedgers, ledgerId, { keys, tx });
}

/**
 * The limit of a scope that has none of its own: the configured default, or, for one consumer account of a
 * service, the provider's limit for `*` (every account), unlimited when there is none.
 */
export async function fallbackLimit(core: QuotaGuardCore, code: QuotaCode, scope: LedgerScope, tx?: EntityManager): Promise<number | null> {
  if (code === 'connections-per-consumer-per-service' && scope.consumerAccountId !== '*') {
    const everyone = await loadLedger(core, quotaLedgerId(code, { ...scope, consumerAccountId: '*' }), [], tx);
    return everyone.state?.limit ?? null;
  }
  return defaultQuotaLimit(code, core.defaults);
}

/** A ledger's summary (no holders), the limit that applies to it now, and its usage; append after it with `loaded`. */
export async function ledgerFacts(core: QuotaGuardCore, claim: Claim, tx?: EntityManager) {
  const ledgerId = quotaLedgerId(claim.code, claim.scope);
  const loaded = await loadLedger(core, ledgerId, [], tx);
  const { state, version } = loaded;
  const limit = effectiveQuotaLimit(state, await fallbackLimit(core, claim.code, claim.scope, tx));
  return { ledgerId, state, version, limit, usage: state?.usage ?? 0, loaded };
}

/**
 * Retries a ledger write inside the caller's transaction (a savepoint per attempt). Running out of attempts
 * is contention, not a rule: it is thrown as a plain error, so the transaction rolls back and the message
 * is delivered again, instead of answering a refusal the caller would take for "over the limit".
 */
export async function retryLedgerWrite<T>(tx: EntityManager, work: () => Promise<T>): Promise<T> {
  try {
    return await retryInTransaction(tx, work, LEDGER_ATTEMPTS);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'ConcurrentModification')
      throw new Error(`quota ledger contention: ${error.message}`);
    throw error;
  }
}

/**
 * One ledger write inside `tx` (the write path, with the entries the command reads: `keys` for a command
 * built from the state). A conflict goes to the caller's `retryLedgerWrite`, which runs its whole unit again.
 */
function decideAndAppend(
  core: QuotaGuardCore,
  tx: EntityManager,
  ledgerId: string,
  command:
    QuotaLedgerCommand | QuotaLedgerCommand[] | { keys: EntryKeys; plan: (state: QuotaLedgerState | null) => QuotaLedgerCommand | null },
  context: WriteContext,
) {
  if ('plan' in command) return core.runtime.handle(quotaLedgers, ledgerId, command.plan, context, { tx, attempts: 1, keys: command.keys });
  return core.runtime.handle(quotaLedgers, ledgerId, command, context, { tx, attempts: 1 });
}

/**
 * Reserves one unit for `holderId` in every claimed scope, all or nothing, inside `tx`: the ledgers in a
 * fixed order (two transactions over the same ledgers never wait on each other in a cycle), each decided on
 * its current version with the limit that applies now; then the holds are written for confirm, release and
 * expiry. A full scope throws its LimitExceeded and the savepoint takes back what was reserved before it.
 * Reserving again for a holder that holds already is a no-op (the first reservation stands).
 */
export async function reserveEverywhere(
  core: QuotaGuardCore,
  tx: EntityManager,
  holderId: string,
  claims: Claim[],
  context: WriteContext,
): Promise<void> {
  const items = claims
    .map((c) => ({ ...c, ledgerId: quotaLedgerId(c.code, c.scope) }))
    .sort((a, b) => (a.ledgerId < b.ledgerId ? -1 : a.ledgerId > b.ledgerId ? 1 : 0));
  const now = core.now();
  const expiresAt = new Date(now.getTime() + core.deps.config.quota.reservationTimeoutMs).toISOString();
  await retryLedgerWrite(tx, async () => {
    const reserved: string[] = [];
    for (const item of items) {
      const limit = await fallbackLimit(core, item.code, item.scope, tx);
      const { events } = await decideAndAppend(
        core,
        tx,
        item.ledgerId,
        {
          keys: [holderId],
          plan: (state) => ({
            type: 'reserve',
            code: item.code,
            scope: item.scope,
            holderId,
            units: 1,
            limit: effectiveQuotaLimit(state, limit),
            now: now.toISOString(),
            expiresAt,
          }),
        },
        context,
      );
      if (events.length > 0) reserved.push(item.ledgerId);
    }
    for (const ledgerId of reserved) {
      await tx.query(
        `INSERT INTO qg_holds (holder_id, ledger_id, units, status, expires_at) VALUES ($1, $2, 1, 'reserved', $3)
         ON CONFLICT (holder_id, ledger_id) DO UPDATE SET units = 1, status = 'reserved', expires_at = EXCLUDED.expires_at, updated_at = now()`,
        [holderId, ledgerId, expiresAt],
      );
    }
  });
}

/** The holder's request completed (the connection is live): its reservations become permanent (a lapsed one is reinstated). */
export async function confirmHolder(core: QuotaGuardCore, tx: EntityManager, holderId: string, context: WriteContext): Promise<number> {
  return retryLedgerWrite(tx, async () => {
    const rows: Array<{ ledger_id: string }> = await tx.query(
      `SELECT ledger_id FROM qg_holds WHERE holder_id = $1 AND status IN ('reserved', 'expired') ORDER BY ledger_id`,
      [holderId],
    );
    const now = core.now().toISOString();
    for (const { ledger_id } of rows) await decideAndAppend(core, tx, ledger_id, { type: 'confirm', holderId, now }, context);
    if (rows.length > 0) {
      await tx.query(
        `UPDATE qg_holds SET status = 'confirmed', expires_at = NULL, updated_at = now() WHERE holder_id = $1 AND status IN ('reserved', 'expired')`,
        [holderId],
      );
    }
    return rows.length;
  });
}

/** Gives back everything `holderId` holds (reserved, confirmed, or lapsed: a late confirm must not bring it back). */
export async function releaseHolder(core: QuotaGuardCore, tx: EntityManager, holderId: string, context: WriteContext): Promise<number> {
  return retryLedgerWrite(tx, async () => {
    const rows: Array<{ ledger_id: string }> = await tx.query(
      `SELECT ledger_id FROM qg_holds WHERE holder_id = $1 AND status <> 'released' ORDER BY ledger_id`,
      [holderId],
    );
    const now = core.now().toISOString();
    for (const { ledger_id } of rows) await decideAndAppend(core, tx, ledger_id, { type: 'release', holderIds: [holderId], now }, context);
    if (rows.length > 0) {
      await tx.query(
        `UPDATE qg_holds SET status = 'released', expires_at = NULL, updated_at = now() WHERE holder_id = $1 AND status <> 'released'`,
        [holderId],
      );
    }
    return rows.length;
  });
}

/** Records usage its owner already decided (allowed principals), or gives it back. */
export async function recordUsage(
  core: QuotaGuardCore,
  tx: EntityManager,
  claim: Claim,
  add: string[],
  remove: string[],
  context: WriteContext,
): Promise<void> {
  const ledgerId = quotaLedgerId(claim.code, claim.scope);
  const now = core.now().toISOString();
  const commands: QuotaLedgerCommand[] = add.map((holderId) => ({
    type: 'recordUsage',
    code: claim.code,
    scope: claim.scope,
    holderId,
    units: 1,
    now,
  }));
  if (remove.length > 0) commands.push({ type: 'release', holderIds: remove, now });
  await retryLedgerWrite(tx, () => decideAndAppend(core, tx, ledgerId, commands, context));
}

/** Gives back everything a ledger holds (the scope itself is gone: a deleted service's principals). */
export async function releaseAllIn(core: QuotaGuardCore, tx: EntityManager, ledgerId: string, context: WriteContext): Promise<void> {
  const now = core.now().toISOString();
  await retryLedgerWrite(tx, () =>
    decideAndAppend(
      core,
      tx,
      ledgerId,
      {
        keys: 'all',
        plan: (state) =>
          state && Object.keys(state.holdings).length > 0 ? { type: 'release', holderIds: Object.keys(state.holdings), now } : null,
      },
      context,
    ),
  );
}

/**
 * Expires the lapsed reservations of one ledger in a transaction of its own, and marks their holds. The
 * ledger decides (on its own times) which are due; a conflicting writer makes it decide again.
 */
export async function expireInLedger(
  core: QuotaGuardCore,
  ledgerId: string,
  holderIds: string[],
  context: WriteContext,
): Promise<string[]> {
  return core.runtime.transact(async (tx) => {
    const now = core.now().toISOString();
    const { events } = await decideAndAppend(core, tx, ledgerId, { type: 'expire', now, holderIds }, context);
    const expired = events.flatMap((e) => (e.type === 'quotaReservationsExpired' ? e.holderIds : []));
    // Holds the ledger no longer counts as reserved (confirmed meanwhile) keep their status.
    if (expired.length > 0) {
      await tx.query(
        `UPDATE qg_holds SET status = 'expired', updated_at = now() WHERE ledger_id = $1 AND holder_id = ANY($2) AND status = 'reserved'`,
        [ledgerId, expired],
      );
    }
    return expired;
  }, LEDGER_ATTEMPTS);
}
