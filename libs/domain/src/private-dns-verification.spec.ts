import { fold } from './decider';
import { VerificationCheckOutcome } from './private-dns-diagnostics';
import {
  DAY_MS,
  PrivateDnsVerificationCommand,
  PrivateDnsVerificationEvent,
  decidePrivateDnsVerification as decide,
  evolvePrivateDnsVerification as evolve,
  nextDailyCheckAt,
  nextPendingCheckAt,
  privateDnsVerificationDecider,
} from './private-dns-verification';
import { caught, deciderSpec } from './spec-support';

const SVC = 'vpce-svc-0123456789abcdef0';
const T0 = '2026-11-27T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const HOUR = 3_600_000;
const SLOT = 3 * HOUR; // 03:00 UTC

const start = (
  overrides: Partial<Extract<PrivateDnsVerificationCommand, { type: 'startVerification' }>> = {},
): PrivateDnsVerificationCommand => ({
  type: 'startVerification',
  serviceId: SVC,
  privateDnsName: 'api.example.com',
  label: 'k2p9x7a1',
  token: 'Q3xTr9KpLm2ZaB7c',
  dailySlotMs: SLOT,
  sourceVersion: 1,
  now: T0,
  ...overrides,
});

const found: VerificationCheckOutcome = { result: 'found', foundAt: '_k2p9x7a1.api.example.com' };
const absent: VerificationCheckOutcome = {
  result: 'notFound',
  reasonCode: 'RecordNotFound',
  reason: 'No TXT record _k2p9x7a1.api.example.com',
};
const unreachable: VerificationCheckOutcome = {
  result: 'unreachable',
  reasonCode: 'NameServersUnreachable',
  reason: 'The name servers did not answer',
};

const check = (
  outcome: VerificationCheckOutcome,
  now: string,
  trigger: 'scheduled' | 'manual' = 'scheduled',
  record = { recordName: '_k2p9x7a1.api.example.com', recordValue: 'vpce:Q3xTr9KpLm2ZaB7c' },
): PrivateDnsVerificationCommand => ({ type: 'recordCheck', trigger, ...record, outcome, startedAt: now, now });

/** Runs commands in order from nothing, returning the state and every event. */
const { run } = deciderSpec(privateDnsVerificationDecider);

const last = (events: PrivateDnsVerificationEvent[]) => events[events.length - 1];

describe('starting a verification (a name set at create or modify)', () => {
  it('generates the record `_<label>.<domain>` = `vpce:<token>`, pendingVerification, first check in a minute', () => {
    const [event] = decide(start(), null);
    expect(event).toMatchObject({
      type: 'privateDnsVerificationStarted',
      serviceId: SVC,
      privateDnsName: 'api.example.com',
      state: 'pendingVerification',
      recordName: '_k2p9x7a1.api.example.com',
      recordValue: 'vpce:Q3xTr9KpLm2ZaB7c',
      nextCheckAt: at(60_000),
      windowEndsAt: at(48 * HOUR),
      previousPrivateDnsName: null,
    });
  });

  it('a wildcard name’s record is on its domain', () => {
    expect(decide(start({ privateDnsName: '*.example.com' }), null)[0]).toMatchObject({
      recordName: '_k2p9x7a1.example.com',
      domain: 'example.com',
    });
  });

  it('a changed name gets a fresh record and starts over', () => {
    const { state } = run(start(), check(found, at(HOUR)));
    const [event] = decide(
      start({ privateDnsName: 'web.example.com', label: 'zz9', token: 'NewToken123', sourceVersion: 2, now: at(2 * HOUR) }),
      state,
    );
    expect(event).toMatchObject({
      state: 'pendingVerification',
      recordName: '_zz9.web.example.com',
      recordValue: 'vpce:NewToken123',
      previousPrivateDnsName: 'api.example.com',
    });
  });

  it('older or repeated news of the service decides nothing (idempotent reaction)', () => {
    const { state } = run(start({ sourceVersion: 3 }));
    expect(decide(start({ sourceVersion: 3 }), state)).toEqual([]);
    expect(decide(start({ privateDnsName: 'old.example.com', sourceVersion: 2 }), state)).toEqual([]);
    // the same name at a later version (a manual start got ahead of the event): the record stays
    expect(decide(start({ sourceVersion: 4, label: 'other' }), state)).toEqual([]);
  });

  it('refuses bad names, labels, tokens and slots', () => {
    expect(caught(() => decide(start({ privateDnsName: 'API.example.com' }), null))).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'privateDnsName',
    });
    expect(caught(() => decide(start({ privateDnsName: 'a.*.example.com' }), null))).toMatchObject({ field: 'privateDnsName' });
    expect(caught(() => decide(start({ label: 'Upper' }), null))).toMatchObject({ field: 'label' });
    expect(caught(() => decide(start({ token: 'short' }), null))).toMatchObject({ field: 'token' });
    expect(caught(() => decide(start({ dailySlotMs: DAY_MS }), null))).toMatchObject({ field: 'dailySlotMs' });
  });
});

