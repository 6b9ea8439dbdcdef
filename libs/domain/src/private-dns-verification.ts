// The PrivateDnsVerification aggregate: proof that a service's provider controls its private DNS name.
// One stream per service (the service has at most one name). Rules quote the guide's "Domain name
// verification considerations", "VPC endpoint service private DNS name verification", "Manually
// initiate ..." and "Private DNS name domain verification TXT records".
//
// State machine (privateDnsNameConfiguration.state):
//   pendingVerification ─found─▶ verified ─record gone─▶ failed
//          │  ▲                     │
//          │  └──name servers do not answer (never read as "record absent")
//          └─no record (manual check, or 48 h of automatic polling)─▶ failed
//   any ─name removed / service deleted─▶ removed;  a new or changed name starts afresh.
//
// The schedule is state: `nextCheckAt` is when the next automatic check is due (backoff while pending,
// within the guide's 48-hour propagation window; once a day at the name's own time slot while verified,
// the slot being random data passed in, so checks of many names spread over the day). Failed names are
// not polled: the provider fixes the record and starts a check (StartVpcEndpointServicePrivateDnsVerification).
// No clock and no randomness here: `now`, the record label and token, and the daily slot come with the commands.
import { Decider } from './decider';
import { verificationDomainFor, verificationRecordNameFor, verificationRecordValueFor, validatePrivateDnsName } from './dns-name';
import { VerificationCheckOutcome, VerificationCheckResult, VerificationReasonCode } from './private-dns-diagnostics';
import { DomainError, invalid } from './errors';

export type PrivateDnsVerificationStatus = 'pendingVerification' | 'verified' | 'failed' | 'removed';
export type VerificationCheckTrigger = 'scheduled' | 'manual';

/** "DNS record updates can take up to 48 hours to take effect." */
export const VERIFICATION_WINDOW_MS = 48 * 3_600_000;
/** Automatic checks while pending: 1 min, 2, 4, ... doubling up to once an hour, never past the window. */
export const FIRST_CHECK_DELAY_MS = 60_000;
export const MAX_CHECK_INTERVAL_MS = 3_600_000;
/** "We recommend that you perform this check at least one time per day." */
export const DAY_MS = 86_400_000;

const LABEL = /^[a-z0-9]{1,62}$/;
const TOKEN = /^[A-Za-z0-9]{8,128}$/;

export interface PrivateDnsVerificationState {
  serviceId: string;
  privateDnsName: string;
  /** The domain whose ownership is checked: the name without a leading `*.`. */
  domain: string;
  state: PrivateDnsVerificationStatus;
  /** The random label without its underscore: the record name is `_<label>.<domain>`. */
  recordLabel: string;
  recordName: string;
  recordValue: string;
  startedAt: string;
  /** End of the automatic polling window of the current pending period; null unless pending. */
  windowEndsAt: string | null;
  /** When the next automatic check is due; null when none is (failed, removed). */
  nextCheckAt: string | null;
  /** The name's time of day for the daily re-check, ms after 00:00 UTC (random, passed in). */
  dailySlotMs: number;
  /** Checks made in the current pending period (the backoff step). */
  pendingChecks: number;
  checkedAt: string | null;
  lastCheckStartedAt: string | null;
  lastResult: VerificationCheckResult | null;
  reasonCode: VerificationReasonCode | null;
  reason: string | null;
  verifiedAt: string | null;
  /** The version of the endpoint service stream the name came from: older news is ignored. */
  sourceVersion: number;
}

export type PrivateDnsVerificationCommand =
  | {
      type: 'startVerification';
      serviceId: string;
      privateDnsName: string;
      /** Random, lower-case letters and digits (DNS names are case-insensitive). */
      label: string;
      /** Random letters and digits: the value is `vpce:<token>`. */
      token: string;
      /** Random in [0, 24 h): the name's slot for the daily re-check. */
      dailySlotMs: number;
      sourceVersion: number;
      now: string;
    }
  | {
      type: 'recordCheck';
      trigger: VerificationCheckTrigger;
      /** The record that was looked for: a check of an earlier record is ignored. */
      recordName: string;
      recordValue: string;
      outcome: VerificationCheckOutcome;
      /** When the DNS queries began, and `now` when they ended. */
      startedAt: string;
      now: string;
    }
  | { type: 'removeVerification'; serviceId: string; sourceVersion: number; now: string };

