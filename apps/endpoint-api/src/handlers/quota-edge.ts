import { EntityManager } from 'typeorm';
import { CommandDefinition } from '@privatelink/contracts';
import {
  DomainError,
  QUOTA_CATALOG,
  QuotaCode,
  QuotaDefaults,
  QuotaIncreaseRequestState,
  defaultQuotaLimit,
  quotaLedgerId,
} from '@privatelink/domain';
import { CommandGateway, PlatformConfig, RequestContext, ServiceRuntime, quotaDefaultsOf, throwIfRefused } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { CreateQuotaReadModels1764800000000 } from '../projections/quotas.migration';
import { QuotaLedgerDoc, quotaIncreaseRequestsProjection, quotaLedgersProjection } from '../projections/quotas.projection';
import { writeContext } from './command-result';

type Sql = Pick<EntityManager, 'query'>;

/**
 * The edge's side of quotas: the read models of quota-guard's ledgers and increase requests, the commands
 * it forwards to quota-guard (the only writer of those streams), and the quotas of what endpoint-api owns,
 * which it decides itself with the limits quota-guard's ledgers set: the endpoint services of an account
 * (in the create's transaction) and the allowed principals of a service (on the service's own stream).
 */
export class QuotaEdge {
  static readonly migrations = [CreateQuotaReadModels1764800000000];
  readonly ledgers: ProjectionRunner<QuotaLedgerDoc>;
  readonly requests: ProjectionRunner<QuotaIncreaseRequestState>;
  readonly defaults: QuotaDefaults;

  constructor(private readonly core: { runtime: ServiceRuntime; config: PlatformConfig; commands: CommandGateway }) {
    this.ledgers = core.runtime.addProjection(quotaLedgersProjection);
    this.requests = core.runtime.addProjection(quotaIncreaseRequestsProjection);
    this.defaults = quotaDefaultsOf(core.config);
  }

  /**
   * Forwards a command to quota-guard and waits (bounded) for its answer: a refusal is thrown as the rule's
   * DomainError; no answer in time is Unavailable (503): the command may still be carried out.
   */
  // The callers read the fields of the result they asked for (the request as the read model's view takes it).
  async ask<T extends string, P extends object, R extends object>(
    command: CommandDefinition<T, P, R>,
    payload: P,
    ctx: RequestContext,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<Record<string, any>> {
    const waitMs = this.core.config.quota.edgeWaitMs;
    const targetId = command.targetOf(payload);
    const outcome = await this.core.commands.send(command, payload, writeContext(ctx), waitMs);
    if (!outcome) {
      throw new DomainError(
        'Unavailable',
        `quota-guard did not answer within ${waitMs} ms; the request may still be carried out, retry or look it up later`,
        undefined,
        { targetId },
      );
    }
    throwIfRefused(outcome);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (outcome.result ?? {}) as Record<string, any>;
  }

  /**
   * endpoint-services-per-account, decided in the transaction that creates the service: the account's row
   * in `ea_account_services` is locked by the increment, so concurrent creates of one account (on any
   * instance) take turns and none overshoots; a refused create rolls its increment back. The limit is the
   * account's own (an approved increase, from quota-guard's ledger) or the configured default; quota-guard
   * counts the same services from the events for reporting.
   */
  async claimServicePlace(tx: Sql, providerAccountId: string): Promise<void> {
    const limit = await this.limitOf(
      'endpoint-services-per-account',
      quotaLedgerId('endpoint-services-per-account', { providerAccountId }),
      tx,
    );
    const [row]: Array<{ services: number }> = await tx.query(
      `INSERT INTO ea_account_services (account_id, services) VALUES ($1, 1)
       ON CONFLICT (account_id) DO UPDATE SET services = ea_account_services.services + 1 RETURNING services`,
      [providerAccountId],
    );
    if (limit !== null && row.services > limit) {
      throw new DomainError(
        'LimitExceeded',
        `account ${providerAccountId} has ${row.services - 1} endpoint services; its endpoint-services-per-account quota is ${limit} (ask for more with POST /v1/quotas/endpoint-services-per-account/increase-requests)`,
        undefined,
        { quotaCode: 'endpoint-services-per-account', limit, usage: row.services - 1 },
      );
    }
  }

  /** The service is deleted: its place in the account's quota is free again (in the deletion's transaction). */
  async releaseServicePlace(tx: Sql, providerAccountId: string): Promise<void> {
    await tx.query(`UPDATE ea_account_services SET services = greatest(services - 1, 0) WHERE account_id = $1`, [providerAccountId]);
  }

  /** A ledger's own limit (quota-guard's, as projected), else the default. */
  private async limitOf(code: QuotaCode, ledgerId: string, tx?: Sql): Promise<number | null> {
    const rows: Array<{ own_limit: number | null }> = await (tx ?? this.core.runtime.db).query(
      `SELECT own_limit FROM rm_quota_ledgers WHERE id = $1`,
      [ledgerId],
    );
    return rows[0]?.own_limit ?? defaultQuotaLimit(code, this.defaults);
  }

  /** The allowed-principals-per-service limit of a service: an approved increase (quota-guard's ledger), else the default. */
  allowedPrincipalsLimit(serviceId: string, providerAccountId: string, tx?: Sql): Promise<number | null> {
    return this.limitOf(
      'allowed-principals-per-service',
      quotaLedgerId('allowed-principals-per-service', { serviceId, providerAccountId }),
      tx,
    );
  }

  /** The limit that applies to a ledger row: its own, else (a consumer of a service) the provider's `*` limit, else the default. */
  effectiveLimit(code: QuotaCode, ownLimit: number | null, everyoneLimit?: number | null): number | null {
    if (ownLimit !== null && ownLimit !== undefined) return ownLimit;
    if (code === 'connections-per-consumer-per-service') return everyoneLimit ?? null;
    return defaultQuotaLimit(code, this.defaults);
  }

  /** The `*` limits of these services' consumers (connections-per-consumer-per-service). */
  async everyoneLimits(serviceIds: string[]): Promise<Map<string, number | null>> {
    if (serviceIds.length === 0) return new Map();
    const rows: Array<{ service_id: string; own_limit: number | null }> = await this.core.runtime.db.query(
      `SELECT service_id, own_limit FROM rm_quota_ledgers WHERE code = 'connections-per-consumer-per-service' AND consumer_account_id = '*' AND service_id = ANY($1)`,
      [serviceIds],
    );
    return new Map(rows.map((r) => [r.service_id, r.own_limit]));
  }

  /** SQL for the default limit of a ledger row's code (null: unlimited), with its parameters appended to `params`. */
  defaultLimitSql(column: string, params: unknown[]): string {
    const cases = (Object.keys(QUOTA_CATALOG) as QuotaCode[])
      .filter((code) => QUOTA_CATALOG[code].ledger)
      .map((code) => {
        params.push(code, defaultQuotaLimit(code, this.defaults));
        return `WHEN $${params.length - 1} THEN $${params.length}::integer`;
      });
    return `CASE ${column} ${cases.join(' ')} END`;
  }
}
