import { randomBytes } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { DnsServer as KnotServer, startDns } from '@privatelink/testing';
import { DnsClient } from '../src/dns/dns-client';
import { AuthoritativeResolver } from '../src/dns/authoritative-resolver';

/**
 * The resolver against the real Knot DNS server on loopback: NS discovery walking up to the zone apex,
 * asking the zone's name server directly, a delegated subzone, and name servers that refuse or never
 * answer (never read as "absent"), with and without a fallback resolver.
 */
describe('AuthoritativeResolver against Knot', () => {
  let dns: KnotServer;
  let zone: string;
  let knot: { host: string; port: number };
  let blackHole: Socket;
  let blackHoleHost: string;

  const resolver = (options: { fallback?: boolean; timeoutMs?: number } = {}) => {
    const client = new DnsClient({ timeoutMs: options.timeoutMs ?? 1000, tries: 2 });
    return {
      client,
      resolver: new AuthoritativeResolver(client, {
        resolvers: [knot],
        fallbackResolvers: options.fallback ? [knot] : [],
        nameServerPort: knot.port,
        nsCacheMs: 60_000,
      }),
    };
  };

  beforeAll(async () => {
    dns = await startDns();
    knot = { host: dns.host, port: dns.port };
    zone = `dnsv-r${randomBytes(4).toString('hex')}.test`;
    await dns.addZone(zone);
    // A "name server" that takes questions and never answers, on the port name servers are asked on.
    blackHoleHost = `127.${10 + (randomBytes(1)[0] % 200)}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
    blackHole = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      blackHole.once('error', reject);
      blackHole.bind(knot.port, blackHoleHost, () => resolve());
    });
  }, 120_000);

  afterAll(async () => {
    blackHole?.close();
    await dns?.removeZone(zone);
  });

  it('finds the zone’s name servers by walking up, asks them, and reads TXT values', async () => {
    await dns.setTxt(`_rec.svc.${zone}`, ['vpce:AbC123xyz', 'other']);
    const { resolver: r, client } = resolver();
    const found = await r.lookupTxt(`_rec.svc.${zone}`);
    expect(found.status).toBe('records');
    expect((found as { values: string[] }).values.sort()).toEqual(['other', 'vpce:AbC123xyz']); // an RRset has no order
    // the zone is known now: the next name asks its server directly, without another NS lookup
    const before = client.queries;
    expect(await r.lookupTxt(`svc.${zone}`)).toEqual({ status: 'noData' });
    expect(client.queries - before).toBe(1);
    expect(r.stats.nsDiscoveries).toBe(1);
  });

  it('tells a name that does not exist (NXDOMAIN) from one without TXT records (NODATA)', async () => {
    const { resolver: r } = resolver();
    expect(await r.lookupTxt(`nothing-here.${zone}`)).toEqual({ status: 'nxDomain' });
    expect(await r.lookupTxt(zone)).toEqual({ status: 'noData' });
  });

  it('sees a change at once (no cache between checks)', async () => {
    const { resolver: r } = resolver();
    await dns.setTxt(`_chg.${zone}`, ['first']);
    expect(await r.lookupTxt(`_chg.${zone}`)).toEqual({ status: 'records', values: ['first'] });
    await dns.removeTxt(`_chg.${zone}`);
    expect(await r.lookupTxt(`_chg.${zone}`)).toEqual({ status: 'nxDomain' });
  });

  it('a subzone served by its own name servers: the walk stops at the subzone’s apex', async () => {
    const sub = `sub.${zone}`;
    await dns.addZone(sub);
    try {
      await dns.setRecords(`ns.${sub}`, 'A', ['127.0.0.1']);
      await dns.setNs(sub, [`ns.${sub}`]);
      await dns.setTxt(`_x.api.${sub}`, ['vpce:Delegated1']);
      const { resolver: r } = resolver();
      expect(await r.lookupTxt(`_x.api.${sub}`)).toEqual({ status: 'records', values: ['vpce:Delegated1'] });
      expect((await r.zoneFor(`api.${sub}`))?.apex).toBe(sub);
    } finally {
      await dns.removeZone(sub);
    }
  });

  it('a lame delegation (the delegated server does not answer for the subzone): no answer', async () => {
    // the parent delegates lame.<zone> to ns.lame.<zone> (Knot, which does not serve that zone: it refers again)
    const lame = `lame.${zone}`;
    await dns.setRecords(`ns.${lame}`, 'A', ['127.0.0.1']);
    await dns.setNs(lame, [`ns.${lame}`]);
    try {
      const { resolver: r } = resolver();
      expect((await r.zoneFor(`_w.${lame}`))?.apex).toBe(lame);
      const answer = await r.lookupTxt(`_w.${lame}`);
      expect(answer.status).toBe('noAnswer');
      expect((answer as { detail: string }).detail).toMatch(/without authority/);
    } finally {
      await dns.removeNs(lame);
      await dns.removeRecords(`ns.${lame}`);
    }
  });

  it('name servers that refuse the connection: no answer, never "absent"; the fallback resolver answers', async () => {
    const dead = `dead.${zone}`;
    await dns.addZone(dead);
    try {
      // the zone's only name server is at 127.0.0.2, where nothing listens
      await dns.setRecords(`ns-down.${dead}`, 'A', ['127.0.0.2']);
      await dns.setNs(dead, [`ns-down.${dead}`]);
      await dns.setTxt(`_y.${dead}`, ['vpce:ViaFallback1']);
      const alone = await resolver().resolver.lookupTxt(`_y.${dead}`);
      expect(alone.status).toBe('noAnswer');
      expect((alone as { detail: string }).detail).toMatch(/127\.0\.0\.2/);
      expect(await resolver({ fallback: true }).resolver.lookupTxt(`_y.${dead}`)).toEqual({
        status: 'records',
        values: ['vpce:ViaFallback1'],
      });
    } finally {
      await dns.removeZone(dead);
    }
  });

  it('name servers that never answer time out: no answer, never "absent"', async () => {
    const silent = `silent.${zone}`;
    await dns.addZone(silent);
    try {
      await dns.setRecords(`ns-silent.${silent}`, 'A', [blackHoleHost]);
      await dns.setNs(silent, [`ns-silent.${silent}`]);
      const r = resolver({ timeoutMs: 200 }).resolver;
      const answer = await r.lookupTxt(`_z.${silent}`);
      expect(answer.status).toBe('noAnswer');
      expect((answer as { detail: string }).detail).toMatch(/within 200 ms/);
    } finally {
      await dns.removeZone(silent);
    }
  });

  it('a domain no configured server knows: no answer (nothing to conclude from refusals)', async () => {
    const answer = await resolver({ timeoutMs: 300 }).resolver.lookupTxt(`_q.unknown-${randomBytes(3).toString('hex')}.invalid`);
    expect(answer.status).toBe('noAnswer');
  });
});
