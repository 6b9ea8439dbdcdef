import { HOUR, Stack, configurationBecomes, callersOf, demoKeys, eventually, serviceWithName, startStack, verifyPath } from './support';

/**
 * The automatic checks, driven by the verifier's clock: the backoff polls of a pending name, the 48-hour
 * window, the daily re-check of verified names (verified → failed when the record is removed; pending
 * while the name servers cannot be reached), bounded concurrency, and a restart that resumes from the
 * schedule in Postgres. Real Knot, Postgres and Kafka; the tests move the clock, never wait for a timer.
 * NS sets are not cached here (PRIVATELINK_DNS_NS_CACHE_SECONDS=0), so a name server change shows at once.
 */
describe('automatic checks and the daily re-check', () => {
  let stack: Stack;
  const { provider } = callersOf(() => stack);
  const verify = (serviceId: string) => provider().post(verifyPath(serviceId));
  const advance = (ms: number) => {
    stack.clock.advance(ms);
    stack.core.scheduler.poke();
  };
  const opsRow = async (serviceId: string) => {
    const res = await stack.as(demoKeys.ops).get(`/v1/ops/dns-verifications?filter.service-id=${serviceId}`).expect(200);
    return res.body.dnsVerifications[0];
  };

  beforeAll(async () => {
    stack = await startStack('dnsv-recheck', { dnsEnv: { PRIVATELINK_DNS_NS_CACHE_SECONDS: '0', PRIVATELINK_DNS_CHECK_CONCURRENCY: '2' } });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('a pending name is polled: the record published later verifies it without a manual call', async () => {
    const { serviceId, record } = await serviceWithName(stack, `poll.${stack.zone}`);
    expect(record.nextCheckAt).toBeDefined();
    await stack.dns.setTxt(record.name!, [record.value!]);
    advance(2 * 60_000); // past the first poll, a minute after the start
    const config = await configurationBecomes(stack, serviceId, { state: 'verified' });
    expect(config.lastCheckedAt).toBeDefined();
  });

  it('a pending name without its record fails once the 48-hour window has passed', async () => {
    const { serviceId } = await serviceWithName(stack, `late.${stack.zone}`);
    await stack.dns.setRecords(`late.${stack.zone}`, 'A', ['192.0.2.20']);
    advance(49 * HOUR);
    const config = await configurationBecomes(stack, serviceId, { state: 'failed', reasonCode: 'RecordNotFound' });
    expect(config.reason).toMatch(/48 hours/);
    expect(config.nextCheckAt).toBeUndefined();
  });

  it('daily re-check: verified stays verified while the record is there, and moves to failed when it is removed', async () => {
    const { serviceId, record } = await serviceWithName(stack, `daily.${stack.zone}`);
    await stack.dns.setRecords(`daily.${stack.zone}`, 'A', ['192.0.2.21']); // the service's name resolves; only its TXT record goes away
    await stack.dns.setTxt(record.name!, [record.value!]);
    const first = (await verify(serviceId).expect(200)).body.privateDnsNameConfiguration;
    expect(first.state).toBe('verified');

    // a day later, the record still there: checked, still verified, next check a day on
    advance(25 * HOUR);
    await eventually(async () => {
      const row = await opsRow(serviceId);
      expect(Date.parse(row.lastCheckedAt)).toBeGreaterThan(Date.parse(first.lastCheckedAt));
      expect(row.state).toBe('verified');
      expect(Date.parse(row.nextCheckAt) - Date.parse(row.lastCheckedAt)).toBeLessThanOrEqual(24 * HOUR);
    });

    // the provider removes the record; the next daily re-check fails the name
    await stack.dns.removeTxt(record.name!);
    advance(25 * HOUR);
    const failed = await configurationBecomes(stack, serviceId, { state: 'failed', reasonCode: 'RecordNotFound' });
    expect(failed.reason).toMatch(/no longer found/);
    const row = await opsRow(serviceId);
    expect(row).toMatchObject({ state: 'failed', reasonCode: 'RecordNotFound', nextCheckAt: null });

    // a failed name is not polled any more: only a manual check looks again
    await stack.dns.setTxt(record.name!, [record.value!]);
    expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration.state).toBe('verified');
  });

  it('daily re-check: name servers that cannot be reached make a verified name pendingVerification, not failed', async () => {
    // sub.<zone> is its own zone; its name server ns1.sub.<zone> moves to an address where nothing listens
    const sub = `ns-moves.${stack.zone}`;
    await stack.dns.addZone(sub);
    try {
      const { serviceId, record } = await serviceWithName(stack, `api.${sub}`);
      await stack.dns.setTxt(record.name!, [record.value!]);
      expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration.state).toBe('verified');
      await stack.dns.setRecords(`ns1.${sub}`, 'A', ['127.0.0.2']);
      advance(25 * HOUR);
      const config = await configurationBecomes(stack, serviceId, { state: 'pendingVerification', reasonCode: 'NameServersUnreachable' });
      expect(config.nextCheckAt).toBeDefined();
      // they answer again: the next poll verifies it again
      await stack.dns.setRecords(`ns1.${sub}`, 'A', ['127.0.0.1']);
      advance(HOUR);
      await configurationBecomes(stack, serviceId, { state: 'verified' });
    } finally {
      await stack.dns.removeZone(sub);
    }
  });

  it('at most PRIVATELINK_DNS_CHECK_CONCURRENCY checks run at once', async () => {
    const names = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => serviceWithName(stack, `many${n}.${stack.zone}`)));
    for (const { record } of names) await stack.dns.setTxt(record.name!, [record.value!]);
    stack.core.scheduler.peakRunning = 0;
    advance(2 * 60_000);
    for (const { serviceId } of names) await configurationBecomes(stack, serviceId, { state: 'verified' });
    expect(stack.core.scheduler.peakRunning).toBeGreaterThan(0);
    expect(stack.core.scheduler.peakRunning).toBeLessThanOrEqual(2);
  });

  it('the schedule is state: a restarted verifier resumes it, and a lease left by a stopped one expires', async () => {
    const { serviceId, record } = await serviceWithName(stack, `resume.${stack.zone}`);
    await stack.dns.setRecords(`resume.${stack.zone}`, 'A', ['192.0.2.22']);
    await stack.dns.setTxt(record.name!, [record.value!]);
    expect((await verify(serviceId).expect(200)).body.privateDnsNameConfiguration.state).toBe('verified');
    await stack.restartVerifier();
    // as if a verifier had claimed the check and stopped before finishing it
    const leaseUntil = new Date(stack.clock.now().getTime() + 26 * HOUR).toISOString();
    await stack.core.runtime.db.query(`UPDATE dnsv_schedule SET lease_until = $2 WHERE service_id = $1`, [serviceId, leaseUntil]);
    await stack.dns.removeTxt(record.name!);
    const stream = `private-dns-verification-${serviceId}`;
    const eventsBefore = (await stack.core.runtime.store.readStream(stream)).length;
    advance(25 * HOUR); // due, but leased: every other due check runs, this one does not
    await stack.core.scheduler.runDueChecks();
    expect((await stack.core.runtime.store.readStream(stream)).length).toBe(eventsBefore);
    advance(2 * HOUR); // the lease has expired
    await configurationBecomes(stack, serviceId, { state: 'failed', reasonCode: 'RecordNotFound' });
  });

  it('the schedule can be derived from the event store again', async () => {
    const before = await stack.core.runtime.db.query(`SELECT service_id, state, next_check_at FROM dnsv_schedule ORDER BY service_id`);
    const rows = await stack.core.rebuildSchedule();
    const after = await stack.core.runtime.db.query(`SELECT service_id, state, next_check_at FROM dnsv_schedule ORDER BY service_id`);
    expect(rows).toBe(before.length);
    expect(after).toEqual(before);
  });
});
