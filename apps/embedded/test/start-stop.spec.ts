import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { freePort, Run, startEmbedded, status } from './embedded-process';

/** pino lines at warn (40) or above, and anything that looks like a stack trace. */
function troubleIn(text: string): string[] {
  return text.split('\n').filter((line) => {
    if (/^\s+at .+\(.*:\d+:\d+\)$/.test(line)) return true;
    if (!line.startsWith('{')) return false;
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 40;
    } catch {
      return false;
    }
  });
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);

describe('starting and stopping the embedded default', () => {
  const folders: string[] = [];
  const runs: Run[] = [];

  afterAll(() => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    for (const folder of folders) {
      // A fallback folder outside the data folder (see below) is this test's to remove too.
      try {
        rmSync(dirname(readlinkSync(join(folder, 'data', 'postgres'))), { recursive: true, force: true });
      } catch {
        // no link: the files were inside the data folder
      }
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('liveness answers while it starts and readiness only once it is ready; SIGTERM stops it with exit 0 and no warning or error logged', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'privatelink-start-')); // mode 700, as mktemp -d makes it
    folders.push(folder);
    const [httpPort, pgPort] = [await freePort(), await freePort()];
    const run = startEmbedded({
      PRIVATELINK_HTTP_PORT: String(httpPort),
      PRIVATELINK_EMBEDDED_PG_PORT: String(pgPort),
      PRIVATELINK_DATA_DIR: join(folder, 'data'),
    });
    runs.push(run);
    const base = `http://127.0.0.1:${httpPort}`;

    // Bounded generously for a loaded 2-core machine: initdb, PostgreSQL, the migrations of five services.
    let liveWhileNotReady = false;
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (run.child.exitCode !== null)
        throw new Error(`exited while starting (${run.child.exitCode}):\n${run.stderr()}\n${run.stdout().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`not ready within 240 s:\n${run.stdout().slice(-2000)}`);
      const [live, ready] = [await status(`${base}/health/live`), await status(`${base}/health/ready`)];
      if (ready === 200) break;
      if (ready !== 'down') expect(ready).toBe(503); // never anything else while it starts
      if (live === 200 && ready === 503) liveWhileNotReady = true;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(liveWhileNotReady).toBe(true);
    expect(await status(`${base}/health/live`)).toBe(200);
    if (process.getuid?.() === 0) {
      // As root PostgreSQL runs as `postgres`, which cannot enter the mode-700 folder: it says where the files went.
      expect(run.stdout()).toMatch(/cannot enter; its database files are kept in \S+ instead/);
    }

    run.child.kill('SIGTERM');
    expect(await withTimeout(run.exited, 120_000, 'no exit after SIGTERM')).toBe(0);
    expect(run.stdout()).toMatch(/"msg":"embedded stopped"/);
    expect(troubleIn(run.stdout())).toEqual([]);
    expect(troubleIn(run.stderr())).toEqual([]);
  }, 400_000);

  it('a start that fails prints the real cause on stderr and exits non-zero: the PostgreSQL port is taken', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'privatelink-start-'));
    folders.push(folder);
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const pgPort = (taken.address() as { port: number }).port;
    try {
      const run = startEmbedded({
        PRIVATELINK_HTTP_PORT: String(await freePort()),
        PRIVATELINK_EMBEDDED_PG_PORT: String(pgPort),
        PRIVATELINK_DATA_DIR: join(folder, 'data'),
      });
      runs.push(run);
      expect(await withTimeout(run.exited, 240_000, 'no exit')).toBe(1);
      expect(run.stderr()).toMatch(/embedded failed to start: the embedded PostgreSQL did not start/);
      expect(run.stderr()).toMatch(new RegExp(`port ${pgPort} is in use.*PRIVATELINK_EMBEDDED_PG_PORT`));
      expect(run.stderr()).not.toMatch(/: undefined/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 300_000);

  it('a start that fails prints the real cause on stderr and exits non-zero: the HTTP port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const httpPort = (taken.address() as { port: number }).port;
    try {
      const folder = mkdtempSync(join(tmpdir(), 'privatelink-start-'));
      folders.push(folder);
      const run = startEmbedded({
        PRIVATELINK_HTTP_PORT: String(httpPort),
        PRIVATELINK_EMBEDDED_PG_PORT: String(await freePort()),
        PRIVATELINK_DATA_DIR: join(folder, 'data'),
      });
      runs.push(run);
      expect(await withTimeout(run.exited, 120_000, 'no exit')).toBe(1);
      expect(run.stderr()).toMatch(
        new RegExp(`embedded failed to start: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${httpPort}`),
      );
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 200_000);
});
