import { DatabaseError } from 'pg';
import { backoffMs, ConsumerPauses, ConsumerStopping, deliver, DeliveryOptions, RetryPolicy } from './retry';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const policy: RetryPolicy = { deterministicAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 };

function dbDown(): Error {
  const e = new DatabaseError('terminating connection due to administrator command', 0, 'error');
  e.code = '57P01';
  return e;
}

function harness(handle: () => Promise<void>, overrides: Partial<DeliveryOptions> = {}) {
  const waits: number[] = [];
  const deadLetters: Array<{ error: unknown; attempts: number }> = [];
  const pauses = new ConsumerPauses(silent);
  const options: DeliveryOptions = {
    handle,
    deadLetter: async (error, attempts) => void deadLetters.push({ error, attempts }),
    policy,
    logger: silent,
    pauses,
    groupId: 'svc.consumer',
    unit: 'topic/0',
    context: { topic: 'topic' },
    wait: async (ms) => void waits.push(ms),
    ...overrides,
  };
  return { options, waits, deadLetters, pauses };
}

describe('delivering a message by the kind of its failure', () => {
  it('a handler that fails while the database is down is retried until it passes, and nothing is dead-lettered', async () => {
    let calls = 0;
    const pausedDuring: number[] = [];
    const h = harness(async () => {
      calls++;
      pausedDuring.push(h.pauses.list().length);
      if (calls <= 40) throw dbDown();
    });
    expect(await deliver(h.options)).toBe('handled');
    expect(calls).toBe(41);
    expect(h.deadLetters).toHaveLength(0);
    // Paused from the first failure until the message passed, then resumed.
    expect(pausedDuring[1]).toBe(1);
    expect(h.pauses.list()).toHaveLength(0);
  });

  it('the pause between tries doubles and is capped', async () => {
    let calls = 0;
    const h = harness(async () => {
      if (++calls <= 12) throw dbDown();
    });
    await deliver(h.options);
    expect(h.waits).toHaveLength(12);
    h.waits.forEach((ms, i) => {
      const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(step / 2);
      expect(ms).toBeLessThanOrEqual(step);
    });
    expect(Math.max(...h.waits)).toBeLessThanOrEqual(policy.maxDelayMs);
  });

  it('a deterministic failure is tried a few times and then dead-lettered once', async () => {
    let calls = 0;
    const h = harness(async () => {
      calls++;
      throw new TypeError('cannot read serviceId');
    });
    expect(await deliver(h.options)).toBe('dead-lettered');
    expect(calls).toBe(3);
    expect(h.deadLetters).toEqual([{ error: expect.any(TypeError), attempts: 3 }]);
  });

  it('tries during an outage do not count towards the dead-letter limit', async () => {
    let calls = 0;
    const h = harness(async () => {
      calls++;
      if (calls <= 10) throw dbDown();
      throw new SyntaxError('Unexpected token');
    });
    expect(await deliver(h.options)).toBe('dead-lettered');
    expect(calls).toBe(13);
  });

  it('a dead letter that cannot be recorded while the database is down is recorded once it is back, never skipped', async () => {
    let recordTries = 0;
    const recorded: unknown[] = [];
    const h = harness(async () => Promise.reject(new TypeError('bad')), {
      deadLetter: async (error) => {
        if (++recordTries <= 5) throw dbDown();
        recorded.push(error);
      },
    });
    expect(await deliver(h.options)).toBe('dead-lettered');
    expect(recordTries).toBe(6);
    expect(recorded).toHaveLength(1);
  });

  it('with a retry budget (the in-process transport) an outage is handed back to the publisher', async () => {
    const h = harness(async () => Promise.reject(dbDown()), { retryableBudgetMs: 0 });
    await expect(deliver(h.options)).rejects.toThrow('administrator command');
    expect(h.deadLetters).toHaveLength(0);
  });

  it('a consumer that stops while it waits leaves the message unacknowledged', async () => {
    const h = harness(async () => Promise.reject(dbDown()), {
      wait: async () => {
        throw new ConsumerStopping();
      },
    });
    await expect(deliver(h.options)).rejects.toBeInstanceOf(ConsumerStopping);
    expect(h.deadLetters).toHaveLength(0);
  });

  it('a group stays paused until every one of its paused partitions passes again', () => {
    const pauses = new ConsumerPauses(silent);
    const failure = { kind: 'unavailable' as const, dependency: 'postgres' as const, reason: 'postgres 57P01' };
    pauses.pause('g', 'topic/0', failure, dbDown());
    pauses.pause('g', 'topic/1', failure, dbDown());
    pauses.resume('g', 'topic/0');
    expect(pauses.list().map((p) => p.groupId)).toEqual(['g']);
    pauses.resume('g', 'topic/1');
    expect(pauses.list()).toEqual([]);
  });

  it('backoff stays within half to all of the capped step', () => {
    expect(backoffMs(policy, 1, () => 0)).toBe(50);
    expect(backoffMs(policy, 1, () => 1)).toBe(100);
    expect(backoffMs(policy, 30, () => 1)).toBe(5_000);
  });
});
