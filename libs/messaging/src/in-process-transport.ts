import { randomUUID } from 'node:crypto';
import {
  DeadLetterSink,
  deadLetterTopicFor,
  IncomingMessage,
  isReplayForAnotherGroup,
  MessageTransport,
  OutgoingMessage,
  PausedConsumerInfo,
  Subscription,
  SubscriptionOptions,
} from '@privatelink/contracts';
import { ConsumerObserver, ConsumerPauses, DEFAULT_RETRY_POLICY, deliver, RetryPolicy, stoppableWait, TransportLogger } from './retry';

interface Group {
  groupId: string;
  topics: Set<string>;
  handler: SubscriptionOptions['handler'];
  maxAttempts: number;
  deadLetters?: DeadLetterSink;
  closed: boolean;
}

export interface InProcessTransportOptions {
  observer?: ConsumerObserver;
  retry?: Partial<RetryPolicy>;
  /**
   * How long one publish keeps retrying a handler whose dependency is unavailable before it fails; the
   * publisher (the outbox relay) then retries the whole publish with its own backoff, so nothing is lost
   * and a stopping process is never stuck inside a publish (default 1 s).
   */
  retryableBudgetMs?: number;
}

/**
 * The embedded run's transport: same interface as Kafka, no broker. `publish` resolves only after every
 * subscribed group has handled (or dead-lettered) each message, so the outbox row is deleted only once
 * the effect is durable in Postgres: a crash re-publishes, and the idempotent consumers absorb it. A
 * handler whose dependency is down makes the publish fail after a short budget, and the relay retries.
 */
export class InProcessTransport implements MessageTransport {
  readonly name = 'in-process';
  private readonly groups = new Map<string, Group>();
  private offset = 0;
  /** Names this process's deliveries, so a dead letter's source is unique across restarts. */
  private readonly instance = randomUUID().slice(0, 8);
  private readonly pauses: ConsumerPauses;
  private readonly policy: RetryPolicy;
  /** The last dead letters, for tests (bounded); the durable ones are in the ops table. */
  readonly deadLetters: Array<{ topic: string; message: OutgoingMessage; error: string; groupId: string }> = [];

  constructor(
    private readonly logger: TransportLogger,
    private readonly options: InProcessTransportOptions = {},
  ) {
    this.pauses = new ConsumerPauses(logger, options.observer);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) {
      const incoming: IncomingMessage = {
        topic: message.topic,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
        partition: 0,
        offset: String(this.offset++),
      };
      for (const group of [...this.groups.values()]) {
        if (!group.topics.has(message.topic) || isReplayForAnotherGroup(incoming.headers, group.groupId)) continue;
        await deliver({
          handle: () => group.handler(incoming),
          deadLetter: async (error, attempts, firstFailedAt) => {
            const err = error instanceof Error ? error : new Error(String(error));
            await group.deadLetters?.record({
              topic: message.topic,
              consumerGroup: group.groupId,
              source: `${message.topic}/in-process-${this.instance}/${incoming.offset}`,
              key: message.key,
              value: JSON.stringify(message.value),
              headers: incoming.headers,
              error: { name: err.name, message: err.message },
              attempts,
              firstFailedAt,
              lastFailedAt: new Date(),
            });
            this.deadLetters.push({ topic: deadLetterTopicFor(message.topic), message, error: err.message, groupId: group.groupId });
            if (this.deadLetters.length > 1_000) this.deadLetters.shift();
          },
          policy: { ...this.policy, deterministicAttempts: group.maxAttempts },
          logger: this.logger,
          pauses: this.pauses,
          observer: this.options.observer,
          groupId: group.groupId,
          unit: group.groupId,
          context: { topic: message.topic, key: message.key, offset: incoming.offset },
          wait: stoppableWait(() => group.closed),
          retryableBudgetMs: this.options.retryableBudgetMs ?? 1_000,
        });
      }
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    if (this.groups.has(options.groupId)) throw new Error(`consumer group ${options.groupId} already subscribed in this process`);
    const group: Group = {
      groupId: options.groupId,
      topics: new Set(options.topics),
      handler: options.handler,
      maxAttempts: options.maxAttempts ?? this.policy.deterministicAttempts,
      deadLetters: options.deadLetters,
      closed: false,
    };
    this.groups.set(options.groupId, group);
    return {
      close: async () => {
        group.closed = true;
        this.groups.delete(options.groupId);
        this.pauses.forget(options.groupId);
      },
    };
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  pausedConsumers(): PausedConsumerInfo[] {
    return this.pauses.list();
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) group.closed = true;
    this.groups.clear();
  }
}
