// Looks TXT records up the way the guide's troubleshooting does ("first find the DNS servers that serve
// your domain, and then query those servers ... because those servers contain the most up-to-date
// information"): find the zone's name servers with an NS lookup walking up from the name to the zone apex,
// ask them directly (following a referral to a delegated subzone), and only when none of them answers,
// ask the configured recursive resolvers. A server that does not answer never makes a record "absent".
//
// Name server sets are cached per zone (for `nsCacheMs`) and concurrent discoveries of one zone share one
// lookup, so checks of many names in one zone share their NS lookups.
import { TxtLookup } from '@privatelink/domain';
import { DnsClient, DnsQueryError, DnsServer, serverLabel } from './dns-client';
import { DnsFormatError, DnsMessage, RCODE, RR, ResourceRecord, canonicalName, txtValue } from './wire';

export interface AuthoritativeResolverOptions {
  /** Servers NS discovery asks (recursive resolvers in production; the tests' Knot). */
  resolvers: DnsServer[];
  /** Recursive resolvers asked when the authoritative servers cannot be found or do not answer. */
  fallbackResolvers: DnsServer[];
  /** The port the zone's name servers are asked on (53 in production). */
  nameServerPort: number;
  nsCacheMs: number;
  /** Real time for the cache (not the verifier's schedule clock). */
  now?: () => number;
}

interface Zone {
  apex: string;
  servers: DnsServer[];
  expiresAt: number;
}

const MAX_REFERRALS = 8;
const MAX_CNAMES = 8;

export class AuthoritativeResolver {
  private readonly zones = new Map<string, Zone>();
  private readonly discoveries = new Map<string, Promise<Zone | null>>();
  private readonly addresses = new Map<string, { hosts: string[]; expiresAt: number }>();
  /** Counts for the benchmark and the logs. */
  readonly stats = { nsDiscoveries: 0, nsCacheHits: 0, fallbacks: 0 };

