import {
  notificationDeliveryDecider as d,
  NotificationDelivery,
  NotificationDeliveryEvent,
  retryDelayMs,
  RetryPolicy,
} from './notification-delivery';
import { deciderSpec } from './spec-support';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };
const t0 = '2026-11-27T10:00:00.000Z';
const schedule = {
  type: 'scheduleDelivery' as const,
  deliveryId: 'vpce-nfn-1:ev-1',
  connectionNotificationId: 'vpce-nfn-1',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:t',
  connectionEvent: 'Connect' as const,
  sourceEventId: 'ev-1',
  vpcEndpointId: 'vpce-1',
  serviceId: 'vpce-svc-1',
  message: '{}',
  attributes: { eventType: 'Connect' },
  now: t0,
};
const spec = deciderSpec(d);
const run = (events: NotificationDeliveryEvent[]): NotificationDelivery | null => spec.stateOf(events);
const fail = (retryable: boolean, now = t0) => ({
  type: 'recordAttempt' as const,
  outcome: { ok: false as const, error: 'boom', retryable },
  policy,
  now,
  random: 0.5,
});
const succeed = (snsMessageId: string) => ({
  type: 'recordAttempt' as const,
  outcome: { ok: true as const, snsMessageId },
  policy,
  now: t0,
  random: 0,
});

describe('notification deliveries', () => {
  it('a scheduled delivery is pending and due at once; scheduling it again is a no-op', () => {
    const events = d.decide(schedule, null);
    const state = run(events)!;
    expect(state).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: t0 });
    expect(d.decide(schedule, state)).toEqual([]);
  });

  it('a passing failure is retried later with backoff; success records the SNS message id', () => {
    const retrying = spec.run(schedule, fail(true)).state!;
    expect(retrying).toMatchObject({ state: 'pending', attempts: 1, lastError: 'boom' });
    expect(Date.parse(retrying.nextAttemptAt!)).toBe(Date.parse(t0) + 500);
    expect(spec.after(retrying, succeed('m-1'))).toMatchObject({ state: 'delivered', snsMessageId: 'm-1', attempts: 2 });
  });

  it('after the last attempt the delivery fails, visibly, with the error', () => {
    expect(spec.run(schedule, fail(true), fail(true), fail(true)).state).toMatchObject({ state: 'failed', attempts: 3, lastError: 'boom' });
  });

  it('an SNS that does not answer is waited for: such attempts never use up the delivery, which is delivered once SNS is back', () => {
    const unreachable = { ...fail(true), outcome: { ok: false as const, error: 'TimeoutError', retryable: true, unreachable: true } };
    const waiting = spec.run(schedule, ...Array.from({ length: 10 }, () => unreachable)).state!;
    expect(waiting).toMatchObject({ state: 'pending', attempts: 10, lastError: 'TimeoutError' });
    // The wait stays under the policy's cap however long SNS is away.
    expect(Date.parse(waiting.nextAttemptAt!) - Date.parse(t0)).toBeLessThanOrEqual(policy.maxDelayMs);
    expect(spec.after(waiting, succeed('m-2'))).toMatchObject({ state: 'delivered', snsMessageId: 'm-2', attempts: 11 });
  });

  it('a refusal that will not pass (no such topic, not authorized) fails at once', () => {
    const events = d.decide(schedule, null);
    expect(d.decide(fail(false), run(events))).toMatchObject([{ type: 'deliveryFailed', attempts: 1 }]);
  });

  it('a result recorded after the delivery finished changes nothing', () => {
    const events = [...d.decide(schedule, null)];
    const delivered = [...events, ...d.decide(succeed('m'), run(events))];
    expect(d.decide(fail(true), run(delivered))).toEqual([]);
  });

  it('only a failed delivery can be re-driven, and it starts over as pending', () => {
    const events = [...d.decide(schedule, null)];
    expect(() => d.decide({ type: 'redriveDelivery', now: t0 }, run(events))).toThrow(expect.objectContaining({ code: 'IncorrectState' }));
    const failed = [...events, ...d.decide(fail(false), run(events))];
    const redriven = [...failed, ...d.decide({ type: 'redriveDelivery', now: t0 }, run(failed))];
    expect(run(redriven)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('the backoff doubles per attempt under its cap, with full jitter', () => {
    expect(retryDelayMs(1, policy, 1)).toBe(1_000);
    expect(retryDelayMs(3, policy, 1)).toBe(4_000);
    expect(retryDelayMs(20, policy, 1)).toBe(60_000);
    expect(retryDelayMs(3, policy, 0)).toBe(0);
  });
});
