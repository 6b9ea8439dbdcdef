import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export type Phase = 'starting' | 'serving' | 'stopping' | 'stopped';

/**
 * The process's HTTP listener, open from the first moment of start-up to the last of shutdown:
 * - starting (migrations, consumer group joins): `/health/live` answers 200, `/health/ready` 503, the API 503;
 * - serving: every request goes to the application (readiness then runs its checks);
 * - stopping: readiness answers 503 at once, new API requests 503 (`Connection: close`), requests already
 *   in flight finish (bounded by the drain timeout), then the listener closes.
 * An orchestrator thus never restarts a process that is still starting, and stops sending traffic to one
 * that is stopping before its consumers and relays stop.
 */
export class HttpFront {
  readonly server: Server;
  private current: Phase = 'starting';
  private app?: RequestListener;
  private inFlight = 0;
  private idle?: () => void;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get phase(): Phase {
    return this.current;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
  }

  /** From now on requests go to `app`. */
  serve(app: RequestListener): void {
    this.app = app;
    if (this.current === 'starting') this.current = 'serving';
  }

  /** Refuses new requests, lets those in flight finish (at most `timeoutMs`), then closes the listener. */
  async drain(timeoutMs: number): Promise<{ unfinished: number }> {
    if (this.current === 'stopped') return { unfinished: 0 };
    this.current = 'stopping';
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const unfinished = this.inFlight;
    this.current = 'stopped';
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return { unfinished };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.current === 'serving' && this.app) {
      this.inFlight++;
      res.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
      this.app(req, res);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const phase = this.current === 'starting' ? 'starting' : 'stopping';
    if (this.current !== 'starting') res.setHeader('Connection', 'close');
    if (path === '/health/live') return json(res, 200, { status: 'live', phase });
    if (path === '/health/ready') return json(res, 503, { status: phase === 'starting' ? 'not-ready' : 'stopping', phase, checks: {} });
    res.setHeader('Retry-After', '1');
    json(res, 503, { code: 'Unavailable', message: `the service is ${phase}; retry shortly`, requestId: randomUUID() });
  }
}

function json(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
