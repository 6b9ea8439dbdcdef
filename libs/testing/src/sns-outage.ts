import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infra';

/**
 * Makes the local SNS server (moto, started by scripts/infra/moto.sh) stop answering without losing its
 * topics: the process is paused (SIGSTOP), so publishes hang and time out as they would against an
 * unreachable endpoint; `resumeSns` lets it go on (SIGCONT). moto keeps its state only in memory, so a
 * real stop would also forget every topic and subscription.
 */
export function pauseSns(infraDir?: string): void {
  process.kill(motoPid(infraDir), 'SIGSTOP');
}

export function resumeSns(infraDir?: string): void {
  process.kill(motoPid(infraDir), 'SIGCONT');
}

/** `infraDir`: the runtime folder of another set of servers (OwnInfra); default the shared `.infra`. */
function motoPid(infraDir?: string): number {
  if (!infraDir && process.env.PRIVATELINK_TEST_SNS_ENDPOINT)
    throw new Error('pauseSns needs the moto server started by scripts/infra/moto.sh');
  const pid = Number(readFileSync(join(infraDir ?? join(repoRoot(), '.infra'), 'moto', 'moto.pid'), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('no moto pid file');
  return pid;
}
