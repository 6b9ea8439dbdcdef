// DNS messages (RFC 1035) for the few record types the verifier asks about: encode a query, decode an
// answer. Pure functions over Buffers, so they are unit-tested without a network. The verifier speaks DNS
// itself (instead of a stub resolver) to ask a chosen server directly, see the exact response code
// (NXDOMAIN vs NODATA vs REFUSED), tell an authoritative answer from a referral, and keep no cache.

export const RR = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41 } as const;
export type RecordTypeName = keyof typeof RR;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface ResourceRecord {
  name: string;
  type: number;
  ttl: number;
  /** A/AAAA: address; NS/CNAME: a name; TXT: the character-strings; SOA: the fields; else the raw bytes. */
  data: string | string[] | SoaData | Buffer;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  minimum: number;
}

export interface DnsMessage {
  id: number;
  /** Authoritative answer, truncated, recursion available. */
  aa: boolean;
  tc: boolean;
  ra: boolean;
  rcode: number;
  question?: { name: string; type: number };
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

export class DnsFormatError extends Error {}

/** Lower case, no trailing dot: how names are compared everywhere here. */
export function canonicalName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

export function encodeName(name: string): Buffer {
  const canonical = canonicalName(name);
  const parts: Buffer[] = [];
  let length = 1;
  for (const label of canonical === '' ? [] : canonical.split('.')) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > 63) throw new DnsFormatError(`label '${label}' of ${name} cannot be sent (1 to 63 bytes)`);
    parts.push(Buffer.from([bytes.length]), bytes);
    length += bytes.length + 1;
  }
  if (length > 255) throw new DnsFormatError(`${name} is longer than 255 bytes on the wire`);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/**
 * A query for `name`/`type` with EDNS0 (1232-byte UDP payload, so larger TXT sets rarely truncate).
 * `recursionDesired` is set for recursive resolvers and cleared for authoritative servers.
 */
export function encodeQuery(id: number, name: string, type: number, recursionDesired: boolean): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(recursionDesired ? 0x0100 : 0, 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(0, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(1, 2); // IN
  const opt = Buffer.alloc(11);
  opt.writeUInt8(0, 0); // root name
  opt.writeUInt16BE(RR.OPT, 1);
  opt.writeUInt16BE(1232, 3); // UDP payload size
  opt.writeUInt32BE(0, 5); // extended rcode, version, flags
  opt.writeUInt16BE(0, 9); // no options
  return Buffer.concat([header, encodeName(name), question, opt]);
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it in the message. */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let jumps = 0; ;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the message');
    const len = buf[pos];
    if (len === 0) {
      pos += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1];
      if (++jumps > 64) throw new DnsFormatError('compression loop');
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError('unknown label type');
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the message');
    labels.push(buf.toString('utf8', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: canonicalName(labels.join('.')), next: next < 0 ? pos : next };
}

function readRecord(buf: Buffer, offset: number): { record: ResourceRecord; next: number } {
  const { name, next: afterName } = readName(buf, offset);
  if (afterName + 10 > buf.length) throw new DnsFormatError('record header runs past the message');
  const type = buf.readUInt16BE(afterName);
  const ttl = buf.readUInt32BE(afterName + 4);
  const rdlength = buf.readUInt16BE(afterName + 8);
  const start = afterName + 10;
  const end = start + rdlength;
  if (end > buf.length) throw new DnsFormatError('record data runs past the message');
  let data: ResourceRecord['data'];
  switch (type) {
    case RR.A:
      if (rdlength !== 4) throw new DnsFormatError('A record of the wrong length');
      data = `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
      break;
    case RR.AAAA: {
      if (rdlength !== 16) throw new DnsFormatError('AAAA record of the wrong length');
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(start + i).toString(16));
      data = groups.join(':');
      break;
    }
    case RR.NS:
    case RR.CNAME:
      data = readName(buf, start).name;
      break;
    case RR.SOA: {
      const m = readName(buf, start);
      const r = readName(buf, m.next);
      if (r.next + 20 > end) throw new DnsFormatError('SOA record too short');
      data = { mname: m.name, rname: r.name, serial: buf.readUInt32BE(r.next), minimum: buf.readUInt32BE(r.next + 16) };
      break;
    }
    case RR.TXT: {
      const strings: string[] = [];
      for (let p = start; p < end;) {
        const len = buf[p];
        if (p + 1 + len > end) throw new DnsFormatError('TXT string runs past its record');
        strings.push(buf.toString('utf8', p + 1, p + 1 + len));
        p += 1 + len;
      }
      data = strings;
      break;
    }
    default:
      data = buf.subarray(start, end);
  }
  return { record: { name, type, ttl, data }, next: end };
}

export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new DnsFormatError('message shorter than a DNS header');
  const flags = buf.readUInt16BE(2);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)];
  let offset = 12;
  let question: DnsMessage['question'];
  for (let i = 0; i < counts[0]; i++) {
    const { name, next } = readName(buf, offset);
    if (next + 4 > buf.length) throw new DnsFormatError('question runs past the message');
    if (i === 0) question = { name, type: buf.readUInt16BE(next) };
    offset = next + 4;
  }
  const sections: ResourceRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const { record, next } = readRecord(buf, offset);
      sections[s].push(record);
      offset = next;
    }
  }
  return {
    id: buf.readUInt16BE(0),
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 0x000f,
    question,
    answers: sections[0],
    authority: sections[1],
    additional: sections[2].filter((r) => r.type !== RR.OPT),
  };
}

/** A TXT record's value as a verifier compares it: its character-strings joined (RFC 7208 3.3). */
export function txtValue(record: ResourceRecord): string {
  return Array.isArray(record.data) ? record.data.join('') : '';
}
