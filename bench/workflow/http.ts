/**
 * The workload's HTTP client: plain fetch against a running endpoint-api (another process), with a bearer
 * key. A network error or timeout is status 0, so callers treat "the service is down" like any other answer.
 */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

export class ApiClient {
  /** Answers by kind (`2xx`, `404 InvalidVpcEndpointId.NotFound`, `503 ServiceUnavailable`, `network`): how the edge behaved under load and faults. */
  readonly statuses = new Map<string, number>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly timeoutMs = 15_000,
  ) {}

  async call(key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      const answer = text ? safeJson(text) : null;
      this.count(res.status < 300 ? '2xx' : `${res.status} ${(answer as { code?: string } | null)?.code ?? ''}`.trim());
      return { status: res.status, body: answer, headers: res.headers, ms: performance.now() - t0 };
    } catch {
      this.count('network');
      return { status: 0, body: null, headers: new Headers(), ms: performance.now() - t0 };
    }
  }

  private count(kind: string): void {
    this.statuses.set(kind, (this.statuses.get(kind) ?? 0) + 1);
  }
}

/** Worth trying again: the edge or a dependency is down or overloaded (never a 4xx rule violation). */
export function retryable(a: Answer): boolean {
  return a.status === 0 || a.status >= 500 || a.status === 429 || (a.status === 409 && a.body?.code === 'ConcurrentModification');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
