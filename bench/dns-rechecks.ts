import { randomInt } from 'node:crypto';
import pino from 'pino';
import { MessageTransport } from '@privatelink/contracts';
import { DAY_MS } from '@privatelink/domain';
import { loadConfig, Metrics, ReadinessRegistry } from '@privatelink/platform';
import { startDns } from '@privatelink/testing';
import { DnsVerifierCore } from '../apps/dns-verifier/src/dns-verifier.service';
import { writeVerificationIn } from '../apps/dns-verifier/src/handlers/verification-writes';
import { scheduleSummary } from '../apps/dns-verifier/src/projections/schedule';

export interface DnsRecheckResult {
  names: number;
  checks: number;
  seconds: number;
  checksPerSecond: number;
  concurrency: number;
  dnsQueries: number;
  queriesPerCheck: number;
  nsDiscoveries: number;
  stillVerified: number;
  seedSeconds: number;
}

const TOKEN = 'BenchToken0123456789AB';

/**
 * DESIGN.md section 9: "10,000 private DNS re-checks against the local DNS server". Seeds `names` verified
 * names (their events, as a real check would have written them) in one zone of the local Knot server, whose
 * wildcard TXT record answers every verification name with the names' common value; moves the verifier's
 * clock a day on, so every daily re-check is due; and times the scheduler running them all: each check asks
 * the zone's name server directly (name servers looked up once and shared) and writes its event and schedule
 * row. Nothing here asserts a time.
 */
export async function benchDnsRechecks(options: {
  databaseUrl: string;
  transport: MessageTransport;
  names: number;
  concurrency: number;
  say: (msg: string) => void;
}): Promise<DnsRecheckResult> {
  const { say } = options;
  const dns = await startDns();
  const zone = `bench-dnsv-${Date.now().toString(36)}.test`;
  await dns.addZone(zone);
  await dns.setTxt(`*.${zone}`, [`vpce:${TOKEN}`], 3600);
  let offsetMs = 0;
  const config = loadConfig({
    PRIVATELINK_DATABASE_URL: options.databaseUrl,
    PRIVATELINK_TRANSPORT: 'in-process',
    PRIVATELINK_DB_POOL_SIZE: String(Math.min(options.concurrency + 4, 40)),
    PRIVATELINK_DNS_RESOLVERS: `${dns.host}:${dns.port}`,
    PRIVATELINK_DNS_NAMESERVER_PORT: String(dns.port),
    PRIVATELINK_DNS_CHECK_CONCURRENCY: String(options.concurrency),
  });
  const core = await DnsVerifierCore.open(
    {
      config,
      transport: options.transport,
      metrics: new Metrics(),
      readiness: new ReadinessRegistry(),
      logger: pino({ level: 'warn' }),
      clock: () => new Date(Date.now() + offsetMs),
    },
    {
      random: {
        label: (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[randomInt(36)]).join(''),
        token: () => TOKEN,
        dailySlotMs: () => randomInt(DAY_MS),
      },
    },
  );
  try {
    say(`dns re-checks: seeding ${options.names} verified names in zone ${zone}`);
    const seedStarted = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < options.names; i = next++)
          await seedVerified(core, `vpce-svc-${(0xb000000 + i).toString(16).padStart(17, '0')}`, `svc${i}.${zone}`);
      }),
    );
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    offsetMs = DAY_MS + 60_000; // a day on: every daily re-check is due
    const due = (await scheduleSummary(core.runtime.db, core.now())).due;
    say(`dns re-checks: ${due} due; running them, ${options.concurrency} at a time`);
    const queriesBefore = core.client.queries;
    const discoveriesBefore = core.resolver.stats.nsDiscoveries;
    const started = process.hrtime.bigint();
    const checks = await core.scheduler.runDueChecks();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const dnsQueries = core.client.queries - queriesBefore;
    const [{ verified }] = await core.runtime.db.query(
      `SELECT count(*) FILTER (WHERE state = 'verified')::int AS verified FROM dnsv_schedule`,
    );
    return {
      names: options.names,
      checks,
      seconds: round(seconds),
      checksPerSecond: Math.round(checks / seconds),
      concurrency: options.concurrency,
      dnsQueries,
      queriesPerCheck: round(dnsQueries / Math.max(checks, 1)),
      nsDiscoveries: core.resolver.stats.nsDiscoveries - discoveriesBefore,
      stillVerified: verified,
      seedSeconds: round(seedSeconds),
    };
  } finally {
    await core.stop();
    await dns.removeZone(zone).catch(() => undefined);
  }
}

/** One verified name: its start and a found check, decided by the domain and appended in one transaction. */
async function seedVerified(core: DnsVerifierCore, serviceId: string, privateDnsName: string): Promise<void> {
  const now = core.now().toISOString();
  const context = { principal: 'bench', correlationId: 'bench-seed' };
  await core.runtime.transact(async (tx) => {
    const started = await writeVerificationIn(
      core.runtime,
      tx,
      serviceId,
      () => ({
        type: 'startVerification',
        serviceId,
        privateDnsName,
        label: core.random.label(12),
        token: core.random.token(),
        dailySlotMs: core.random.dailySlotMs(),
        sourceVersion: 1,
        now,
      }),
      context,
    );
    const s = started.state!;
    await writeVerificationIn(
      core.runtime,
      tx,
      serviceId,
      () => ({
        type: 'recordCheck',
        trigger: 'manual',
        recordName: s.recordName,
        recordValue: s.recordValue,
        outcome: { result: 'found', foundAt: s.recordName },
        startedAt: now,
        now,
      }),
      context,
    );
  });
}

const round = (x: number) => Math.round(x * 100) / 100;
