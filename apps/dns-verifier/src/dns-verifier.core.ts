import { getServers } from 'node:dns';
import { Counter } from 'prom-client';
import { MessageTransport } from '@privatelink/contracts';
import {
  DnsServerAddress,
  Logger,
  Metrics,
  PlatformConfig,
  ReadinessRegistry,
  ServiceRuntime,
  parseDnsServer,
  registerCommandHandlers,
} from '@privatelink/platform';
import { VerificationCheckResult, VerificationCheckTrigger } from '@privatelink/domain';
import { CreateDnsVerifierSchedule1764500000000 } from './projections/migrations';
import { rebuildSchedule } from './projections/schedule';
import { DnsClient } from './dns/dns-client';
import { AuthoritativeResolver } from './dns/authoritative-resolver';
import { VerificationChecker } from './dns/verification-checker';
import { PrivateDnsNameChanges } from './consumers/private-dns-name-changes.consumer';
import { startVerificationHandler } from './handlers/start-verification.handler';
import { RecheckScheduler } from './scheduler/recheck-scheduler';
import { RandomSource, cryptoRandom } from './random';

export interface DnsVerifierDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  /** The schedule's clock (tests move it forward); real time when absent. */
  clock?: () => Date;
  /** Record labels, tokens and daily slots; crypto randomness when absent. */
  random?: RandomSource;
}

/** How long a claimed scheduled check may run before another pass may claim it again. */
const LEASE_MS = 10 * 60_000;

/**
 * dns-verifier without the framework: its runtime (schema, event store, relay), the resolver that asks
 * the domains' own name servers, the reaction to private DNS name changes, the manual verification
 * command and the re-check scheduler. The Nest module, the tests and the benchmark build it the same way.
 */
export class DnsVerifierCore {
  static readonly service = 'dns-verifier';
  readonly client: DnsClient;
  readonly resolver: AuthoritativeResolver;
  readonly checker: VerificationChecker;
  readonly scheduler: RecheckScheduler;
  readonly random: RandomSource;
  readonly logger: Logger;
  private readonly checks: Counter<'trigger' | 'result'>;

  private constructor(
    readonly runtime: ServiceRuntime,
    readonly deps: DnsVerifierDeps,
  ) {
    const dns = deps.config.dns;
    this.logger = deps.logger.child({ service: DnsVerifierCore.service });
    this.random = deps.random ?? cryptoRandom;
    const queryLatency = deps.metrics.ops.dnsQueryDuration;
    this.client = new DnsClient({
      timeoutMs: dns.timeoutMs,
      tries: dns.tries,
      onAttempt: (seconds, outcome) => queryLatency.observe({ outcome }, seconds),
    });
    this.resolver = new AuthoritativeResolver(this.client, {
      resolvers: dns.resolvers.length > 0 ? dns.resolvers : systemResolvers(),
      fallbackResolvers: dns.fallbackResolvers,
      nameServerPort: dns.nameServerPort,
      nsCacheMs: dns.nsCacheSeconds * 1000,
    });
    this.checker = new VerificationChecker(this.resolver, () => this.now());
    this.scheduler = new RecheckScheduler(
      this,
      { concurrency: dns.checkConcurrency, pollMs: dns.schedulerPollMs, leaseMs: LEASE_MS },
      this.logger.child({ component: 'recheck-scheduler' }),
    );
    this.checks = new Counter({
      name: 'privatelink_dns_verification_checks_total',
      help: 'Private DNS name verification checks, by trigger (scheduled, manual) and result (found, notFound, unreachable)',
      labelNames: ['trigger', 'result'],
      registers: [deps.metrics.registry],
    });
    new PrivateDnsNameChanges(this).register();
    registerCommandHandlers(runtime, [startVerificationHandler(this)]);
  }

  static async open(deps: DnsVerifierDeps): Promise<DnsVerifierCore> {
    const runtime = await ServiceRuntime.open({
      service: DnsVerifierCore.service,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger: deps.logger.child({ service: DnsVerifierCore.service }),
      migrations: [CreateDnsVerifierSchedule1764500000000],
    });
    return new DnsVerifierCore(runtime, deps);
  }

  now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  countCheck(trigger: VerificationCheckTrigger, result: VerificationCheckResult): void {
    this.checks.inc({ trigger, result });
  }

  /** Derives the schedule from the event store again. */
  rebuildSchedule(): Promise<number> {
    return this.runtime.db.transaction((tx) => rebuildSchedule(tx, this.runtime.store));
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.runtime.stop();
  }
}

/** The system's resolvers (/etc/resolv.conf), for NS discovery when PRIVATELINK_DNS_RESOLVERS is not set. */
function systemResolvers(): DnsServerAddress[] {
  return getServers()
    .map((s) => parseDnsServer(s))
    .filter((s): s is DnsServerAddress => s !== undefined);
}
