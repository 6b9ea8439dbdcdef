// One SNS message owed to one notification for one connection event, and what became of it. Deliveries
// retry with exponential backoff and full jitter while the failure is passing (throttling, 5xx, network);
// a refusal that will not pass (the topic does not exist, publishing is not authorized) or running out of
// attempts leaves a visible failed delivery that ops can re-drive. Owned by notifier.
import { Decider } from './decider';
import { ConnectionEvent } from './connection-notification';
import { DomainError } from './errors';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a delivery sends, and where: given when it is scheduled, kept in its state. */
export interface DeliveryMessage {
  deliveryId: string;
  connectionNotificationId: string;
  topicArn: string;
  connectionEvent: ConnectionEvent;
  sourceEventId: string;
  vpcEndpointId: string;
  serviceId: string;
  /** The JSON body sent to SNS. */
  message: string;
  attributes: Record<string, string>;
}

export interface NotificationDelivery extends DeliveryMessage {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  snsMessageId: string | null;
  scheduledAt: string;
  finishedAt: string | null;
}

export type DeliveryAttemptOutcome =
  | { ok: true; snsMessageId: string }
  /** `unreachable`: SNS gave no answer at all (refused, reset, timed out), so the message is owed, not refused. */
  | { ok: false; error: string; retryable: boolean; unreachable?: boolean };

export type NotificationDeliveryCommand =
  | (DeliveryMessage & { type: 'scheduleDelivery'; now: string })
  | { type: 'recordAttempt'; outcome: DeliveryAttemptOutcome; policy: RetryPolicy; now: string; random: number }
  | { type: 'redriveDelivery'; now: string };

export type NotificationDeliveryEvent =
  | ({ type: 'deliveryScheduled' } & Omit<Extract<NotificationDeliveryCommand, { type: 'scheduleDelivery' }>, 'type' | 'now'> & {
        at: string;
      })
  | { type: 'deliveryAttemptFailed'; deliveryId: string; attempt: number; error: string; nextAttemptAt: string; at: string }
  | { type: 'deliveryDelivered'; deliveryId: string; attempt: number; snsMessageId: string; at: string }
  | { type: 'deliveryFailed'; deliveryId: string; attempts: number; error: string; at: string }
  | { type: 'deliveryRedriven'; deliveryId: string; at: string };

/**
 * A dependency that is down is waited for, never a reason to drop a message: attempts that got no answer
 * from SNS do not use up the delivery's attempts; it is retried at the capped backoff until SNS is back.
 */
export function snsUnreachableIsWaitedFor(outcome: Extract<DeliveryAttemptOutcome, { ok: false }>): boolean {
  return outcome.retryable && outcome.unreachable === true;
}

/** Full jitter: a random delay up to base·2^(attempt−1), capped. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(Math.min(Math.max(random, 0), 1) * ceiling);
}

export function decideNotificationDelivery(
  command: NotificationDeliveryCommand,
  state: NotificationDelivery | null,
): NotificationDeliveryEvent[] {
  switch (command.type) {
    case 'scheduleDelivery': {
      if (state) return []; // scheduling the same delivery twice is a no-op: redelivered source events
      const { type: _type, now, ...rest } = command;
      return [{ type: 'deliveryScheduled', ...rest, at: now }];
    }
    case 'recordAttempt': {
      const current = existing(state);
      if (current.state !== 'pending') return []; // a late or repeated result changes nothing
      const attempt = current.attempts + 1;
      const { outcome, policy, now } = command;
      if (outcome.ok)
        return [{ type: 'deliveryDelivered', deliveryId: current.deliveryId, attempt, snsMessageId: outcome.snsMessageId, at: now }];
      if (!outcome.retryable || (attempt >= policy.maxAttempts && !snsUnreachableIsWaitedFor(outcome))) {
        return [{ type: 'deliveryFailed', deliveryId: current.deliveryId, attempts: attempt, error: outcome.error, at: now }];
      }
      const next = new Date(Date.parse(now) + retryDelayMs(attempt, policy, command.random)).toISOString();
      return [
        { type: 'deliveryAttemptFailed', deliveryId: current.deliveryId, attempt, error: outcome.error, nextAttemptAt: next, at: now },
      ];
    }
    case 'redriveDelivery': {
      const current = existing(state);
      if (current.state !== 'failed')
        throw new DomainError('IncorrectState', `delivery ${current.deliveryId} is ${current.state}; only failed deliveries are re-driven`);
      return [{ type: 'deliveryRedriven', deliveryId: current.deliveryId, at: command.now }];
    }
  }
}

export function evolveNotificationDelivery(
  state: NotificationDelivery | null,
  event: NotificationDeliveryEvent,
): NotificationDelivery | null {
  switch (event.type) {
    case 'deliveryScheduled': {
      const { type: _type, at, ...rest } = event;
      return {
        ...rest,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastError: null,
        snsMessageId: null,
        scheduledAt: at,
        finishedAt: null,
      };
    }
    case 'deliveryAttemptFailed':
      return state && { ...state, attempts: event.attempt, nextAttemptAt: event.nextAttemptAt, lastError: event.error };
    case 'deliveryDelivered':
      return (
        state && {
          ...state,
          state: 'delivered',
          attempts: event.attempt,
          snsMessageId: event.snsMessageId,
          nextAttemptAt: null,
          finishedAt: event.at,
        }
      );
    case 'deliveryFailed':
      return (
        state && { ...state, state: 'failed', attempts: event.attempts, lastError: event.error, nextAttemptAt: null, finishedAt: event.at }
      );
    case 'deliveryRedriven':
      return state && { ...state, state: 'pending', attempts: 0, nextAttemptAt: event.at, finishedAt: null };
  }
}

export const notificationDeliveryDecider: Decider<NotificationDeliveryCommand, NotificationDeliveryEvent, NotificationDelivery | null> = {
  decide: decideNotificationDelivery,
  evolve: evolveNotificationDelivery,
  initialState: null,
};

function existing(state: NotificationDelivery | null): NotificationDelivery {
  if (!state) throw new DomainError('InvalidParameterValue', 'no such notification delivery', 'deliveryId');
  return state;
}
