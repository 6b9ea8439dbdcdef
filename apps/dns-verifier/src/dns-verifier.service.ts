import { getServers } from 'node:dns';
import { Counter } from 'prom-client';
import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { VerificationCheckResult, VerificationCheckTrigger } from '@privatelink/domain';
import { DnsServerAddress, ServiceOf, ServiceWiring, defineService, parseDnsServer, registerCommandHandlers } from '@privatelink/platform';
import { CreateDnsVerifierSchedule1764500000000 } from './projections/migrations';
import { rebuildSchedule } from './projections/schedule';
import { DnsClient } from './dns/dns-client';
import { AuthoritativeResolver } from './dns/authoritative-resolver';
import { VerificationChecker } from './dns/verification-checker';
import { PrivateDnsNameChanges } from './consumers/private-dns-name-changes.consumer';
import { startVerificationHandler } from './handlers/start-verification.handler';
import { RecheckScheduler } from './scheduler/recheck-scheduler';
import { RandomSource, cryptoRandom } from './random';

export interface DnsVerifierOptions {
  /** Record labels, tokens and daily slots; crypto randomness when absent. */
  random: RandomSource;
}

/** How long a claimed scheduled check may run before another pass may claim it again. */
const LEASE_MS = 10 * 60_000;

/**
 * dns-verifier: owns the PrivateDnsVerification streams and the re-check schedule. It reacts to private DNS
 * name changes of endpoint services (Kafka), answers the forwarded manual verification command (its DNS
 * queries in the command's prepare step, outside any transaction), and re-checks on schedule with the
 * resolver that asks the domains' own name servers. It serves no HTTP routes of its own (the edge is
 * endpoint-api). The schedule's clock (`clock`) is what tests move forward to make re-checks due.
 */
export const dnsVerifier = defineService({
  name: 'dns-verifier',
  migrations: [CreateDnsVerifierSchedule1764500000000],
  wire: ({ runtime, config, metrics, logger, clock, options }: ServiceWiring<DnsVerifierOptions>) => {
    const dns = config.dns;
    const random = options.random ?? cryptoRandom;
    const queryLatency = metrics.ops.dnsQueryDuration;
    const client = new DnsClient({
      timeoutMs: dns.timeoutMs,
      tries: dns.tries,
      onAttempt: (seconds, outcome) => queryLatency.observe({ outcome }, seconds),
    });
    const resolver = new AuthoritativeResolver(client, {
      resolvers: dns.resolvers.length > 0 ? dns.resolvers : systemResolvers(),
      fallbackResolvers: dns.fallbackResolvers,
      nameServerPort: dns.nameServerPort,
      nsCacheMs: dns.nsCacheSeconds * 1000,
    });
    const checker = new VerificationChecker(resolver, clock);
    const checks = new Counter({
      name: 'privatelink_dns_verification_checks_total',
      help: 'Private DNS name verification checks, by trigger (scheduled, manual) and result (found, notFound, unreachable)',
      labelNames: ['trigger', 'result'],
      registers: [metrics.registry],
    });
    const countCheck = (trigger: VerificationCheckTrigger, result: VerificationCheckResult) => checks.inc({ trigger, result });
    const scheduler = new RecheckScheduler(
      runtime,
      clock,
      checker,
      countCheck,
      { concurrency: dns.checkConcurrency, pollMs: dns.schedulerPollMs, leaseMs: LEASE_MS },
      logger.child({ component: 'recheck-scheduler' }),
    );
    const nameChanges = new PrivateDnsNameChanges(runtime, clock, random, logger);
    runtime.addConsumer('private-dns-names', [eventTopicFor(streamFamilies.endpointService)], (event) => nameChanges.apply(event));
    registerCommandHandlers(runtime, [startVerificationHandler({ store: runtime, clock, random, checker, countCheck })]);
    return {
      client,
      resolver,
      checker,
      scheduler,
      random,
      countCheck,
      /** Derives the schedule from the event store again. */
      rebuildSchedule: () => runtime.db.transaction((tx) => rebuildSchedule(tx, runtime.store)),
      start: () => scheduler.start(),
      stop: () => scheduler.stop(),
    };
  },
});

/** The running dns-verifier (`app.get(DnsVerifierCore)`). */
export const DnsVerifierCore = dnsVerifier.token;
export type DnsVerifierCore = ServiceOf<typeof dnsVerifier>;
/** The module; `register`: with an injected clock or randomness (tests, benchmark). */
export const DnsVerifierModule = Object.assign(dnsVerifier.module(), {
  register: (options: Partial<DnsVerifierOptions> & { clock?: () => Date }) => dnsVerifier.module(options),
});

/** The system's resolvers (/etc/resolv.conf), for NS discovery when PRIVATELINK_DNS_RESOLVERS is not set. */
function systemResolvers(): DnsServerAddress[] {
  return getServers()
    .map((s) => parseDnsServer(s))
    .filter((s): s is DnsServerAddress => s !== undefined);
}
