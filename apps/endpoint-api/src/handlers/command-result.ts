import { RequestContext, WriteContext } from '@privatelink/platform';

/** What a command handler answers: the state now, and where it was written (for read-your-writes). */
export interface CommandResult<S> {
  state: S;
  streamId: string;
  version: number;
  /** True when a clientToken replay answered the first result. */
  replayed?: boolean;
}

export function writeContext(ctx: RequestContext): WriteContext {
  return { principal: ctx.caller.principal, correlationId: ctx.correlationId, causationId: ctx.requestId };
}