/**
 * The facts every event carries (the contract `PrivateDnsVerificationFacts` of @privatelink/contracts):
 * the state after the event, the record to publish and the last check's diagnostic.
 */
export interface VerificationEventFacts {
  serviceId: string;
  privateDnsName: string;
  state: PrivateDnsVerificationStatus;
  recordName: string;
  recordValue: string;
  reasonCode?: VerificationReasonCode;
  reason?: string;
  checkedAt?: string;
  nextCheckAt: string | null;
}

export interface VerificationCheckFacts extends VerificationEventFacts {
  checkedAt: string;
  trigger: VerificationCheckTrigger;
  result: VerificationCheckResult;
  foundAt?: string;
  checkStartedAt: string;
  windowEndsAt: string | null;
  pendingChecks: number;
}

export type PrivateDnsVerificationEvent =
  | (VerificationEventFacts & {
      type: 'privateDnsVerificationStarted';
      domain: string;
      recordLabel: string;
      previousPrivateDnsName: string | null;
      startedAt: string;
      windowEndsAt: string;
      dailySlotMs: number;
      sourceVersion: number;
    })
  /** A check that left the state as it was (still pending, still verified, still failed). */
  | (VerificationCheckFacts & { type: 'privateDnsVerificationChecked' })
  | (VerificationCheckFacts & { type: 'privateDnsNameVerified' })
  | (VerificationCheckFacts & { type: 'privateDnsNameVerificationFailed' })
  /** Back to pendingVerification (from verified or failed) because the name servers did not answer. */
  | (VerificationCheckFacts & { type: 'privateDnsNameVerificationPending' })
  | (VerificationEventFacts & { type: 'privateDnsVerificationRemoved'; sourceVersion: number; removedAt: string });

export type PrivateDnsVerificationEventType = PrivateDnsVerificationEvent['type'];

export const initialPrivateDnsVerificationState: PrivateDnsVerificationState | null = null;

// ── decide ───────────────────────────────────────────────────────────────────────────────────────

export function decidePrivateDnsVerification(
  command: PrivateDnsVerificationCommand,
  state: PrivateDnsVerificationState | null,
): PrivateDnsVerificationEvent[] {
  switch (command.type) {
    case 'startVerification':
      return decideStart(command, state);
    case 'recordCheck':
      return decideCheck(command, state);
    case 'removeVerification':
      if (!state || state.state === 'removed' || command.sourceVersion <= state.sourceVersion) return [];
      return [
        {
          type: 'privateDnsVerificationRemoved',
          ...factsOf(state),
          state: 'removed',
          nextCheckAt: null,
          sourceVersion: command.sourceVersion,
          removedAt: command.now,
        },
      ];
  }
}

function decideStart(
  command: Extract<PrivateDnsVerificationCommand, { type: 'startVerification' }>,
  state: PrivateDnsVerificationState | null,
): PrivateDnsVerificationEvent[] {
  const privateDnsName = validatePrivateDnsName(command.privateDnsName, 'privateDnsName');
  if (!LABEL.test(command.label)) throw invalid('label', 'label: the record label must be 1 to 62 lower-case letters or digits');
  if (!TOKEN.test(command.token)) throw invalid('token', 'token: the record token must be 8 to 128 letters or digits');
  if (!Number.isInteger(command.dailySlotMs) || command.dailySlotMs < 0 || command.dailySlotMs >= DAY_MS) {
    throw invalid('dailySlotMs', 'dailySlotMs: the daily slot must be a whole number of milliseconds in [0, 24 h)');
  }
  // Older or repeated news of the service (a redelivered event, a name set before the one we have).
  if (state && command.sourceVersion <= state.sourceVersion) return [];
  // The same name, still under verification: nothing changes (the record the provider published stays valid).
  if (state && state.state !== 'removed' && state.privateDnsName === privateDnsName) return [];
  const domain = verificationDomainFor(privateDnsName);
  return [
    {
      type: 'privateDnsVerificationStarted',
      serviceId: command.serviceId,
      privateDnsName,
      state: 'pendingVerification',
      recordName: verificationRecordNameFor(domain, command.label),
      recordValue: verificationRecordValueFor(command.token),
      nextCheckAt: addMs(command.now, FIRST_CHECK_DELAY_MS),
      domain,
      recordLabel: command.label,
      previousPrivateDnsName: state && state.state !== 'removed' ? state.privateDnsName : null,
      startedAt: command.now,
      windowEndsAt: addMs(command.now, VERIFICATION_WINDOW_MS),
      dailySlotMs: command.dailySlotMs,
      sourceVersion: command.sourceVersion,
    },
  ];
}

