// An authoritative DNS server for integration tests: Knot DNS from scripts/infra/dns.sh on
// 127.0.0.1:55353 (UDP and TCP), serving example.test. and any zone added with addZone. Records
// change through Knot zone transactions (dns.sh set/unset) and are served as soon as the call
// returns. Always the script, Docker or not (knot is a Debian package).
import { promises as dnsPromises } from 'node:dns';
import { infraScript } from './infra';

export interface DnsServer {
  host: string;
  port: number;
  /** The zone every fresh server has: 'example.test'. */
  zone: string;
  /** Replaces the TXT records of `name` (absolute, e.g. '_privatelink.svc.example.test') by `values`. */
  setTxt(name: string, values: string[], ttl?: number): Promise<void>;
  removeTxt(name: string): Promise<void>;
  /** Replaces the NS records of `name` (a delegation point, or the zone apex) by `hosts`. */
  setNs(name: string, hosts: string[], ttl?: number): Promise<void>;
  removeNs(name: string): Promise<void>;
  /** Any record type, values in zone-file syntax (TXT values as plain strings). */
  setRecords(name: string, type: string, values: string[], ttl?: number): Promise<void>;
  /** Removes `name`'s records of `type`, or all of its records when no type is given. */
  removeRecords(name: string, type?: string): Promise<void>;
  /** Serves a new zone (SOA, NS ns1.<zone>, ns1.<zone> A 127.0.0.1); no-op when it exists. */
  addZone(zone: string): Promise<void>;
  removeZone(zone: string): Promise<void>;
  /** A resolver that asks this server only (1 s timeout, 2 tries). */
  resolver(): dnsPromises.Resolver;
}

/** Default TTL of records set by the helpers: 1 s, so no resolver keeps an old answer for long. */
const DEFAULT_TTL = 1;

/** Makes sure the DNS server runs and returns a handle to change its records. Idempotent. */
export async function startDns(): Promise<DnsServer> {
  const address = await infraScript('dns', 'start');
  const m = /^(.+):(\d+)$/.exec(address);
  if (!m) throw new Error(`dns.sh start printed no address: ${address}`);
  const host = m[1];
  const port = Number(m[2]);

  const setRecords = async (name: string, type: string, values: string[], ttl = DEFAULT_TTL) => {
    if (values.length === 0) {
      await removeRecords(name, type);
      return;
    }
    await infraScript('dns', 'set', name, type, '--ttl', String(ttl), ...values);
  };
  const removeRecords = async (name: string, type?: string) => {
    await infraScript('dns', 'unset', name, ...(type ? [type] : []));
  };

  return {
    host,
    port,
    zone: 'example.test',
    setRecords,
    removeRecords,
    setTxt: (name, values, ttl) => setRecords(name, 'TXT', values, ttl),
    removeTxt: (name) => removeRecords(name, 'TXT'),
    setNs: (name, hosts, ttl) => setRecords(name, 'NS', hosts, ttl),
    removeNs: (name) => removeRecords(name, 'NS'),
    addZone: async (zone) => {
      await infraScript('dns', 'add-zone', zone);
    },
    removeZone: async (zone) => {
      await infraScript('dns', 'remove-zone', zone);
    },
    resolver: () => {
      const r = new dnsPromises.Resolver({ timeout: 1000, tries: 2 });
      r.setServers([`${host}:${port}`]);
      return r;
    },
  };
}
