import { DnsFormatError, RCODE, RR, canonicalName, decodeMessage, encodeName, encodeQuery, txtValue } from './wire';

/** A response as Knot would send it, built by hand with name compression (pointer 0xc00c = the question name). */
function response(options: {
  id: number;
  flags: number;
  qname: string;
  qtype: number;
  records: Buffer[];
  counts: [number, number, number];
}): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(options.id, 0);
  header.writeUInt16BE(options.flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(options.counts[0], 6);
  header.writeUInt16BE(options.counts[1], 8);
  header.writeUInt16BE(options.counts[2], 10);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(options.qtype, 0);
  q.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(options.qname), q, ...options.records]);
}

function rr(name: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, fixed, rdata]);
}

const POINTER_TO_QNAME = Buffer.from([0xc0, 0x0c]);
const txt = (...strings: string[]) =>
  Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));

describe('DNS wire format', () => {
  it('encodes a query: id, RD flag, one question, an EDNS0 OPT record', () => {
    const q = encodeQuery(0x1234, '_abc.Example.TEST.', RR.TXT, false);
    const decoded = decodeMessage(q);
    expect(decoded.id).toBe(0x1234);
    expect(q.readUInt16BE(2)).toBe(0);
    expect(encodeQuery(1, 'example.test', RR.NS, true).readUInt16BE(2)).toBe(0x0100);
    expect(decoded.question).toEqual({ name: '_abc.example.test', type: RR.TXT });
    expect(q.readUInt16BE(10)).toBe(1);
  });

  it('decodes TXT answers with compressed names; multi-string values are joined', () => {
    const buf = response({
      id: 7,
      flags: 0x8400, // QR, AA
      qname: '_abc.example.test',
      qtype: RR.TXT,
      counts: [2, 0, 0],
      records: [rr(POINTER_TO_QNAME, RR.TXT, 300, txt('vpce:', 'Token123')), rr(POINTER_TO_QNAME, RR.TXT, 300, txt('v=spf1 -all'))],
    });
    const m = decodeMessage(buf);
    expect(m).toMatchObject({ id: 7, aa: true, tc: false, rcode: RCODE.NOERROR });
    expect(m.answers.map((r) => [r.name, txtValue(r)])).toEqual([
      ['_abc.example.test', 'vpce:Token123'],
      ['_abc.example.test', 'v=spf1 -all'],
    ]);
  });

  it('decodes NXDOMAIN with the zone’s SOA in the authority section', () => {
    // authority owner "example.test" = pointer into the question name after "_abc." (offset 12 + 5)
    const soa = Buffer.concat([encodeName('ns1.example.test'), encodeName('hostmaster.example.test'), Buffer.alloc(20)]);
    soa.writeUInt32BE(42, soa.length - 20);
    soa.writeUInt32BE(1, soa.length - 4);
    const m = decodeMessage(
      response({
        id: 9,
        flags: 0x8403,
        qname: '_abc.example.test',
        qtype: RR.TXT,
        counts: [0, 1, 0],
        records: [rr(Buffer.from([0xc0, 12 + 5]), RR.SOA, 1, soa)],
      }),
    );
    expect(m.rcode).toBe(RCODE.NXDOMAIN);
    expect(m.authority[0]).toMatchObject({
      name: 'example.test',
      type: RR.SOA,
      data: { mname: 'ns1.example.test', serial: 42, minimum: 1 },
    });
  });

  it('decodes a referral: NS records in the authority section, glue A records in the additional section', () => {
    const m = decodeMessage(
      response({
        id: 3,
        flags: 0x8000,
        qname: 'x.sub.example.test',
        qtype: RR.TXT,
        counts: [0, 1, 1],
        records: [
          rr(Buffer.from([0xc0, 12 + 2]), RR.NS, 60, encodeName('ns.sub.example.test')),
          rr(encodeName('ns.sub.example.test'), RR.A, 60, Buffer.from([127, 0, 0, 9])),
        ],
      }),
    );
    expect(m.aa).toBe(false);
    expect(m.authority[0]).toMatchObject({ name: 'sub.example.test', type: RR.NS, data: 'ns.sub.example.test' });
    expect(m.additional[0]).toMatchObject({ name: 'ns.sub.example.test', type: RR.A, data: '127.0.0.9' });
  });

  it('reads truncation and the recursion-available flag', () => {
    const m = decodeMessage(response({ id: 1, flags: 0x8280, qname: 'example.test', qtype: RR.TXT, counts: [0, 0, 0], records: [] }));
    expect(m).toMatchObject({ tc: true, ra: true });
  });

  it('refuses malformed messages instead of misreading them', () => {
    expect(() => decodeMessage(Buffer.alloc(5))).toThrow(DnsFormatError);
    // An answer to a.test TXT whose one answer record is `record`.
    const answeredWith = (record: Buffer) =>
      response({ id: 1, flags: 0x8000, qname: 'a.test', qtype: RR.TXT, counts: [1, 0, 0], records: [record] });
    const loop = answeredWith(Buffer.from([0xc0, 0x1e]));
    // the answer's name points at itself
    loop.writeUInt16BE(0xc000 | (loop.length - 2), loop.length - 2);
    expect(() => decodeMessage(loop)).toThrow(DnsFormatError);
    const short = answeredWith(rr(POINTER_TO_QNAME, RR.TXT, 1, txt('abc')));
    expect(() => decodeMessage(short.subarray(0, short.length - 2))).toThrow(DnsFormatError);
  });

  it('refuses names that cannot be sent: labels over 63 bytes, names over 255', () => {
    expect(() => encodeName(`${'a'.repeat(64)}.test`)).toThrow(/1 to 63/);
    expect(() => encodeName(Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.'))).toThrow(/255/);
    expect(() => encodeName('a..test')).toThrow(DnsFormatError);
  });

  it('compares names in lower case without the trailing dot', () => {
    expect(canonicalName('Example.TEST.')).toBe('example.test');
  });
});