  constructor(
    private readonly client: DnsClient,
    private readonly options: AuthoritativeResolverOptions,
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The TXT records at `name`, from the zone's own name servers (or the fallback resolvers). */
  async lookupTxt(name: string): Promise<TxtLookup> {
    try {
      return await this.lookup(canonicalName(name), 0);
    } catch (error) {
      // A name that cannot be put on the wire (over 255 bytes) cannot exist in DNS either.
      if (error instanceof DnsFormatError) return { status: 'nxDomain' };
      throw error;
    }
  }

  private async lookup(name: string, cnames: number): Promise<TxtLookup> {
    const problems: string[] = [];
    let zone: Zone | null = null;
    try {
      zone = await this.zoneFor(name);
    } catch (error) {
      if (!(error instanceof DnsQueryError)) throw error;
      problems.push(`name server lookup: ${error.message}`);
    }
    for (let referrals = 0; zone && referrals <= MAX_REFERRALS; referrals++) {
      const outcome = await this.askAuthoritative(zone, name, problems);
      if (outcome.kind === 'answer') return this.readTxt(outcome.message, name, cnames);
      if (outcome.kind === 'referral') {
        zone = outcome.zone;
        continue;
      }
      this.zones.delete(zone.apex); // none answered: find them again next time
      break;
    }
    if (!zone && problems.length === 0) problems.push(`no name servers found for ${name}`);
    return this.askFallback(name, problems, cnames);
  }

  private async readTxt(message: DnsMessage, name: string, cnames: number): Promise<TxtLookup> {
    if (message.rcode === RCODE.NXDOMAIN) return { status: 'nxDomain' };
    const txt = message.answers.filter((r) => r.type === RR.TXT && r.name === name);
    if (txt.length > 0) return { status: 'records', values: txt.map(txtValue) };
    const cname = message.answers.find((r) => r.type === RR.CNAME && r.name === name);
    if (cname && cnames < MAX_CNAMES) {
      // The answer may carry the target's records already; otherwise look the target up on its own servers.
      const target = String(cname.data);
      const targetTxt = message.answers.filter((r) => r.type === RR.TXT && r.name === target);
      if (targetTxt.length > 0) return { status: 'records', values: targetTxt.map(txtValue) };
      return this.lookup(target, cnames + 1);
    }
    return { status: 'noData' };
  }

  /** Asks the zone's servers in turn: an answer, a referral to a subzone, or nothing usable from any. */
  private async askAuthoritative(
    zone: Zone,
    name: string,
    problems: string[],
  ): Promise<{ kind: 'answer'; message: DnsMessage } | { kind: 'referral'; zone: Zone } | { kind: 'none' }> {
    for (const server of zone.servers) {
      let message: DnsMessage;
      try {
        message = await this.client.query(server, name, RR.TXT, { recursionDesired: false });
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        problems.push(error.message);
        continue;
      }
      if (message.rcode === RCODE.NXDOMAIN || (message.rcode === RCODE.NOERROR && message.aa)) return { kind: 'answer', message };
      const delegation = referralOf(message, name);
      if (message.rcode === RCODE.NOERROR && delegation && delegation.apex !== zone.apex && isWithin(delegation.apex, zone.apex)) {
        const sub = await this.zoneFromNs(delegation.apex, delegation.hosts, message.additional);
        if (sub) return { kind: 'referral', zone: sub };
      }
      problems.push(`${serverLabel(server)} answered ${rcodeName(message.rcode)}${message.aa ? '' : ' without authority'} for ${name}`);
    }
    return { kind: 'none' };
  }

  private async askFallback(name: string, problems: string[], cnames: number): Promise<TxtLookup> {
    if (this.options.fallbackResolvers.length > 0) this.stats.fallbacks++;
    for (const server of this.options.fallbackResolvers) {
      let message: DnsMessage;
      try {
        message = await this.client.query(server, name, RR.TXT, { recursionDesired: true });
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        problems.push(`fallback ${error.message}`);
        continue;
      }
      // A recursive resolver's NOERROR/NXDOMAIN is an answer; a bare referral (a server that does not recurse) is not.
      const usable =
        message.rcode === RCODE.NXDOMAIN || (message.rcode === RCODE.NOERROR && (message.aa || message.ra || message.answers.length > 0));
      if (usable) return this.readTxt(message, name, cnames);
      problems.push(`fallback ${serverLabel(server)} answered ${rcodeName(message.rcode)} for ${name}`);
    }
    return { status: 'noAnswer', detail: summarize(problems) };
  }

  // ── zones and their name servers ──────────────────────────────────────────────────────────────

  /** The closest known zone enclosing `name` (cached), or one discovered by walking up from `name`. */
  async zoneFor(name: string): Promise<Zone | null> {
    const now = this.now();
    for (let candidate: string | null = name; candidate !== null; candidate = parentOf(candidate)) {
      const cached = this.zones.get(candidate);
      if (cached && cached.expiresAt > now) {
        this.stats.nsCacheHits++;
        return cached;
      }
    }
    let pending = this.discoveries.get(name);
    if (!pending) {
      pending = this.discover(name).finally(() => this.discoveries.delete(name));
      this.discoveries.set(name, pending);
    }
    return pending;
  }

  /**
   * `nslookup -type=NS <domain>`, walking up: the NS set owned by the name is the zone apex; a referral or
   * an SOA in the authority section names the apex directly; NXDOMAIN/NODATA/REFUSED go one label up.
   */
  private async discover(name: string): Promise<Zone | null> {
    this.stats.nsDiscoveries++;
    for (let q: string | null = name; q !== null;) {
      const message = await this.askResolvers(q, RR.NS);
      const own = message.answers.filter((r) => r.type === RR.NS && r.name === q);
      if (message.rcode === RCODE.NOERROR && own.length > 0)
        return this.zoneFromNs(
          q,
          own.map((r) => String(r.data)),
          message.additional,
        );
      const delegation = referralOf(message, q);
      if (message.rcode === RCODE.NOERROR && delegation) return this.zoneFromNs(delegation.apex, delegation.hosts, message.additional);
      const soa = message.authority.find((r) => r.type === RR.SOA);
      if (soa && soa.name !== q && isWithin(q, soa.name)) {
        q = soa.name; // the apex of the zone q is in: ask for its NS next
        continue;
      }
      q = parentOf(q);
    }
    return null;
  }

  /** A zone from NS host names, with addresses from glue or looked up; cached. */
  private async zoneFromNs(apex: string, hosts: string[], additional: ResourceRecord[]): Promise<Zone | null> {
    const cached = this.zones.get(apex);
    if (cached && cached.expiresAt > this.now()) return cached;
    const servers: DnsServer[] = [];
    for (const host of [...new Set(hosts.map(canonicalName))]) {
      const glue = additional.filter((r) => r.name === host && (r.type === RR.A || r.type === RR.AAAA)).map((r) => String(r.data));
      let addresses = glue;
      if (addresses.length === 0) {
        try {
          addresses = await this.addressesOf(host);
        } catch (error) {
          if (!(error instanceof DnsQueryError)) throw error;
          addresses = [];
        }
      }
      for (const address of addresses) servers.push({ host: address, port: this.options.nameServerPort });
    }
    if (servers.length === 0) return null;
    const zone = { apex, servers, expiresAt: this.now() + this.options.nsCacheMs };
    if (this.options.nsCacheMs > 0) this.zones.set(apex, zone);
    return zone;
  }

  /** A name server's IPv4 addresses ("for asking an NS by name you must resolve its address first"); cached. */
  private async addressesOf(host: string): Promise<string[]> {
    const cached = this.addresses.get(host);
    if (cached && cached.expiresAt > this.now()) return cached.hosts;
    const message = await this.askResolvers(host, RR.A);
    const hosts = message.answers.filter((r) => r.type === RR.A).map((r) => String(r.data));
    if (this.options.nsCacheMs > 0) this.addresses.set(host, { hosts, expiresAt: this.now() + this.options.nsCacheMs });
    return hosts;
  }

  /** Asks the discovery resolvers in turn; the first that answers at all (any response code) is taken. */
  private async askResolvers(name: string, type: number): Promise<DnsMessage> {
    let last: DnsQueryError | undefined;
    for (const server of this.options.resolvers) {
      try {
        return await this.client.query(server, name, type, { recursionDesired: true });
      } catch (error) {
        if (error instanceof DnsFormatError) throw new DnsQueryError('malformed', server, `${name} cannot be looked up: ${error.message}`);
        if (!(error instanceof DnsQueryError)) throw error;
        last = error;
      }
    }
    throw last ?? new DnsQueryError('unreachable', { host: '-', port: 0 }, 'no DNS resolvers are configured');
  }
}

/** A referral: no answer, NS records in the authority section owned by an ancestor of (or equal to) `name`. */
function referralOf(message: DnsMessage, name: string): { apex: string; hosts: string[] } | undefined {
  if (message.answers.length > 0) return undefined;
  const ns = message.authority.filter((r) => r.type === RR.NS && isWithin(name, r.name));
  if (ns.length === 0) return undefined;
  return { apex: ns[0].name, hosts: ns.filter((r) => r.name === ns[0].name).map((r) => String(r.data)) };
}

/** `name` equals `zone` or is below it. */
function isWithin(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

function parentOf(name: string): string | null {
  const dot = name.indexOf('.');
  return dot < 0 ? null : name.slice(dot + 1);
}

function rcodeName(rcode: number): string {
  return Object.entries(RCODE).find(([, v]) => v === rcode)?.[0] ?? `rcode ${rcode}`;
}

function summarize(problems: string[]): string {
  const unique = [...new Set(problems)];
  return unique.length <= 3 ? unique.join('; ') : `${unique.slice(0, 3).join('; ')} (and ${unique.length - 3} more)`;
}
