import { PausedConsumerInfo, StructuredLogger } from '@privatelink/contracts';
import { classifyFailure, FailureClass, FailureKind } from './failure';

export type TransportLogger = StructuredLogger;

/** How a consumer treats a failing message (see failure.ts for the kinds). */
export interface RetryPolicy {
  /** Tries of a message that fails deterministically before it goes to the dead-letter topic. */
  deterministicAttempts: number;
  /** First pause after a failure; doubles per try. */
  baseDelayMs: number;
  /** Longest pause while a dependency is unavailable (or the database keeps refusing on contention). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { deterministicAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Capped exponential backoff with jitter (50–100 % of the step), so paused consumers do not retry in step. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(step * (0.5 + random() * 0.5));
}

/** Hooks for metrics; every one optional. */
export interface ConsumerObserver {
  /** A consumer group stopped consuming (a partition, or the in-process group) because a dependency is down. */
  paused?(groupId: string, failure: FailureClass): void;
  /** It handled a message again after `pausedMs`. */
  resumed?(groupId: string, pausedMs: number): void;
  /** One failed try that will be retried. */
  retried?(groupId: string, kind: FailureKind): void;
  /** A message of `topic` (the topic it came from) went to the dead-letter topic. */
  deadLettered?(topic: string, groupId: string): void;
}

export type PausedConsumer = PausedConsumerInfo;

/**
 * Which consumer groups of this process wait for a dependency. A group is paused from its first
 * `unavailable` failure to its next handled message; the transition is logged once each way, so an
 * outage writes two lines per group, not one per try.
 */
export class ConsumerPauses {
  private readonly paused = new Map<string, PausedConsumer & { keys: Set<string> }>();

  constructor(
    private readonly logger: TransportLogger,
    private readonly observer: ConsumerObserver = {},
  ) {}

  pause(groupId: string, unit: string, failure: FailureClass, error: unknown): void {
    const entry = this.paused.get(groupId);
    if (entry) {
      entry.keys.add(unit);
      return;
    }
    this.paused.set(groupId, { groupId, since: new Date(), dependency: failure.dependency, reason: failure.reason, keys: new Set([unit]) });
    this.logger.warn(
      { groupId, dependency: failure.dependency, reason: failure.reason, err: error },
      'consumer paused: a dependency is unavailable; retrying with backoff until it is back (nothing is dead-lettered)',
    );
    this.observer.paused?.(groupId, failure);
  }

  resume(groupId: string, unit: string): void {
    const entry = this.paused.get(groupId);
    if (!entry) return;
    entry.keys.delete(unit);
    if (entry.keys.size > 0) return;
    this.paused.delete(groupId);
    const pausedMs = Date.now() - entry.since.getTime();
    this.logger.info({ groupId, dependency: entry.dependency, pausedMs }, 'consumer resumed: the dependency is back');
    this.observer.resumed?.(groupId, pausedMs);
  }

  /** Forgets a group (its subscription closed) without claiming it recovered. */
  forget(groupId: string): void {
    this.paused.delete(groupId);
  }

  list(): PausedConsumer[] {
    return [...this.paused.values()].map(({ keys: _keys, ...p }) => p);
  }
}

/** Thrown out of a retry loop when its subscription is closing; the message stays unacknowledged. */
export class ConsumerStopping extends Error {
  override readonly name = 'ConsumerStopping';
  constructor() {
    super('the consumer is stopping; the message will be delivered again');
  }
}

export interface DeliveryOptions {
  handle: () => Promise<void>;
  /** Records and publishes the dead letter; retried (never skipped) when it fails. */
  deadLetter: (error: unknown, attempts: number, firstFailedAt: Date) => Promise<void>;
  policy: RetryPolicy;
  logger: TransportLogger;
  pauses: ConsumerPauses;
  observer?: ConsumerObserver;
  groupId: string;
  /** The unit that pauses: a partition (`topic/partition`) or the in-process group. */
  unit: string;
  /** Log context (topic, partition, offset, key). */
  context: Record<string, unknown>;
  /** Waits before the next try; may throw (e.g. a rebalance took the partition away, or the consumer stops). */
  wait: (ms: number) => Promise<void>;
  /**
   * When set, stop retrying a retryable failure after this long and rethrow it (the in-process transport:
   * its publisher, the outbox relay, then retries the whole publish with its own backoff).
   */
  retryableBudgetMs?: number;
}

/**
 * Handles one message by the kind of its failure: retryable ones (dependency unavailable, contention)
 * are retried with capped exponential backoff until they pass; a deterministic one is tried
 * `deterministicAttempts` times and then dead-lettered, so one poison message never blocks the partition.
 */
export async function deliver(options: DeliveryOptions): Promise<'handled' | 'dead-lettered'> {
  const { policy, logger, pauses, groupId, unit, context } = options;
  let deterministicFailures = 0;
  let tries = 0;
  let firstFailedAt: Date | undefined;
  const startedAt = Date.now();
  for (;;) {
    tries++;
    try {
      await options.handle();
      pauses.resume(groupId, unit);
      return 'handled';
    } catch (error) {
      if (error instanceof ConsumerStopping) throw error;
      firstFailedAt ??= new Date();
      const failure = classifyFailure(error);
      if (failure.kind === 'deterministic') {
        deterministicFailures++;
        if (deterministicFailures >= policy.deterministicAttempts) {
          logger.error(
            { ...context, groupId, err: error, attempts: tries },
            'message failed deterministically on every try; sending it to the dead-letter topic',
          );
          await deadLetterUntilRecorded(options, error, tries, firstFailedAt);
          pauses.resume(groupId, unit);
          options.observer?.deadLettered?.(String(context.topic ?? ''), groupId);
          return 'dead-lettered';
        }
        logger.warn(
          { ...context, groupId, err: error, attempt: deterministicFailures, of: policy.deterministicAttempts },
          'message handler failed; retrying',
        );
      } else {
        if (failure.kind === 'unavailable') pauses.pause(groupId, unit, failure, error);
        else if (tries % 10 === 0)
          logger.warn({ ...context, groupId, reason: failure.reason, tries }, 'message keeps meeting concurrent work; still retrying');
        if (options.retryableBudgetMs !== undefined && Date.now() - startedAt >= options.retryableBudgetMs) throw error;
      }
      options.observer?.retried?.(groupId, failure.kind);
      await options.wait(backoffMs(policy, tries));
    }
  }
}

async function deadLetterUntilRecorded(options: DeliveryOptions, error: unknown, attempts: number, firstFailedAt: Date): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await options.deadLetter(error, attempts, firstFailedAt);
      return;
    } catch (failure) {
      if (failure instanceof ConsumerStopping) throw failure;
      const kind = classifyFailure(failure);
      if (kind.kind === 'unavailable') options.pauses.pause(options.groupId, options.unit, kind, failure);
      else options.logger.error({ ...options.context, err: failure, attempt }, 'could not record the dead letter; retrying');
      if (options.retryableBudgetMs !== undefined) throw failure;
      await options.wait(backoffMs(options.policy, attempt));
    }
  }
}

/** A pause that ends early (throwing ConsumerStopping) when `stopping()` turns true. */
export function stoppableWait(stopping: () => boolean, pollMs = 100): (ms: number) => Promise<void> {
  return async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (stopping()) throw new ConsumerStopping();
      await new Promise((r) => setTimeout(r, Math.min(pollMs, until - Date.now())));
    }
    if (stopping()) throw new ConsumerStopping();
  };
}
