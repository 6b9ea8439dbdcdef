import { Request, Response } from 'express';
import { DomainError } from '@privatelink/domain';
import { ProjectionRunner } from '@privatelink/projections';

/**
 * Read-your-writes: a write answers `x-consistency-token: <stream>@<version>`; a read that sends the token
 * back waits (bounded) until the read model has applied that version, so a portal never shows stale state
 * right after its own write. On timeout the read answers what it has, marked `x-consistency: stale`.
 */
export function setConsistencyToken(res: Response, streamId: string, version: number): void {
  res.setHeader('x-consistency-token', `${streamId}@${version}`);
}

export async function awaitConsistency(req: Request, res: Response, runner: ProjectionRunner<unknown>, waitMs: number): Promise<void> {
  const header = req.headers['x-consistency-token'];
  if (header === undefined) return;
  const match = typeof header === 'string' ? /^(.{1,300})@(\d{1,9})$/.exec(header) : null;
  if (!match) throw new DomainError('InvalidParameterValue', 'x-consistency-token must be <stream>@<version> as a write answered it', 'x-consistency-token');
  const reached = await runner.waitFor(match[1], Number(match[2]), waitMs);
  res.setHeader('x-consistency', reached ? 'consistent' : 'stale');
}
