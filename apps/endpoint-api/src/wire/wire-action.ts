// An action of the wire APIs: the roles that may call it, and how it runs on the same handlers and read-model
// queries as the REST routes (an action never holds a rule, a validation or a query of its own).
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DomainError } from '@privatelink/domain';
import { RequestContext, Role } from '@privatelink/platform';
import { Answer, consistencyTokenOf, StreamVersion } from '../http/consistency';
import { checkedRouteInput, routeOf } from '../http/route';

export interface WireCallContext {
  ctx: RequestContext;
  /** Streams the action wrote: the edge waits for their read models before answering (read-your-writes). */
  written: StreamVersion[];
}

export interface WireAction {
  roles: readonly Role[];
  /** `input` is the action's input shape of the model (libs/aws-wire's generated types name it). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action takes its own input shape
  run(input: any, call: WireCallContext): Promise<unknown>;
}

/** Actions keyed by `<api version>:<Action>`. */
export type WireActions = Record<string, WireAction>;

export const EC2 = '2016-11-15';
export const ELBV2 = '2015-12-01';

/** The entries of one API's table of actions: `<api version>:<Action>`, the roles that may call it and its run. */
export const actionsOf =
  (version: string) =>
  (action: string, roles: WireAction['roles'], run: WireAction['run']): [string, WireAction] => [`${version}:${action}`, { roles, run }];

/**
 * What the actions run that the wire module does not provide itself (the REST routes are the host module's
 * controllers, some queries its providers): looked up in the application, as HTTP would reach them.
 */
@Injectable()
export class WireResolver {
  constructor(private readonly modules: ModuleRef) {}

  get<T>(type: new (...args: never[]) => T): T {
    return this.modules.get(type, { strict: false });
  }
}

/** A token for the streams, for ConsistencyTokens.await. */
export const tokenOf = consistencyTokenOf;

/** A write that got no answer in time from its owner (202 on REST): EC2's answer to retry. */
export function notAnsweredInTime(): DomainError {
  return new DomainError('Unavailable', 'the request was accepted but its outcome is not known yet; describe the resources to see it');
}

/**
 * Runs a REST route's method as HTTP would: its input checked by the route's own spec (`@Input()`'s checks),
 * its `Answer` read for the streams written and the status.
 */
export async function runRoute<R extends object, K extends keyof R & string>(
  route: R,
  method: K,
  raw: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown },
  call: WireCallContext,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route answers its own body
): Promise<{ body: any; status: number }> {
  const fn = route[method] as unknown;
  const { spec, status } = routeOf(fn);
  const out: unknown = await (fn as (input: unknown, ctx: RequestContext) => Promise<unknown>).call(
    route,
    checkedRouteInput(spec, raw),
    call.ctx,
  );
  if (out instanceof Answer) {
    call.written.push(...out.written);
    return { body: out.body, status: out.status ?? status };
  }
  return { body: out, status };
}
