import { PollingLoop } from './polling-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the polling loop', () => {
  it('rounds that fail while a dependency is down are retried with backoff and reported once per streak, then its end', async () => {
    let rounds = 0;
    const errors: unknown[] = [];
    const recovered: number[] = [];
    const loop = new PollingLoop(
      async () => {
        rounds++;
        if (rounds <= 5) throw new Error('Connection terminated unexpectedly');
        return 0;
      },
      10,
      (error) => errors.push(error),
      { maxBackoffMs: 40, onRecovered: (failed) => recovered.push(failed) },
    );
    loop.start();
    await sleep(400);
    await loop.stop();
    expect(rounds).toBeGreaterThan(5);
    expect(errors).toHaveLength(1);
    expect(recovered).toEqual([5]);
  });

  it('backs off between failing rounds instead of retrying at the poll interval', async () => {
    let rounds = 0;
    const loop = new PollingLoop(
      async () => {
        rounds++;
        throw new Error('down');
      },
      1,
      () => undefined,
      { maxBackoffMs: 5_000 },
    );
    loop.start();
    await sleep(500);
    await loop.stop();
    // 100, 200, 400 ms pauses: about four rounds in half a second, not hundreds.
    expect(rounds).toBeLessThanOrEqual(5);
  });

  it('wakeIn runs a round before the next poll is due', async () => {
    const at: number[] = [];
    const started = Date.now();
    const loop = new PollingLoop(
      async () => (at.push(Date.now() - started), 0),
      60_000,
      () => undefined,
    );
    loop.start();
    await sleep(20);
    loop.wakeIn(50);
    await sleep(200);
    await loop.stop();
    expect(at.length).toBeGreaterThanOrEqual(2);
    expect(at[1]).toBeLessThan(1_000);
  });
});
