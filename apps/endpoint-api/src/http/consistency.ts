import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable, from, map, switchMap } from 'rxjs';
import { StreamFamily, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { DomainError, anyPrincipalMatches } from '@privatelink/domain';
import { connectionNotifications, endpointServices, loadBalancers } from '../aggregates';
import { Caller, PLATFORM_CONFIG, PlatformConfig } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { EndpointApiCore } from '../endpoint-api.core';

/**
 * Read-your-writes. Every write answers `x-consistency-token: <stream>@<version>` (a batch: several, joined
 * by commas); any later request, a read or a write, may send it back. The request then waits (bounded by
 * PRIVATELINK_READ_WAIT_MS) until the read model of each named stream has applied that version, and answers
 * `x-consistency: consistent`, or `stale` when the bound passed first (it then answers what it has).
 *
 * The token names streams, and stream ids are no secret, so the answer must not tell whether a stream the
 * caller may not see exists: a stream of another account answers exactly like one that does not exist
 * (`stale`, once the whole bound has passed). A malformed token, or one naming no known kind of stream, is
 * a 400 InvalidParameterValue.
 */
export const CONSISTENCY_TOKEN_HEADER = 'x-consistency-token';

/** One stream at the version a write left it. */
export interface StreamVersion {
  streamId: string;
  version: number;
}

/** At most this many streams in one token (a batch answers one per item; the batch bodies hold ≤ 100). */
const MAX_STREAMS = 100;
const ENTRY = /^(.{1,300})@(\d{1,9})$/;

function invalidToken(why: string): DomainError {
  return new DomainError(
    'InvalidParameterValue',
    `x-consistency-token ${why}; send it back as a write answered it (<stream>@<version>[,<stream>@<version>...])`,
    'x-consistency-token',
  );
}

/** The streams a token names, with their families; refuses a malformed or foreign-shaped token. */
export function parseConsistencyToken(header: unknown): Array<StreamVersion & { family: StreamFamily }> {
  if (typeof header !== 'string' || header.length === 0) throw invalidToken('must be a single header value');
  const parts = header.split(',').map((p) => p.trim());
  if (parts.length > MAX_STREAMS) throw invalidToken(`names more than ${MAX_STREAMS} streams`);
  return parts.map((part) => {
    const match = ENTRY.exec(part);
    if (!match) throw invalidToken('is malformed');
    let family: StreamFamily;
    try {
      family = parseStreamId(match[1]).family;
    } catch {
      throw invalidToken('names no known stream');
    }
    return { streamId: match[1], version: Number(match[2]), family };
  });
}

/** The header value for these streams (one entry per stream, the highest version of each). */
export function consistencyTokenOf(written: StreamVersion[]): string {
  const highest = new Map<string, number>();
  for (const w of written) highest.set(w.streamId, Math.max(highest.get(w.streamId) ?? 0, w.version));
  return [...highest].map(([streamId, version]) => `${streamId}@${version}`).join(',');
}

/**
 * What a route answers beyond its body: the streams it wrote (the `x-consistency-token` header) and a
 * status other than the route's own (201 or 200 for a replay, 202 when no answer came in time). The
 * interceptor below turns it into the response; a route never touches the response itself.
 */
export class Answer<T> {
  constructor(
    readonly body: T,
    readonly written: StreamVersion[] = [],
    readonly status?: number,
  ) {}
}

/** A write's answer: its body, where it wrote (a batch that wrote nothing answers no token), and its status if not the route's. */
export function answer<T>(body: T, written: StreamVersion | StreamVersion[], status?: number): Answer<T> {
  return new Answer(body, Array.isArray(written) ? written : [written], status);
}

/**
 * The one place tokens are honoured: which read model each kind of stream is read from, and whether the
 * caller may see a stream (its own account's, or, for a service, one it is allowed to connect to; ops: any).
 */
@Injectable()
export class ConsistencyTokens {
  constructor(
    private readonly core: EndpointApiCore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** Waits for the token the request carries (if any) and sets `x-consistency`. */
  async await(req: Request, res: Response, caller: Caller): Promise<void> {
    const outcome = await this.awaitToken(req.headers[CONSISTENCY_TOKEN_HEADER], caller);
    if (outcome) res.setHeader('x-consistency', outcome);
  }

  /** Waits (bounded) until the read models hold every stream version of a token: whether they did in time. */
  async awaitToken(header: string | string[] | undefined, caller: Caller): Promise<'consistent' | 'stale' | undefined> {
    if (header === undefined) return undefined;
    const streams = parseConsistencyToken(header);
    const deadline = Date.now() + this.config.readWaitMs;
    let consistent = true;
    for (const s of streams) {
      const reached = await this.runnerFor(s.family).waitFor(s.streamId, s.version, Math.max(0, deadline - Date.now()));
      if (!reached || !(await this.visible(caller, s.family, s.streamId))) consistent = false;
    }
    // What the caller may not see answers like what does not exist: stale, at the same moment.
    if (!consistent) await sleep(deadline - Date.now());
    return consistent ? 'consistent' : 'stale';
  }

  private runnerFor(family: StreamFamily): ProjectionRunner<unknown> {
    // One runner per family, each of its own document type.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const runners: Record<StreamFamily, ProjectionRunner<any>> = {
      [streamFamilies.loadBalancer]: this.core.loadBalancers,
      [streamFamilies.endpointService]: this.core.endpointServices,
      [streamFamilies.endpointConnection]: this.core.endpointConnections,
      [streamFamilies.privateDnsVerification]: this.core.privateDnsVerifications,
      [streamFamilies.connectionNotification]: this.core.connectionNotifications,
      [streamFamilies.notificationDelivery]: this.core.notificationDeliveries,
      [streamFamilies.quotaLedger]: this.core.quotas.ledgers,
      [streamFamilies.quotaIncreaseRequest]: this.core.quotas.requests,
      [streamFamilies.network]: this.core.network,
    };
    return runners[family];
  }

  /** Whether the caller may read the stream's resource; decided on the owner's record where endpoint-api owns it. */
  private async visible(caller: Caller, family: StreamFamily, streamId: string): Promise<boolean> {
    if (caller.role === 'ops') return true;
    const { runtime } = this.core;
    const account = caller.accountId;
    const id = parseStreamId(streamId).aggregateId;
    const row = async (sql: string) => (await runtime.db.query(sql, [id, account])).length > 0;
    switch (family) {
      case streamFamilies.loadBalancer:
        return (await runtime.load(loadBalancers, id)).state?.ownerAccountId === account;
      case streamFamilies.endpointService: {
        const { state } = await runtime.load(endpointServices, id);
        return !!state && (state.owner === account || anyPrincipalMatches(state.allowedPrincipals, caller.principal));
      }
      case streamFamilies.privateDnsVerification:
        return (await runtime.load(endpointServices, id)).state?.owner === account;
      case streamFamilies.connectionNotification:
        return (await runtime.load(connectionNotifications, id)).state?.ownerAccountId === account;
      case streamFamilies.endpointConnection:
        return row(`SELECT 1 FROM rm_endpoint_connections WHERE id = $1 AND (owner_account_id = $2 OR service_owner = $2)`);
      case streamFamilies.quotaLedger:
        return row(`SELECT 1 FROM rm_quota_ledgers WHERE id = $1 AND (consumer_account_id = $2 OR provider_account_id = $2)`);
      case streamFamilies.quotaIncreaseRequest:
        return row(`SELECT 1 FROM rm_quota_increase_requests WHERE id = $1 AND requester_account_id = $2`);
      case streamFamilies.network:
        return row(`SELECT 1 FROM rm_network WHERE id = $1 AND owner_account_id = $2`);
      case streamFamilies.notificationDelivery:
        return false; // ops' view only
    }
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * Read-your-writes on every authenticated route of endpoint-api: waits for the token a request carries
 * before its handler runs, and turns a route's `Answer` into its status and consistency token.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(private readonly tokens: ConsistencyTokens) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { caller?: Caller }>();
    const res = http.getResponse<Response>();
    const handled = () => next.handle().pipe(map((result) => (result instanceof Answer ? reply(res, result) : result)));
    if (!req.caller || req.headers[CONSISTENCY_TOKEN_HEADER] === undefined) return handled();
    return from(this.tokens.await(req, res, req.caller)).pipe(switchMap(handled));
  }
}

function reply<T>(res: Response, { body, written, status }: Answer<T>): T {
  if (written.length > 0) res.setHeader(CONSISTENCY_TOKEN_HEADER, consistencyTokenOf(written));
  if (status !== undefined) res.status(status);
  return body;
}
