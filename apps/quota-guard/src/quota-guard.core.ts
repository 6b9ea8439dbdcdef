import { MessageTransport } from '@privatelink/contracts';
import { QuotaDefaults } from '@privatelink/domain';
import { Logger, Metrics, PlatformConfig, ReadinessRegistry, ServiceRuntime } from '@privatelink/platform';
import { CreateQuotaGuardTables1764800000000 } from './projections/migrations';
import { registerQuotaCommands } from './handlers/quota-commands';
import { UsageReactions } from './consumers/usage-reactions.consumer';
import { ExpiryScheduler } from './scheduler/expiry-scheduler';
import { ConnectionFacts } from './consumers/connection-facts.consumer';
import { LedgerReconciler } from './scheduler/ledger-reconciler';
import { CreateQuotaGuardConnections1765000200000 } from './projections/connection-facts.migration';

export interface QuotaGuardDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  /** The clock of reservations and their expiry (tests move it). */
  clock?: () => Date;
}

/**
 * quota-guard without the framework: it owns the QuotaLedger streams (usage and limit per quota and scope)
 * and the quota increase requests. It decides the commands connection-broker and endpoint-api send it
 * (reserve and release capacity, increase requests, the provider's connection limits), confirms and
 * releases from the other services' events, and expires reservations whose request died. Any number of
 * instances may run in one consumer group: every limit is decided on its ledger's stream version.
 */
export class QuotaGuardCore {
  static readonly service = 'quota-guard';
  readonly scheduler: ExpiryScheduler;
  /** Corrects lost releases and confirmations against the connections quota-guard knows of. */
  readonly reconciler: LedgerReconciler;
  /** What quota-guard knows of each connection (the reconciler's reference). */
  readonly connectionFacts: ConnectionFacts;
  readonly logger: Logger;
  /** The configurable defaults (endpoint services per account, allowed principals per service). */
  readonly defaults: QuotaDefaults;

  private constructor(
    readonly runtime: ServiceRuntime,
    readonly deps: QuotaGuardDeps,
  ) {
    this.logger = deps.logger.child({ service: QuotaGuardCore.service });
    this.defaults = quotaDefaultsOf(deps.config);
    registerQuotaCommands(this);
    this.connectionFacts = new ConnectionFacts(this);
    new UsageReactions(this).register();
    this.reconciler = new LedgerReconciler(this, deps.config.quota.reconcilePollMs, this.logger.child({ component: 'ledger-reconciler' }));
    this.scheduler = new ExpiryScheduler(
      this,
      { pollMs: deps.config.quota.schedulerPollMs },
      this.logger.child({ component: 'expiry-scheduler' }),
    );
  }

  static async open(deps: QuotaGuardDeps): Promise<QuotaGuardCore> {
    const runtime = await ServiceRuntime.open({
      service: QuotaGuardCore.service,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger: deps.logger.child({ service: QuotaGuardCore.service }),
      migrations: [CreateQuotaGuardTables1764800000000, CreateQuotaGuardConnections1765000200000],
    });
    return new QuotaGuardCore(runtime, deps);
  }

  now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.scheduler.start();
    this.reconciler.start();
  }

  async stop(): Promise<void> {
    await this.reconciler.stop();
    await this.scheduler.stop();
    await this.runtime.stop();
  }
}

/** The catalog defaults the configuration sets (PRIVATELINK_QUOTA_*). */
export function quotaDefaultsOf(config: PlatformConfig): QuotaDefaults {
  return {
    'endpoint-services-per-account': config.quota.servicesPerAccount,
    'allowed-principals-per-service': config.quota.allowedPrincipalsPerService,
  };
}
