import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { ServiceOf, defineService, quotaDefaultsOf, registerCommandHandlers } from '@privatelink/platform';
import { CreateQuotaGuardTables1764800000000 } from './projections/migrations';
import { CreateQuotaGuardConnections1765000200000 } from './projections/connection-facts.migration';
import { Ledgers } from './handlers/ledger-writes';
import { quotaCommands } from './handlers/quota-commands';
import { UsageReactions } from './consumers/usage-reactions.consumer';
import { ConnectionFacts } from './consumers/connection-facts.consumer';
import { ExpiryScheduler } from './scheduler/expiry-scheduler';
import { LedgerReconciler } from './scheduler/ledger-reconciler';

/**
 * quota-guard: it owns the QuotaLedger streams (usage and limit per quota and scope) and the quota increase
 * requests. It decides the commands connection-broker and endpoint-api send it (reserve and release
 * capacity, increase requests, the provider's connection limits), confirms and releases from the other
 * services' events, and expires reservations whose request died. Any number of instances may run in one
 * consumer group: every limit is decided on its ledger's stream version. It has no HTTP routes of its own
 * (endpoint-api is the edge); it answers over Kafka.
 */
export const quotaGuard = defineService({
  name: 'quota-guard',
  migrations: [CreateQuotaGuardTables1764800000000, CreateQuotaGuardConnections1765000200000],
  wire: ({ runtime, config, metrics, logger, clock }) => {
    const defaults = quotaDefaultsOf(config);
    const ledgers = new Ledgers(runtime, clock, defaults, config.quota.reservationTimeoutMs);
    registerCommandHandlers(runtime, quotaCommands({ store: runtime, ledgers, clock, logger, metrics: metrics.ops }));
    const connectionFacts = new ConnectionFacts(runtime.db);
    const usage = new UsageReactions(runtime, ledgers, connectionFacts);
    runtime.addConsumer(
      'usage',
      [eventTopicFor(streamFamilies.endpointConnection), eventTopicFor(streamFamilies.endpointService)],
      (event) => usage.handle(event),
    );
    const reconciler = new LedgerReconciler(
      runtime,
      ledgers,
      metrics.quotaCorrections,
      config.quota.reconcilePollMs,
      logger.child({ component: 'ledger-reconciler' }),
    );
    const scheduler = new ExpiryScheduler(
      runtime,
      ledgers,
      clock,
      { pollMs: config.quota.schedulerPollMs },
      logger.child({ component: 'expiry-scheduler' }),
    );
    return {
      ledgers,
      defaults,
      connectionFacts,
      /** Corrects lost releases and confirmations against the connections quota-guard knows of. */
      reconciler,
      scheduler,
      start: () => {
        scheduler.start();
        reconciler.start();
      },
      stop: async () => {
        await reconciler.stop();
        await scheduler.stop();
      },
    };
  },
});

/** The running quota-guard (`app.get(QuotaGuardCore)`). */
export const QuotaGuardCore = quotaGuard.token;
export type QuotaGuardCore = ServiceOf<typeof quotaGuard>;
/** The module; `withClock`: the same service on another clock (a test's, to move reservations past their time). */
export const QuotaGuardModule = Object.assign(quotaGuard.module(), { withClock: (clock: () => Date) => quotaGuard.module({ clock }) });
