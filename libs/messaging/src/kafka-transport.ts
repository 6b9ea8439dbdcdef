import { Consumer, Kafka, KafkaConfig, logLevel, Producer, CompressionTypes, Admin, IHeaders } from 'kafkajs';
import {
  deadLetterTopicFor,
  IncomingMessage,
  MessageEnvelope,
  MessageTransport,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
  traceHeadersOf,
} from '@privatelink/contracts';
import { TransportLogger, runWithRetries } from './retry';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this transport creates (default 4). */
  partitions?: number;
  logger: TransportLogger;
  /** Prefixes every topic and consumer group, so several environments (or test runs) share one cluster. */
  namespace?: string;
  /** Called for each message that went to a dead-letter topic. */
  onDeadLetter?: (topic: string) => void;
}

/**
 * kafkajs transport: idempotent producer with acks=all, consumer groups tuned to hand a message over in
 * milliseconds (maxWaitTimeInMs), handlers retried and then dead-lettered with the error attached.
 */
export class KafkaTransport implements MessageTransport {
  readonly name = 'kafka';
  private readonly kafka: Kafka;
  private producer?: Producer;
  private producerReady?: Promise<Producer>;
  private admin?: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaTransportOptions) {
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2_000 },
    };
    this.kafka = new Kafka(config);
  }

  /** Creates topics (and their dead-letter topics) if missing; consumers of an absent topic would fail. */
  async ensureTopics(topics: string[]): Promise<void> {
    const wanted = topics.flatMap((t) => [this.physical(t), this.physical(deadLetterTopicFor(t))]).filter((t) => !this.knownTopics.has(t));
    if (wanted.length === 0) return;
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 4, replicationFactor: -1 })),
      });
    }
    wanted.forEach((t) => this.knownTopics.add(t));
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))].filter((t) => !this.knownTopics.has(this.physical(t))));
    const producer = await this.getProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    // acks=-1 (all in-sync replicas); with the idempotent producer a retried send is not duplicated.
    await producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, ms]) => ({
        topic: this.physical(topic),
        // The W3C trace context rides as headers too, so any Kafka consumer or tool can follow the trace.
        messages: ms.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: { ...traceHeadersOf(m.value.metadata), ...m.headers } })),
      })),
    });
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    await this.ensureTopics(options.topics);
    const consumer = this.kafka.consumer({
      groupId: this.physical(options.groupId),
      // Hand over each message as soon as it exists instead of waiting to fill a batch.
      maxWaitTimeInMs: 20,
      minBytes: 1,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { initialRetryTime: 100, retries: 10, maxRetryTime: 3_000 },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics.map((t) => this.physical(t)), fromBeginning: options.fromBeginning ?? true });
    const maxAttempts = options.maxAttempts ?? 5;
    // Resolve once the group has its partitions, so a caller that subscribes and then publishes (or waits
    // for a reply) does not race the first rebalance.
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 200,
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ topic, partition, message }) => {
        const incoming: IncomingMessage = {
          topic: this.logical(topic),
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: parse(message.value),
          headers: decodeHeaders(message.headers),
        };
        await runWithRetries(
          () => options.handler(incoming),
          maxAttempts,
          (error) => this.deadLetter(incoming, options.groupId, error),
          this.options.logger,
          { topic, partition, offset: message.offset, groupId: options.groupId },
        );
      },
    });
    this.consumers.add(consumer);
    await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async isHealthy(): Promise<boolean> {
    try {
      const admin = await this.getAdmin();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.producer = undefined;
    this.producerReady = undefined;
    this.admin = undefined;
  }

  private async deadLetter(message: IncomingMessage, groupId: string, error: unknown): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    const topic = this.physical(deadLetterTopicFor(message.topic));
    await this.ensureTopics([message.topic]);
    const producer = await this.getProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: JSON.stringify(message.value),
          headers: {
            ...message.headers,
            'dead-letter-error': err.message.slice(0, 2_000),
            'dead-letter-error-name': err.name,
            'dead-letter-consumer-group': groupId,
            'dead-letter-source': `${message.topic}/${message.partition}/${message.offset}`,
          },
        },
      ],
    });
    this.options.onDeadLetter?.(topic);
  }

  /** The topic or group name on the cluster. */
  physical(name: string): string {
    return this.options.namespace ? `${this.options.namespace}.${name}` : name;
  }

  private logical(name: string): string {
    const prefix = this.options.namespace ? `${this.options.namespace}.` : '';
    return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  }

  private getProducer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      this.producerReady = producer.connect().then(
        () => (this.producer = producer),
        (error) => {
          this.producerReady = undefined;
          throw error;
        },
      );
    }
    return this.producerReady;
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}

function parse(value: Buffer | null): MessageEnvelope {
  if (!value) throw new Error('empty message');
  return JSON.parse(value.toString()) as MessageEnvelope;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v.toString();
  return out;
}
