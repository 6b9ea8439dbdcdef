// A minimal PostgreSQL client over the wire protocol (v3, simple queries only), built on Node's
// `net` and `crypto`, so that libs/testing needs no npm package to create and drop databases.
// Authentication: trust, cleartext, md5 and SCRAM-SHA-256 (the default of current servers). No TLS.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, Socket } from 'node:net';

export interface PgConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parsePgUrl(url: string): PgConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`not a postgres:// URL: ${url}`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password || ''),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username || 'postgres'),
  };
}

/** The same URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

export class PgError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PgError';
  }
}

type Message = { type: string; body: Buffer };

/** One connection; `query` runs a simple query and returns the rows as strings (null for NULL). */
export class PgWireClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<(m: Message | Error) => void> = [];
  private queue: Array<Message | Error> = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (err: Error) => {
      this.closed = true;
      this.push(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new PgError('connection closed by the server')));
  }

  static async connect(url: string, timeoutMs = 10_000): Promise<PgWireClient> {
    const o = parsePgUrl(url);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: o.host, port: o.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new PgError(`connect to ${o.host}:${o.port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    socket.setNoDelay(true);
    const client = new PgWireClient(socket);
    try {
      await client.startup(o);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return client;
  }

  async query(sql: string): Promise<Array<Array<string | null>>> {
    const body = Buffer.from(sql + '\0', 'utf8');
    this.send('Q', body);
    const rows: Array<Array<string | null>> = [];
    let error: PgError | undefined;
    for (;;) {
      const m = await this.next();
      if (m.type === 'D') rows.push(parseDataRow(m.body));
      else if (m.type === 'E') error = parseError(m.body);
      else if (m.type === 'Z') break;
      // T (row description), C (command complete), N (notice), S, I (empty query): nothing to do
    }
    if (error) throw error;
    return rows;
  }

  async end(): Promise<void> {
    if (!this.closed) {
      this.send('X', Buffer.alloc(0));
      this.closed = true;
    }
    await new Promise<void>((resolve) => this.socket.end(resolve));
    this.socket.destroy();
  }

  private async startup(o: PgConnectionOptions): Promise<void> {
    const params = Buffer.from(`user\0${o.user}\0database\0${o.database}\0client_encoding\0UTF8\0\0`, 'utf8');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4); // protocol 3.0
    this.socket.write(Buffer.concat([head, params]));

    let scram: ScramState | undefined;
    for (;;) {
      const m = await this.next();
      if (m.type === 'E') throw parseError(m.body);
      if (m.type === 'Z') return; // ReadyForQuery: logged in
      if (m.type !== 'R') continue; // S (parameter status), K (backend key), N (notice)
      const code = m.body.readInt32BE(0);
      switch (code) {
        case 0: // AuthenticationOk
          break;
        case 3: // cleartext
          this.send('p', Buffer.from(o.password + '\0', 'utf8'));
          break;
        case 5: {
          // md5(md5(password + user) + salt)
          const salt = m.body.subarray(4, 8);
          const inner = createHash('md5').update(o.password + o.user).digest('hex');
          const outer = createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex');
          this.send('p', Buffer.from('md5' + outer + '\0'));
          break;
        }
        case 10: {
          const mechanisms = m.body.subarray(4).toString('utf8').split('\0');
          if (!mechanisms.includes('SCRAM-SHA-256')) throw new PgError(`unsupported SASL: ${mechanisms.join(',')}`);
          scram = { nonce: randomBytes(18).toString('base64'), password: o.password };
          scram.clientFirstBare = `n=,r=${scram.nonce}`;
          const first = Buffer.from('n,,' + scram.clientFirstBare, 'utf8');
          const mech = Buffer.from('SCRAM-SHA-256\0', 'utf8');
          const len = Buffer.alloc(4);
          len.writeInt32BE(first.length, 0);
          this.send('p', Buffer.concat([mech, len, first]));
          break;
        }
        case 11: {
          if (!scram) throw new PgError('SASL continue without SASL start');
          this.send('p', Buffer.from(scramFinal(scram, m.body.subarray(4).toString('utf8')), 'utf8'));
          break;
        }
        case 12: {
          if (!scram?.serverSignature) throw new PgError('SASL final without SASL continue');
          const attrs = parseAttrs(m.body.subarray(4).toString('utf8'));
          const got = Buffer.from(attrs.v ?? '', 'base64');
          if (got.length !== scram.serverSignature.length || !timingSafeEqual(got, scram.serverSignature)) {
            throw new PgError('SCRAM: the server signature does not match');
          }
          break;
        }
        default:
          throw new PgError(`unsupported authentication method ${code}`);
      }
    }
  }

  private send(type: string, body: Buffer): void {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'ascii');
    head.writeInt32BE(body.length + 4, 1);
    this.socket.write(Buffer.concat([head, body]));
  }

  private drain(): void {
    while (this.buffer.length >= 5) {
      const len = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + len) return;
      const msg = { type: String.fromCharCode(this.buffer[0]), body: this.buffer.subarray(5, 1 + len) };
      this.buffer = this.buffer.subarray(1 + len);
      this.push(msg);
    }
  }

  private push(m: Message | Error): void {
    const w = this.waiters.shift();
    if (w) w(m);
    else this.queue.push(m);
  }

  private next(): Promise<Message> {
    const m = this.queue.shift();
    if (m) return m instanceof Error ? Promise.reject(m) : Promise.resolve(m);
    return new Promise((resolve, reject) => {
      this.waiters.push((x) => (x instanceof Error ? reject(x) : resolve(x)));
    });
  }
}

interface ScramState {
  nonce: string;
  password: string;
  clientFirstBare?: string;
  serverSignature?: Buffer;
}

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function scramFinal(st: ScramState, serverFirst: string): string {
  const a = parseAttrs(serverFirst);
  if (!a.r || !a.s || !a.i || !a.r.startsWith(st.nonce)) throw new PgError('SCRAM: bad server-first message');
  const salted = pbkdf2Sync(st.password.normalize('NFKC'), Buffer.from(a.s, 'base64'), Number(a.i), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${a.r}`;
  const authMessage = `${st.clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  st.serverSignature = createHmac('sha256', serverKey).update(authMessage).digest();
  return `${withoutProof},p=${proof.toString('base64')}`;
}

function parseDataRow(body: Buffer): Array<string | null> {
  const n = body.readInt16BE(0);
  const row: Array<string | null> = [];
  let off = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(off);
    off += 4;
    if (len < 0) row.push(null);
    else {
      row.push(body.subarray(off, off + len).toString('utf8'));
      off += len;
    }
  }
  return row;
}

function parseError(body: Buffer): PgError {
  const fields: Record<string, string> = {};
  let off = 0;
  while (off < body.length && body[off] !== 0) {
    const code = String.fromCharCode(body[off]);
    const end = body.indexOf(0, off + 1);
    fields[code] = body.subarray(off + 1, end).toString('utf8');
    off = end + 1;
  }
  return new PgError(`${fields.S ?? 'ERROR'}: ${fields.M ?? 'unknown error'}`, fields.C);
}

/** Connects, runs one simple query (may hold several statements), disconnects. */
export async function pgQuery(url: string, sql: string): Promise<Array<Array<string | null>>> {
  const client = await PgWireClient.connect(url);
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** SQL identifier quoting. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