function decideCheck(
  command: Extract<PrivateDnsVerificationCommand, { type: 'recordCheck' }>,
  state: PrivateDnsVerificationState | null,
): PrivateDnsVerificationEvent[] {
  if (!state || state.state === 'removed') {
    if (command.trigger === 'manual') {
      throw new DomainError('IncorrectState', 'the endpoint service has no private DNS name to verify', 'serviceId');
    }
    return [];
  }
  // A check of an earlier record (the name changed meanwhile), or one overtaken by a later check.
  if (command.recordName !== state.recordName || command.recordValue !== state.recordValue) return [];
  if (state.lastCheckStartedAt && Date.parse(command.startedAt) < Date.parse(state.lastCheckStartedAt)) return [];
  // Failed names are polled no more; only a manual check looks again.
  if (command.trigger === 'scheduled' && state.state === 'failed') return [];

  const { outcome, now } = command;
  const windowOpen = state.windowEndsAt !== null && Date.parse(now) < Date.parse(state.windowEndsAt);
  let next: {
    state: PrivateDnsVerificationStatus;
    windowEndsAt: string | null;
    pendingChecks: number;
    nextCheckAt: string | null;
    reason?: string;
  };

  if (outcome.result === 'found') {
    next = { state: 'verified', windowEndsAt: null, pendingChecks: 0, nextCheckAt: nextDailyCheckAt(now, state.dailySlotMs) };
  } else if (outcome.result === 'notFound') {
    if (state.state === 'pendingVerification' && command.trigger === 'scheduled' && windowOpen) {
      next = pendingAgain(state.windowEndsAt!, state.pendingChecks + 1, now);
    } else {
      const prefix =
        state.state === 'verified'
          ? `The verification record of ${state.domain} is no longer found. `
          : state.state === 'pendingVerification' && command.trigger === 'scheduled'
            ? 'No valid verification record was found within the 48 hours DNS changes may take to propagate. '
            : '';
      next = { state: 'failed', windowEndsAt: null, pendingChecks: 0, nextCheckAt: null, reason: prefix + (outcome.reason ?? '') };
    }
  } else if (state.state === 'pendingVerification') {
    // Name servers unreachable while pending: keep polling until the window closes.
    next = windowOpen
      ? pendingAgain(state.windowEndsAt!, state.pendingChecks + 1, now)
      : {
          state: 'failed',
          windowEndsAt: null,
          pendingChecks: 0,
          nextCheckAt: null,
          reason:
            `The name servers of ${state.domain} did not answer within the 48-hour verification window. ${outcome.reason ?? ''}`.trim(),
        };
  } else {
    // Verified (or failed, on a manual check) and the name servers do not answer: pending, not failed.
    next = pendingAgain(addMs(now, VERIFICATION_WINDOW_MS), 1, now);
  }

  const facts: VerificationCheckFacts = {
    serviceId: state.serviceId,
    privateDnsName: state.privateDnsName,
    state: next.state,
    recordName: state.recordName,
    recordValue: state.recordValue,
    ...(outcome.reasonCode ? { reasonCode: outcome.reasonCode } : {}),
    ...((next.reason ?? outcome.reason) ? { reason: next.reason ?? outcome.reason } : {}),
    checkedAt: now,
    nextCheckAt: next.nextCheckAt,
    trigger: command.trigger,
    result: outcome.result,
    ...(outcome.foundAt ? { foundAt: outcome.foundAt } : {}),
    checkStartedAt: command.startedAt,
    windowEndsAt: next.windowEndsAt,
    pendingChecks: next.pendingChecks,
  };
  if (next.state === state.state) return [{ type: 'privateDnsVerificationChecked', ...facts }];
  switch (next.state) {
    case 'verified':
      return [{ type: 'privateDnsNameVerified', ...facts }];
    case 'failed':
      return [{ type: 'privateDnsNameVerificationFailed', ...facts }];
    default:
      return [{ type: 'privateDnsNameVerificationPending', ...facts }];
  }
}

