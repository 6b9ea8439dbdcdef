import { ConfigError, loadConfig, loadConfigOrExit, parseDnsServer } from './config';

/** The loader refuses each of the `bad` values (one at a time, on top of `base`), naming its variable. */
function expectEachRefused(base: NodeJS.ProcessEnv, bad: Record<string, string>): void {
  for (const [variable, value] of Object.entries(bad)) {
    expect(() => loadConfig({ ...base, [variable]: value })).toThrow(new RegExp(variable));
  }
}

describe('the config loader', () => {
  const base = { PRIVATELINK_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', PRIVATELINK_KAFKA_BROKERS: '127.0.0.1:9092' };

  it('fills defaults for everything optional', () => {
    const c = loadConfig(base);
    expect(c.http.port).toBe(8080);
    expect(c.transport).toBe('kafka');
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.region).toBe('us-east-1');
  });

  it('names the bad variable and the value it got', () => {
    try {
      loadConfig({ ...base, PRIVATELINK_HTTP_PORT: 'eighty' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems[0]).toMatch(/^PRIVATELINK_HTTP_PORT: .*"eighty"/);
    }
  });

  it('requires brokers when the transport is Kafka', () => {
    expect(() => loadConfig({ PRIVATELINK_DATABASE_URL: base.PRIVATELINK_DATABASE_URL })).toThrow(/PRIVATELINK_KAFKA_BROKERS/);
  });

  it('does not require brokers for the in-process transport', () => {
    expect(loadConfig({ PRIVATELINK_TRANSPORT: 'in-process' }).transport).toBe('in-process');
  });

  it('refuses malformed brokers, regions and enums', () => {
    expectEachRefused(base, {
      PRIVATELINK_KAFKA_BROKERS: 'localhost',
      PRIVATELINK_REGION: 'Mars',
      PRIVATELINK_TRANSPORT: 'carrier-pigeon',
    });
  });
});

describe('the DNS settings (dns-verifier)', () => {
  const base = { PRIVATELINK_TRANSPORT: 'in-process' };

  it('defaults: system resolvers, no fallback, port 53, 2 s timeout, 2 tries', () => {
    expect(loadConfig(base).dns).toEqual({
      resolvers: [],
      fallbackResolvers: [],
      nameServerPort: 53,
      timeoutMs: 2000,
      tries: 2,
      nsCacheSeconds: 300,
      checkConcurrency: 32,
      schedulerPollMs: 5000,
      verifyWaitMs: 10000,
    });
  });

  it('parses server lists with optional ports, IPv4 and IPv6', () => {
    const c = loadConfig({
      ...base,
      PRIVATELINK_DNS_RESOLVERS: '127.0.0.1:55353, 10.0.0.2',
      PRIVATELINK_DNS_FALLBACK_RESOLVERS: '[::1]:5353,2001:db8::1',
    });
    expect(c.dns.resolvers).toEqual([
      { host: '127.0.0.1', port: 55353 },
      { host: '10.0.0.2', port: 53 },
    ]);
    expect(c.dns.fallbackResolvers).toEqual([
      { host: '::1', port: 5353 },
      { host: '2001:db8::1', port: 53 },
    ]);
    expect(parseDnsServer('ns1.example.com')).toBeUndefined();
  });

  it('refuses host names, bad ports and out-of-range numbers, naming the variable', () => {
    expectEachRefused(base, {
      PRIVATELINK_DNS_RESOLVERS: 'ns1.example.com',
      PRIVATELINK_DNS_FALLBACK_RESOLVERS: '127.0.0.1:99999',
      PRIVATELINK_DNS_TIMEOUT_MS: '0',
      PRIVATELINK_DNS_TRIES: 'many',
      PRIVATELINK_DNS_NAMESERVER_PORT: '0',
      PRIVATELINK_DNS_CHECK_CONCURRENCY: '0',
    });
  });
});

describe('the quota settings (quota-guard)', () => {
  const base = { PRIVATELINK_TRANSPORT: 'in-process' };

  it('defaults: 20 services per account, 1000 principals per service, 15 min reservations, 1 s scheduler, 10 s edge wait, 30 s ledger recount', () => {
    expect(loadConfig(base).quota).toEqual({
      servicesPerAccount: 20,
      allowedPrincipalsPerService: 1000,
      reservationTimeoutMs: 900000,
      schedulerPollMs: 1000,
      edgeWaitMs: 10000,
      reconcilePollMs: 30000,
    });
  });

  it('takes other values and refuses negative, fractional or out-of-range ones, naming the variable', () => {
    const c = loadConfig({
      ...base,
      PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '3',
      PRIVATELINK_QUOTA_ALLOWED_PRINCIPALS_PER_SERVICE: '0',
      PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: '5000',
    });
    expect(c.quota).toMatchObject({ servicesPerAccount: 3, allowedPrincipalsPerService: 0, reservationTimeoutMs: 5000 });
    expectEachRefused(base, {
      PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '-1',
      PRIVATELINK_QUOTA_ALLOWED_PRINCIPALS_PER_SERVICE: '1.5',
      PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: '10',
      PRIVATELINK_QUOTA_SCHEDULER_POLL_MS: 'often',
      PRIVATELINK_QUOTA_EDGE_WAIT_MS: '0',
    });
  });
});

describe('start-up with a bad configuration', () => {
  it('prints the variable that is wrong and exits non-zero instead of starting', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() =>
        loadConfigOrExit({
          PRIVATELINK_TRANSPORT: 'in-process',
          PRIVATELINK_HTTP_PORT: '99999',
          PRIVATELINK_DATABASE_URL: 'postgres://x@y/z',
        }),
      ).toThrow('exit 1');
      expect(String(stderr.mock.calls[0][0])).toMatch(/PRIVATELINK_HTTP_PORT/);
      expect(() => loadConfigOrExit({ PRIVATELINK_TRANSPORT: 'in-process' })).toThrow('exit 1');
      expect(String(stderr.mock.calls[1][0])).toMatch(/PRIVATELINK_DATABASE_URL: is required/);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