describe('checks', () => {
  it('record found → verified, next check at the name’s daily slot', () => {
    const { state, events } = run(start(), check(found, at(HOUR)));
    expect(last(events)).toMatchObject({
      type: 'privateDnsNameVerified',
      state: 'verified',
      checkedAt: at(HOUR),
      nextCheckAt: '2026-11-28T03:00:00.000Z',
    });
    expect(state).toMatchObject({ state: 'verified', verifiedAt: at(HOUR), windowEndsAt: null });
  });

  it('manual check without the record → failed, and failed names are not polled', () => {
    const { state, events } = run(start(), check(absent, at(HOUR), 'manual'));
    expect(last(events)).toMatchObject({
      type: 'privateDnsNameVerificationFailed',
      state: 'failed',
      reasonCode: 'RecordNotFound',
      nextCheckAt: null,
    });
    expect(decide(check(absent, at(2 * HOUR)), state)).toEqual([]);
  });

  it('automatic polling while pending backs off (1, 2, 4 ... min, at most hourly) within 48 hours, then fails', () => {
    let { state } = run(start());
    const times: string[] = [];
    let now = Date.parse(state!.nextCheckAt!);
    while (state!.state === 'pendingVerification') {
      const events = decide(check(absent, new Date(now).toISOString()), state);
      state = fold(evolve, state, events);
      times.push(new Date(now).toISOString());
      if (state!.nextCheckAt) now = Date.parse(state!.nextCheckAt);
    }
    const gaps = times.slice(1).map((t, i) => (Date.parse(t) - Date.parse(times[i])) / 60_000);
    expect(gaps.slice(0, 7)).toEqual([2, 4, 8, 16, 32, 60, 60]);
    expect(times[times.length - 1]).toBe(at(48 * HOUR));
    expect(state).toMatchObject({ state: 'failed', reasonCode: 'RecordNotFound', nextCheckAt: null });
    expect(state!.reason).toMatch(/within the 48 hours/);
  });

  it('pending and name servers unreachable → stays pending, polled, failed only after 48 hours', () => {
    const { state, events } = run(start(), check(unreachable, at(HOUR)));
    expect(last(events)).toMatchObject({
      type: 'privateDnsVerificationChecked',
      state: 'pendingVerification',
      reasonCode: 'NameServersUnreachable',
    });
    const late = decide(check(unreachable, at(48 * HOUR)), state);
    expect(late[0]).toMatchObject({ type: 'privateDnsNameVerificationFailed', reasonCode: 'NameServersUnreachable' });
  });

  it('manual check while name servers are unreachable → pendingVerification, not failed', () => {
    const { events } = run(start(), check(unreachable, at(HOUR), 'manual'));
    expect(last(events)).toMatchObject({ state: 'pendingVerification', reasonCode: 'NameServersUnreachable' });
  });

  it('daily re-check: verified stays verified (a Checked event) while the record is there', () => {
    const { events } = run(start(), check(found, at(HOUR)), check(found, '2026-11-28T03:00:00.000Z'));
    expect(last(events)).toMatchObject({
      type: 'privateDnsVerificationChecked',
      state: 'verified',
      nextCheckAt: '2026-11-29T03:00:00.000Z',
    });
  });

  it('daily re-check: verified → failed when the record disappears', () => {
    const { state, events } = run(start(), check(found, at(HOUR)), check(absent, '2026-11-28T03:00:00.000Z'));
    expect(last(events)).toMatchObject({ type: 'privateDnsNameVerificationFailed', state: 'failed', reasonCode: 'RecordNotFound' });
    expect(state!.reason).toMatch(/no longer found/);
  });

  it('daily re-check: verified → pendingVerification while the name servers cannot be reached, with a new window', () => {
    const { state, events } = run(start(), check(found, at(HOUR)), check(unreachable, '2026-11-28T03:00:00.000Z'));
    expect(last(events)).toMatchObject({
      type: 'privateDnsNameVerificationPending',
      state: 'pendingVerification',
      nextCheckAt: '2026-11-28T03:02:00.000Z',
    });
    expect(state!.windowEndsAt).toBe('2026-11-30T03:00:00.000Z');
    // they answer again with the record: verified again
    const again = decide(check(found, '2026-11-28T03:02:00.000Z'), state);
    expect(again[0]).toMatchObject({ type: 'privateDnsNameVerified' });
  });

  it('a failed name is verified by a manual check once the record is there', () => {
    const { events } = run(start(), check(absent, at(HOUR), 'manual'), check(found, at(2 * HOUR), 'manual'));
    expect(last(events)).toMatchObject({ type: 'privateDnsNameVerified', state: 'verified' });
  });

  it('an apex record verifies, and the note stays on the state', () => {
    const apex: VerificationCheckOutcome = {
      result: 'found',
      foundAt: 'api.example.com',
      reasonCode: 'RecordAtDomain',
      reason: 'found at the domain itself',
    };
    const { state } = run(start(), check(apex, at(HOUR)));
    expect(state).toMatchObject({ state: 'verified', reasonCode: 'RecordAtDomain', reason: 'found at the domain itself' });
  });

  it('a check of an earlier record, or older than the last one, decides nothing', () => {
    const { state } = run(start(), check(found, at(2 * HOUR)));
    expect(
      decide(check(absent, at(3 * HOUR), 'scheduled', { recordName: '_old.api.example.com', recordValue: 'vpce:old' }), state),
    ).toEqual([]);
    expect(decide({ ...check(absent, at(3 * HOUR)), startedAt: at(HOUR) } as PrivateDnsVerificationCommand, state)).toEqual([]);
  });

  it('a manual check of a service without a name → IncorrectState; a scheduled one is a no-op', () => {
    expect(caught(() => decide(check(found, T0, 'manual'), null))).toMatchObject({ code: 'IncorrectState' });
    const { state } = run(start(), { type: 'removeVerification', serviceId: SVC, sourceVersion: 2, now: T0 });
    expect(caught(() => decide(check(found, T0, 'manual'), state))).toMatchObject({ code: 'IncorrectState' });
    expect(decide(check(found, T0), state)).toEqual([]);
  });

  it('every event carries the contract’s facts', () => {
    const { events } = run(start(), check(unreachable, at(HOUR)), check(found, at(2 * HOUR)), check(absent, at(30 * HOUR)), {
      type: 'removeVerification',
      serviceId: SVC,
      sourceVersion: 2,
      now: at(31 * HOUR),
    });
    for (const e of events) {
      expect(e).toMatchObject({
        serviceId: SVC,
        privateDnsName: 'api.example.com',
        recordName: '_k2p9x7a1.api.example.com',
        recordValue: 'vpce:Q3xTr9KpLm2ZaB7c',
      });
      expect(['pendingVerification', 'verified', 'failed', 'removed']).toContain(e.state);
    }
    expect(events.map((e) => e.state)).toEqual(['pendingVerification', 'pendingVerification', 'verified', 'failed', 'removed']);
  });
});