function pendingAgain(windowEndsAt: string, pendingChecks: number, now: string) {
  return {
    state: 'pendingVerification' as const,
    windowEndsAt,
    pendingChecks,
    nextCheckAt: nextPendingCheckAt(now, pendingChecks, windowEndsAt),
  };
}

/** Backoff while pending: 1 min after the first check, doubling up to an hour, the last one at the window's end. */
export function nextPendingCheckAt(now: string, pendingChecks: number, windowEndsAt: string): string {
  const delay = Math.min(FIRST_CHECK_DELAY_MS * 2 ** Math.min(Math.max(pendingChecks, 0), 20), MAX_CHECK_INTERVAL_MS);
  return new Date(Math.min(Date.parse(now) + delay, Date.parse(windowEndsAt))).toISOString();
}

/**
 * The next daily re-check: the first moment after `now` at the name's slot of the day (UTC). Always
 * within 24 hours of `now`, so a verified name is checked at least once a day, and names with random
 * slots spread their checks over the day.
 */
export function nextDailyCheckAt(now: string, dailySlotMs: number): string {
  const t = Date.parse(now);
  let at = Math.floor(t / DAY_MS) * DAY_MS + dailySlotMs;
  if (at <= t) at += DAY_MS;
  return new Date(at).toISOString();
}

// ── evolve ───────────────────────────────────────────────────────────────────────────────────────

export function evolvePrivateDnsVerification(
  state: PrivateDnsVerificationState | null,
  event: PrivateDnsVerificationEvent,
): PrivateDnsVerificationState | null {
  if (event.type === 'privateDnsVerificationStarted') {
    return {
      serviceId: event.serviceId,
      privateDnsName: event.privateDnsName,
      domain: event.domain,
      state: 'pendingVerification',
      recordLabel: event.recordLabel,
      recordName: event.recordName,
      recordValue: event.recordValue,
      startedAt: event.startedAt,
      windowEndsAt: event.windowEndsAt,
      nextCheckAt: event.nextCheckAt,
      dailySlotMs: event.dailySlotMs,
      pendingChecks: 0,
      checkedAt: null,
      lastCheckStartedAt: null,
      lastResult: null,
      reasonCode: null,
      reason: null,
      verifiedAt: null,
      sourceVersion: event.sourceVersion,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'privateDnsVerificationChecked':
    case 'privateDnsNameVerified':
    case 'privateDnsNameVerificationFailed':
    case 'privateDnsNameVerificationPending':
      return {
        ...state,
        state: event.state,
        windowEndsAt: event.windowEndsAt,
        nextCheckAt: event.nextCheckAt,
        pendingChecks: event.pendingChecks,
        checkedAt: event.checkedAt,
        lastCheckStartedAt: event.checkStartedAt,
        lastResult: event.result,
        reasonCode: event.reasonCode ?? null,
        reason: event.reason ?? null,
        verifiedAt: event.type === 'privateDnsNameVerified' ? event.checkedAt : event.state === 'verified' ? state.verifiedAt : null,
      };
    case 'privateDnsVerificationRemoved':
      return { ...state, state: 'removed', nextCheckAt: null, windowEndsAt: null, sourceVersion: event.sourceVersion };
  }
}

export const privateDnsVerificationDecider: Decider<
  PrivateDnsVerificationCommand,
  PrivateDnsVerificationEvent,
  PrivateDnsVerificationState | null
> = {
  decide: decidePrivateDnsVerification,
  evolve: evolvePrivateDnsVerification,
  initialState: initialPrivateDnsVerificationState,
  // Its stream gains a check event every day (more while pending); its state stays small: a snapshot every 32 events.
  snapshots: { schemaVersion: 1, every: 32 },
};

// ── read helpers ─────────────────────────────────────────────────────────────────────────────────

/** The contract's facts of a state (what every event and every answer about it carries). */
export function factsOf(state: PrivateDnsVerificationState): VerificationEventFacts {
  return {
    serviceId: state.serviceId,
    privateDnsName: state.privateDnsName,
    state: state.state,
    recordName: state.recordName,
    recordValue: state.recordValue,
    ...(state.reasonCode ? { reasonCode: state.reasonCode } : {}),
    ...(state.reason ? { reason: state.reason } : {}),
    ...(state.checkedAt ? { checkedAt: state.checkedAt } : {}),
    nextCheckAt: state.nextCheckAt,
  };
}

function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
