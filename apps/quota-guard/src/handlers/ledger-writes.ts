import { EntityManager } from 'typeorm';
import { streamFamilies } from '@privatelink/contracts';
import {
  DomainError,
  LedgerScope,
  QuotaCode,
  QuotaDefaults,
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
import { Clock, Store, WriteContext, defineAggregate, retryInTransaction } from '@privatelink/platform';

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
 * quota-guard's ledgers as its handlers, consumers and schedulers use them (the quota port): reads of a
 * ledger's summary and limits, and the writes that reserve, confirm, release, record and expire, each through
 * the write path inside the caller's transaction.
 */
export class Ledgers {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The configurable defaults (endpoint services per account, allowed principals per service). */
    readonly defaults: QuotaDefaults,
    private readonly reservationTimeoutMs: number,
  ) {}

  /**
   * A ledger as a command needs it: its summary (limit, usage) and the entries of the holders `keys` names
   * ([] for none, 'all' for every holder), from its snapshot; so the cost of a command does not grow with
   * the ledger's stream. `holdings` and `closed` hold only those holders: name every holder you read.
   */
  async loadLedger(ledgerId: string, keys: EntryKeys, tx?: EntityManager): Promise<Loaded<QuotaLedgerState | null, QuotaLedgerEvent>> {
    return this.store.load(quotaLedgers, ledgerId, { keys, tx });
  }

  /**
   * The limit of a scope that has none of its own: the configured default, or, for one consumer account of a
   * service, the provider's limit for `*` (every account), unlimited when there is none.
   */
  async fallbackLimit(code: QuotaCode, scope: LedgerScope, tx?: EntityManager): Promise<number | null> {
    if (code === 'connections-per-consumer-per-service' && scope.consumerAccountId !== '*') {
      const everyone = await this.loadLedger(quotaLedgerId(code, { ...scope, consumerAccountId: '*' }), [], tx);
      return everyone.state?.limit ?? null;
    }
    return defaultQuotaLimit(code, this.defaults);
  }

  /** A ledger's summary (no holders), the limit that applies to it now, and its usage; append after it with `loaded`. */
  async ledgerFacts(claim: Claim, tx?: EntityManager) {
    const ledgerId = quotaLedgerId(claim.code, claim.scope);
    const loaded = await this.loadLedger(ledgerId, [], tx);
    const { state, version } = loaded;
    const limit = effectiveQuotaLimit(state, await this.fallbackLimit(claim.code, claim.scope, tx));
    return { ledgerId, state, version, limit, usage: state?.usage ?? 0, loaded };
  }

  /**
   * One ledger write inside `tx` (the write path, with the entries the command reads: `keys` for a command
   * built from the state). A conflict goes to the caller's `retryLedgerWrite`, which runs its whole unit again.
   */
  private decideAndAppend(
    tx: EntityManager,
    ledgerId: string,
    command:
      QuotaLedgerCommand | QuotaLedgerCommand[] | { keys: EntryKeys; plan: (state: QuotaLedgerState | null) => QuotaLedgerCommand | null },
    context: WriteContext,
  ) {
    if ('plan' in command) return this.store.handle(quotaLedgers, ledgerId, command.plan, context, { tx, attempts: 1, keys: command.keys });
    return this.store.handle(quotaLedgers, ledgerId, command, context, { tx, attempts: 1 });
  }

  /**
   * Reserves one unit for `holderId` in every claimed scope, all or nothing, inside `tx`: the ledgers in a
   * fixed order (two transactions over the same ledgers never wait on each other in a cycle), each decided on
   * its current version with the limit that applies now; then the holds are written for confirm, release and
   * expiry. A full scope throws its LimitExceeded and the savepoint takes back what was reserved before it.
   * Reserving again for a holder that holds already is a no-op (the first reservation stands).
   */
  async reserveEverywhere(tx: EntityManager, holderId: string, claims: Claim[], context: WriteContext): Promise<void> {
    const items = claims
      .map((c) => ({ ...c, ledgerId: quotaLedgerId(c.code, c.scope) }))
      .sort((a, b) => (a.ledgerId < b.ledgerId ? -1 : a.ledgerId > b.ledgerId ? 1 : 0));
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.reservationTimeoutMs).toISOString();
    await retryLedgerWrite(tx, async () => {
      const reserved: string[] = [];
      for (const item of items) {
        const limit = await this.fallbackLimit(item.code, item.scope, tx);
        const { events } = await this.decideAndAppend(
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
  async confirmHolder(tx: EntityManager, holderId: string, context: WriteContext): Promise<number> {
    return retryLedgerWrite(tx, async () => {
      const rows: Array<{ ledger_id: string }> = await tx.query(
        `SELECT ledger_id FROM qg_holds WHERE holder_id = $1 AND status IN ('reserved', 'expired') ORDER BY ledger_id`,
        [holderId],
      );
      const now = this.clock().toISOString();
      for (const { ledger_id } of rows) await this.decideAndAppend(tx, ledger_id, { type: 'confirm', holderId, now }, context);
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
  async releaseHolder(tx: EntityManager, holderId: string, context: WriteContext): Promise<number> {
    return retryLedgerWrite(tx, async () => {
      const rows: Array<{ ledger_id: string }> = await tx.query(
        `SELECT ledger_id FROM qg_holds WHERE holder_id = $1 AND status <> 'released' ORDER BY ledger_id`,
        [holderId],
      );
      const now = this.clock().toISOString();
      for (const { ledger_id } of rows) await this.decideAndAppend(tx, ledger_id, { type: 'release', holderIds: [holderId], now }, context);
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
  async recordUsage(tx: EntityManager, claim: Claim, add: string[], remove: string[], context: WriteContext): Promise<void> {
    const ledgerId = quotaLedgerId(claim.code, claim.scope);
    const now = this.clock().toISOString();
    const commands: QuotaLedgerCommand[] = add.map((holderId) => ({
      type: 'recordUsage',
      code: claim.code,
      scope: claim.scope,
      holderId,
      units: 1,
      now,
    }));
    if (remove.length > 0) commands.push({ type: 'release', holderIds: remove, now });
    await retryLedgerWrite(tx, () => this.decideAndAppend(tx, ledgerId, commands, context));
  }

  /** Gives back everything a ledger holds (the scope itself is gone: a deleted service's principals). */
  async releaseAllIn(tx: EntityManager, ledgerId: string, context: WriteContext): Promise<void> {
    const now = this.clock().toISOString();
    await retryLedgerWrite(tx, () =>
      this.decideAndAppend(
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
  async expireInLedger(ledgerId: string, holderIds: string[], context: WriteContext): Promise<string[]> {
    return this.store.transact(async (tx) => {
      const now = this.clock().toISOString();
      const { events } = await this.decideAndAppend(tx, ledgerId, { type: 'expire', now, holderIds }, context);
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