describe('removal', () => {
  it('removing the name removes its verification; again, or older news, is a no-op', () => {
    const { state, events } = run(start({ sourceVersion: 2 }), {
      type: 'removeVerification',
      serviceId: SVC,
      sourceVersion: 3,
      now: at(HOUR),
    });
    expect(last(events)).toMatchObject({ type: 'privateDnsVerificationRemoved', state: 'removed', nextCheckAt: null });
    expect(decide({ type: 'removeVerification', serviceId: SVC, sourceVersion: 4, now: at(HOUR) }, state)).toEqual([]);
    expect(
      decide({ type: 'removeVerification', serviceId: SVC, sourceVersion: 1, now: at(HOUR) }, run(start({ sourceVersion: 2 })).state),
    ).toEqual([]);
  });

  it('the same name set again after removal gets a fresh record', () => {
    const { state } = run(start(), { type: 'removeVerification', serviceId: SVC, sourceVersion: 2, now: at(HOUR) });
    expect(decide(start({ sourceVersion: 3, label: 'fresh1' }), state)[0]).toMatchObject({ recordName: '_fresh1.api.example.com' });
  });
});

describe('the schedule', () => {
  it('the daily check is the next occurrence of the slot, always within 24 hours', () => {
    expect(nextDailyCheckAt('2026-11-27T02:00:00.000Z', SLOT)).toBe('2026-11-27T03:00:00.000Z');
    expect(nextDailyCheckAt('2026-11-27T03:00:00.000Z', SLOT)).toBe('2026-11-28T03:00:00.000Z');
    expect(nextDailyCheckAt('2026-11-27T23:59:00.000Z', 0)).toBe('2026-11-28T00:00:00.000Z');
    for (const slot of [0, 1, SLOT, DAY_MS - 1]) {
      for (const now of [T0, '2026-11-27T00:00:00.000Z', '2026-11-27T23:59:59.999Z']) {
        const gap = Date.parse(nextDailyCheckAt(now, slot)) - Date.parse(now);
        expect(gap).toBeGreaterThan(0);
        expect(gap).toBeLessThanOrEqual(DAY_MS);
      }
    }
  });

  it('pending backoff never passes the window’s end', () => {
    expect(nextPendingCheckAt(T0, 1, at(48 * HOUR))).toBe(at(2 * 60_000));
    expect(nextPendingCheckAt(at(47.5 * HOUR), 10, at(48 * HOUR))).toBe(at(48 * HOUR));
  });

  it('the decider object exposes decide/evolve/initialState', () => {
    expect(privateDnsVerificationDecider.initialState).toBeNull();
  });
});
