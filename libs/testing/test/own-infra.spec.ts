// Integration test of OwnInfra: a second set of servers (the chaos suite's) beside the shared test servers.
// Run: npx jest --selectProjects integration libs/testing/test/own-infra.spec.ts
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OwnInfra, pgQuery, startPostgres, startSns } from '@privatelink/testing';

const answers = async (endpoint: string, timeoutMs = 2_000): Promise<boolean> => {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
};

describe('OwnInfra', () => {
  it('runs its own PostgreSQL and moto on other ports and folders; pausing and stopping them leaves the shared servers answering', async () => {
    const shared = await startPostgres();
    const sharedSns = await startSns();
    const infra = new OwnInfra({
      dir: join(tmpdir(), `pl-own-infra-${randomBytes(4).toString('hex')}`),
      pgPort: 56532,
      kafkaPort: 56192,
      kafkaControllerPort: 56193,
      motoPort: 56666,
    });
    await infra.reset();
    try {
      const url = await infra.start('postgres');
      expect(url).toBe('postgres://privatelink:privatelink@127.0.0.1:56532/privatelink');
      await pgQuery(url, 'CREATE TABLE own_infra_marker (id int)');
      // Another cluster: the shared server's database has no such table.
      expect(await pgQuery(shared.url, `SELECT to_regclass('own_infra_marker')::text AS t`)).toEqual([{ t: null }]);

      const endpoint = await infra.start('moto');
      expect(endpoint).toBe(infra.sns().endpoint);
      expect(await answers(endpoint)).toBe(true);
      infra.pauseSns();
      try {
        expect(await answers(endpoint, 1_000)).toBe(false);
        expect(await answers(sharedSns.endpoint)).toBe(true);
      } finally {
        infra.resumeSns();
      }
      expect(await answers(endpoint)).toBe(true);

      await infra.stop('postgres');
      await infra.stop('moto');
      await expect(pgQuery(url, 'SELECT 1')).rejects.toThrow();
      expect(await answers(endpoint, 1_000)).toBe(false);
      await expect(pgQuery(shared.url, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      expect(await answers(sharedSns.endpoint)).toBe(true);
    } finally {
      await infra.reset();
    }
  }, 300_000);
});
