// Sends one DNS question to one server and waits for its answer: UDP first, TCP when the answer is
// truncated; a timeout per attempt and a number of attempts. Every query uses a fresh socket (a random
// source port) and a random id, and only an answer to the same id and question is taken.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6, Socket as TcpSocket, connect } from 'node:net';
import { DnsFormatError, DnsMessage, canonicalName, decodeMessage, encodeQuery } from './wire';

export interface DnsServer {
  host: string;
  port: number;
}

export const serverLabel = (s: DnsServer) => (isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`);

/** Why a server gave no usable answer. */
export class DnsQueryError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'malformed',
    readonly server: DnsServer,
    message: string,
  ) {
    super(message);
  }
}

export interface DnsClientOptions {
  timeoutMs: number;
  /** Attempts per question per server. */
  tries: number;
  /** Sees each attempt's latency and outcome (the query latency metric). */
  onAttempt?: (seconds: number, outcome: 'answer' | DnsQueryError['kind']) => void;
}

export interface QueryOptions {
  /** Set RD for recursive resolvers; authoritative servers are asked without it. */
  recursionDesired: boolean;
}

export class DnsClient {
  /** Counts of questions sent (the benchmark and metrics read them). */
  queries = 0;

  constructor(readonly options: DnsClientOptions) {}

  /** Asks `server`; resolves with its answer (any response code), rejects with DnsQueryError when none came. */
  async query(server: DnsServer, name: string, type: number, options: QueryOptions): Promise<DnsMessage> {
    let lastError: DnsQueryError | undefined;
    for (let attempt = 1; attempt <= this.options.tries; attempt++) {
      const started = process.hrtime.bigint();
      const took = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        this.queries++;
        const udp = await this.udp(server, name, type, options);
        const answer = udp.tc ? await this.tcp(server, name, type, options) : udp;
        this.options.onAttempt?.(took(), 'answer');
        return answer;
      } catch (error) {
        if (!(error instanceof DnsQueryError)) throw error;
        this.options.onAttempt?.(took(), error.kind);
        lastError = error;
        // A refused connection (nothing listens) will not change within the same moment.
        if (error.kind === 'unreachable') break;
      }
    }
    throw lastError!;
  }

  private udp(server: DnsServer, name: string, type: number, options: QueryOptions): Promise<DnsMessage> {
    const id = randomInt(0, 0x10000);
    const query = encodeQuery(id, name, type, options.recursionDesired);
    return this.exchange(server, { over: '', suffix: '' }, (finish) => {
      const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
      socket.on('error', finish.unreachable);
      socket.on('message', (buf, from) => {
        if (from.port !== server.port) return;
        const message = tryDecode(buf);
        if (!message || !answers(message, id, name, type)) return; // not ours: keep waiting
        finish.answer(message);
      });
      socket.connect(server.port, server.host, () => socket.send(query));
      return () => socket.close();
    });
  }

  private tcp(server: DnsServer, name: string, type: number, options: QueryOptions): Promise<DnsMessage> {
    const id = randomInt(0, 0x10000);
    const query = encodeQuery(id, name, type, options.recursionDesired);
    const framed = Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query]);
    return this.exchange(server, { over: ' over TCP', suffix: ' (TCP)' }, (finish) => {
      let received = Buffer.alloc(0);
      const socket: TcpSocket = connect({ host: server.host, port: server.port });
      socket.on('connect', () => socket.write(framed));
      socket.on('error', finish.unreachable);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 2) return;
        const length = received.readUInt16BE(0);
        if (received.length < 2 + length) return;
        const message = tryDecode(received.subarray(2, 2 + length));
        if (!message || !answers(message, id, name, type))
          finish.failed(new DnsQueryError('malformed', server, `unusable TCP answer from ${serverLabel(server)}`));
        else finish.answer(message);
      });
      socket.on('end', () =>
        finish.failed(new DnsQueryError('malformed', server, `${serverLabel(server)} closed the TCP connection without an answer`)),
      );
      return () => socket.destroy();
    });
  }

  /**
   * One exchange over a fresh socket that `open` sets up (answering how to close it): settled once, by an
   * answer, an error or the timeout, and the socket closed then. `transport` names the protocol in the
   * messages (UDP: nothing; TCP: " over TCP" in the timeout's, " (TCP)" after the server in the socket error's).
   */
  private exchange(
    server: DnsServer,
    transport: { over: string; suffix: string },
    open: (finish: {
      answer(message: DnsMessage): void;
      failed(error: DnsQueryError): void;
      unreachable(error: NodeJS.ErrnoException): void;
    }) => () => void,
  ): Promise<DnsMessage> {
    return new Promise<DnsMessage>((resolve, reject) => {
      let done = false;
      let close = () => {}; // until the socket is open
      const settle = (error: DnsQueryError | null, message?: DnsMessage) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        close();
        if (error) reject(error);
        else resolve(message!);
      };
      const label = serverLabel(server);
      const timer = setTimeout(
        () => settle(new DnsQueryError('timeout', server, `no answer${transport.over} from ${label} within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      close = open({
        answer: (message) => settle(null, message),
        failed: (error) => settle(error),
        unreachable: (error) =>
          settle(new DnsQueryError('unreachable', server, `${label}${transport.suffix}: ${error.code ?? error.message}`)),
      });
      if (done) close();
    });
  }
}

function tryDecode(buf: Buffer): DnsMessage | undefined {
  try {
    return decodeMessage(buf);
  } catch (error) {
    if (error instanceof DnsFormatError) return undefined;
    throw error;
  }
}

/** The answer is to our question: same id, same name and type (a server may echo no question on errors). */
function answers(message: DnsMessage, id: number, name: string, type: number): boolean {
  if (message.id !== id) return false;
  if (!message.question) return true;
  return message.question.name === canonicalName(name) && message.question.type === type;
}
