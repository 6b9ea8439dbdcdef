import { fold } from './decider';
import { DomainError } from './errors';
import {
  QuotaLedgerCommand,
  QuotaLedgerEvent,
  QuotaLedgerState,
  QUOTA_LEDGER_EVENT_TYPES,
  evolveQuotaLedger,
  quotaLedgerDecider as ledger,
  quotaLedgerKeysOf,
  quotaLedgerSnapshots,
  replayQuotaLedger,
} from './quota';

const keyed = quotaLedgerSnapshots.keyed!;
const identity = {
  code: 'connections-per-consumer-per-service' as const,
  scope: { serviceId: 'vpce-svc-0123456789abcdef0', providerAccountId: '111122223333', consumerAccountId: '444455556666' },
};
const holders = Array.from({ length: 12 }, (_, i) => `vpce-${i.toString(16).padStart(17, '0')}`);

/** A deterministic mixed history: reservations against a limit, confirms, releases, expiries, recorded usage, limit changes. */
function commands(count: number, seed = 1): QuotaLedgerCommand[] {
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((x / 2 ** 31) * n); // the high bits: an LCG's low bits repeat in short cycles
  };
  const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString();
  const out: QuotaLedgerCommand[] = [];
  for (let i = 0; i < count; i++) {
    const holderId = holders[next(holders.length)];
    const now = at(i);
    switch (next(7)) {
      case 0:
      case 1:
        out.push({ type: 'reserve', ...identity, holderId, units: 1, limit: 8, now, expiresAt: at(i + 5) });
        break;
      case 2:
        out.push({ type: 'confirm', holderId, now });
        break;
      case 3:
        out.push({ type: 'release', holderIds: [holderId, holders[next(holders.length)]], now });
        break;
      case 4:
        out.push({ type: 'expire', now, holderIds: next(2) === 0 ? [holderId] : undefined });
        break;
      case 5:
        out.push({ type: 'recordUsage', ...identity, holderId, units: 1, now });
        break;
      default:
        out.push({ type: 'setLimit', ...identity, limit: next(3) === 0 ? null : 6 + next(6), source: { kind: 'ops', setBy: 'ops' }, now });
    }
  }
  return out;
}

/** The events a command decides on a state, or the code it is refused with. */
function outcome(command: QuotaLedgerCommand, state: QuotaLedgerState | null): QuotaLedgerEvent[] | string {
  try {
    return ledger.decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/** What a load from the snapshot gives a command: the summary and its holders' entries, through JSON as stored. */
function partial(state: QuotaLedgerState | null, keys: string[] | 'all'): QuotaLedgerState | null {
  if (!state) return null;
  const { summary, entries } = JSON.parse(JSON.stringify(keyed.split(state, keys)));
  return keyed.join(
    summary,
    (entries as Array<[string, unknown]>).filter(([, v]) => v !== null),
  );
}

describe('quota ledger snapshots', () => {
  it('replaying a ledger in place gives the state evolve gives, and leaves the state it started from untouched', () => {
    let full: QuotaLedgerState | null = null;
    const events: QuotaLedgerEvent[] = [];
    for (const command of commands(400)) {
      const decided = outcome(command, full);
      if (typeof decided === 'string') continue;
      events.push(...decided);
      full = fold(evolveQuotaLedger, full, decided);
    }
    // The history exercises every kind of event, expiries without named holders included.
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(QUOTA_LEDGER_EVENT_TYPES));
    expect(events.length).toBeGreaterThan(150);
    expect(replayQuotaLedger(null, events)).toEqual(full);
    const half = replayQuotaLedger(null, events.slice(0, 100));
    const before = JSON.stringify(half);
    expect(replayQuotaLedger(half, events.slice(100))).toEqual(full);
    expect(JSON.stringify(half)).toBe(before);
  });

  it('a command decided on the summary and its own holders’ entries decides what it decides on the whole ledger', () => {
    let full: QuotaLedgerState | null = null;
    let compared = 0;
    for (const command of commands(400, 7)) {
      const decided = outcome(command, full);
      expect(outcome(command, partial(full, quotaLedgerKeysOf(command)))).toEqual(decided);
      compared += 1;
      if (typeof decided !== 'string') full = fold(evolveQuotaLedger, full, decided);
    }
    expect(compared).toBe(400);
  });

  it('writing back only the entries each command’s events touch keeps the stored ledger equal to the whole fold', () => {
    let full: QuotaLedgerState | null = null;
    let summary: unknown = null;
    const stored = new Map<string, unknown>();
    for (const command of commands(400, 11)) {
      const keys = quotaLedgerKeysOf(command);
      const loaded =
        summary === null
          ? null
          : keyed.join(
              summary,
              [...stored].filter(([k]) => keys === 'all' || keys.includes(k)),
            );
      const decided = outcome(command, loaded);
      if (typeof decided === 'string' || decided.length === 0) continue;
      const next = replayQuotaLedger(loaded, decided)!;
      const touched = decided.flatMap((e) => keyed.keysOf(e));
      for (const key of touched) expect(keys === 'all' || keys.includes(key)).toBe(true);
      const written = keyed.split(next, touched);
      summary = written.summary;
      for (const [key, entry] of written.entries) {
        if (entry === null) stored.delete(key);
        else stored.set(key, entry);
      }
      full = fold(evolveQuotaLedger, full, decided);
    }
    expect(keyed.join(summary, [...stored])).toEqual(full);
  });

  it('an entry holds a holder that holds capacity or one whose capacity went back, and every event names the holders it changes', () => {
    const state = fold(evolveQuotaLedger, null, [
      ...ledger.decide(
        {
          type: 'reserve',
          ...identity,
          holderId: holders[0],
          units: 1,
          limit: null,
          now: '2026-12-01T10:00:00.000Z',
          expiresAt: '2026-12-01T10:05:00.000Z',
        },
        null,
      ),
    ]);
    const released = ledger.decide({ type: 'release', holderIds: [holders[0]], now: '2026-12-01T10:01:00.000Z' }, state);
    expect(released.flatMap((e) => keyed.keysOf(e))).toEqual([holders[0]]);
    const after = fold(evolveQuotaLedger, state, released)!;
    expect(keyed.split(after, [holders[0], holders[1]]).entries).toEqual([
      [holders[0], { closed: { how: 'released', units: 1 } }],
      [holders[1], null],
    ]);
    expect(keyed.split(after, 'all').summary).toEqual({
      code: identity.code,
      scopeKey: 'vpce-svc-0123456789abcdef0/444455556666',
      scope: identity.scope,
      limit: null,
      usage: 0,
    });
  });
});
