import {
  deadLetterTopicFor,
  IncomingMessage,
  MessageTransport,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from '@privatelink/contracts';
import { runWithRetries, TransportLogger } from './retry';

interface Group {
  groupId: string;
  topics: Set<string>;
  handler: SubscriptionOptions['handler'];
  maxAttempts: number;
}

/**
 * The embedded run's transport: same interface as Kafka, no broker. `publish` resolves only after every
 * subscribed group has handled (or dead-lettered) each message, so the outbox row is deleted only once
 * the effect is durable in Postgres: a crash re-publishes, and the idempotent consumers absorb it.
 */
export class InProcessTransport implements MessageTransport {
  readonly name = 'in-process';
  private readonly groups = new Map<string, Group>();
  private offset = 0;
  /** The last dead letters, for the ops API and tests (bounded). */
  readonly deadLetters: Array<{ topic: string; message: OutgoingMessage; error: string; groupId: string }> = [];

  constructor(private readonly logger: TransportLogger, private readonly onDeadLetter?: (topic: string) => void) {}

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
      for (const group of this.groups.values()) {
        if (!group.topics.has(message.topic)) continue;
        await runWithRetries(
          () => group.handler(incoming),
          group.maxAttempts,
          async (error) => {
            const topic = deadLetterTopicFor(message.topic);
            this.deadLetters.push({ topic, message, error: error instanceof Error ? error.message : String(error), groupId: group.groupId });
            if (this.deadLetters.length > 1_000) this.deadLetters.shift();
            this.onDeadLetter?.(topic);
          },
          this.logger,
          { topic: message.topic, groupId: group.groupId, key: message.key },
        );
      }
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    if (this.groups.has(options.groupId)) throw new Error(`consumer group ${options.groupId} already subscribed in this process`);
    this.groups.set(options.groupId, {
      groupId: options.groupId,
      topics: new Set(options.topics),
      handler: options.handler,
      maxAttempts: options.maxAttempts ?? 5,
    });
    return { close: async () => void this.groups.delete(options.groupId) };
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.groups.clear();
  }
}
