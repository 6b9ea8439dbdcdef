import { Consumer, Kafka, KafkaConfig, logLevel, LogEntry, Producer, CompressionTypes, Admin, IHeaders, Partitioners } from 'kafkajs';
import {
  DeadLetter,
  deadLetterTopicFor,
  isReplayForAnotherGroup,
  MessageEnvelope,
  MessageTransport,
  OutgoingMessage,
  PausedConsumerInfo,
  Subscription,
  SubscriptionOptions,
  traceHeadersOf,
} from '@privatelink/contracts';
import { applyKafkajsIdleFix } from './kafkajs-idle-fix';
import { ConsumerObserver, ConsumerPauses, DEFAULT_RETRY_POLICY, deliver, RetryPolicy, stoppableWait, TransportLogger } from './retry';
import { measureConsumerLag, PartitionLag } from './consumer-lag';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** Partitions for topics this transport creates (default 4). */
  partitions?: number;
  logger: TransportLogger;
  /** Prefixes every topic and consumer group, so several environments (or test runs) share one cluster. */
  namespace?: string;
  /** Metrics hooks: consumers paused and resumed, retries, dead letters. */
  observer?: ConsumerObserver;
  retry?: Partial<RetryPolicy>;
  /**
   * How long the broker holds a fetch of an empty topic before answering (default 5,000 ms). It answers as
   * soon as a message arrives, so this bounds the idle polling rate, not the hand-over latency. It also
   * paces an idle consumer's heartbeats (the session timeout is three times it, at least 10 s) and bounds
   * how long closing a consumer waits for its fetch in flight.
   */
  fetchMaxWaitMs?: number;
}

applyKafkajsIdleFix();

/** Kafka protocol errors that mean this member must rejoin the group: stop waiting, the next owner redelivers. */
const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/**
 * kafkajs transport: idempotent producer with acks=all; consumers long-poll (a message is handed over as
 * soon as it exists, an idle topic costs one fetch per `fetchMaxWaitMs`). A failing message is retried by
 * the kind of its failure (retry.ts): an unavailable dependency pauses its partition until it is back,
 * only a deterministic failure is dead-lettered. kafkajs's own warnings and errors go to the logger.
 */
export class KafkaTransport implements MessageTransport {
  readonly name = 'kafka';
  private readonly kafka: Kafka;
  private producer?: Producer;
  private producerReady?: Promise<Producer>;
  private admin?: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();
  /** The groups this process consumes in (cluster names) and their topics, for the consumer lag metric. */
  private readonly groups = new Map<string, string[]>();
  private readonly pauses: ConsumerPauses;
  private readonly policy: RetryPolicy;
  private closing = false;

  constructor(private readonly options: KafkaTransportOptions) {
    this.pauses = new ConsumerPauses(options.logger, options.observer);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => logKafka(options.logger, entry),
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2_000 },
    };
    this.kafka = new Kafka(config);
  }

  /**
   * Creates topics (and their dead-letter topics) if missing; consumers of an absent topic would fail.
   * Services starting together race to create the same topics: a failed try looks again at what exists.
   */
  async ensureTopics(topics: string[]): Promise<void> {
    const wanted = topics.flatMap((t) => [this.physical(t), this.physical(deadLetterTopicFor(t))]).filter((t) => !this.knownTopics.has(t));
    if (wanted.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
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
        return;
      } catch (error) {
        if (attempt >= 8) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))].filter((t) => !this.knownTopics.has(this.physical(t))));
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    // acks=-1 (all in-sync replicas); with the idempotent producer a retried send is not duplicated.
    await this.withProducer((producer) =>
      producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic: this.physical(topic),
          // The W3C trace context rides as headers too, so any Kafka consumer or tool can follow the trace.
          messages: ms.map((m) => ({
            key: m.key,
            value: JSON.stringify(m.value),
            headers: { ...traceHeadersOf(m.value.metadata), ...m.headers },
          })),
        })),
      }),
    );
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    await this.ensureTopics(options.topics);
    const groupId = options.groupId;
    const fetchMaxWaitMs = this.options.fetchMaxWaitMs ?? 5_000;
    const consumer = this.kafka.consumer({
      groupId: this.physical(groupId),
      // Long-poll: the broker answers as soon as one byte is there, or after maxWaitTimeInMs when idle.
      maxWaitTimeInMs: fetchMaxWaitMs,
      minBytes: 1,
      // An idle consumer heartbeats once per fetch: keep three heartbeats inside the session.
      sessionTimeout: Math.max(10_000, 3 * fetchMaxWaitMs),
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { initialRetryTime: 100, retries: 10, maxRetryTime: 3_000 },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics.map((t) => this.physical(t)), fromBeginning: options.fromBeginning ?? true });
    const policy = { ...this.policy, deterministicAttempts: options.maxAttempts ?? this.policy.deterministicAttempts };
    let closed = false;
    const stopping = () => closed || this.closing;
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
      eachMessage: async ({ topic, partition, message, heartbeat, pause }) => {
        const headers = decodeHeaders(message.headers);
        if (isReplayForAnotherGroup(headers, groupId)) return;
        const logical = this.logical(topic);
        let resume: (() => void) | undefined;
        try {
          await deliver({
            handle: () =>
              options.handler({
                topic: logical,
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? '',
                value: parse(message.value),
                headers,
              }),
            deadLetter: (error, attempts, firstFailedAt) =>
              this.deadLetter(options, {
                topic: logical,
                consumerGroup: groupId,
                source: `${logical}/${partition}/${message.offset}`,
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                headers,
                error: errorOf(error),
                attempts,
                firstFailedAt,
                lastFailedAt: new Date(),
              }),
            policy,
            logger: this.options.logger,
            pauses: this.pauses,
            observer: this.options.observer,
            groupId,
            unit: `${logical}/${partition}`,
            context: { topic: logical, partition, offset: message.offset },
            wait: async (ms) => {
              // Fetch nothing more of this partition while its message waits; keep the group membership.
              resume ??= pause();
              await stoppableWait(stopping)(ms);
              try {
                await heartbeat();
              } catch (error) {
                if (REBALANCING.has(String((error as { type?: unknown }).type))) throw error;
              }
            },
          });
        } finally {
          resume?.();
        }
      },
    });
    this.consumers.add(consumer);
    this.groups.set(
      this.physical(options.groupId),
      options.topics.map((t) => this.physical(t)),
    );
    await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    return {
      close: async () => {
        closed = true;
        this.consumers.delete(consumer);
        this.groups.delete(this.physical(options.groupId));
        await consumer.disconnect();
        this.pauses.forget(groupId);
      },
    };
  }

  /** Lag of every group this process consumes in, per topic and partition (read at scrape time). */
  async consumerLag(): Promise<PartitionLag[]> {
    if (this.groups.size === 0) return [];
    return measureConsumerLag(await this.getAdmin(), this.groups, (name) => this.logical(name));
  }

  pausedConsumers(): PausedConsumerInfo[] {
    return this.pauses.list();
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
    this.closing = true;
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.producer = undefined;
    this.producerReady = undefined;
    this.admin = undefined;
  }

  /** Stores the dead letter (ops table) and sends it to the dead-letter topic with the error attached. */
  private async deadLetter(options: SubscriptionOptions, letter: DeadLetter): Promise<void> {
    await options.deadLetters?.record(letter);
    const topic = this.physical(deadLetterTopicFor(letter.topic));
    await this.ensureTopics([letter.topic]);
    await this.withProducer((producer) =>
      producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: letter.value,
            headers: {
              ...letter.headers,
              'dead-letter-error': letter.error.message.slice(0, 2_000),
              'dead-letter-error-name': letter.error.name,
              'dead-letter-consumer-group': letter.consumerGroup,
              'dead-letter-source': letter.source,
            },
          },
        ],
      }),
    );
  }

  /** The topic or group name on the cluster. */
  physical(name: string): string {
    return this.options.namespace ? `${this.options.namespace}.${name}` : name;
  }

  private logical(name: string): string {
    const prefix = this.options.namespace ? `${this.options.namespace}.` : '';
    return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  }

  /**
   * Sends on the shared producer; a send that fails leaves the next one to a fresh producer (a new producer
   * id). An idempotent producer whose sequence numbers the broker lost, as after a broker restart, is refused
   * with OUT_OF_ORDER_SEQUENCE_NUMBER at every send and never recovers by itself (seen as a relay stuck for
   * good after Kafka came back). The caller retries; consumers drop a copy by its event id.
   */
  private async withProducer<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    const ready = this.getProducer();
    const producer = await ready;
    try {
      return await send(producer);
    } catch (error) {
      if (this.producerReady === ready) {
        this.producerReady = undefined;
        this.producer = undefined;
        void producer.disconnect().catch(() => undefined);
      }
      throw error;
    }
  }

  private getProducer(): Promise<Producer> {
    if (!this.producerReady) {
      // The default partitioner named explicitly (same behaviour), which keeps kafkajs from warning at each start.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
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

/** Decodes the value; an empty or malformed one throws (a deterministic failure: it is dead-lettered). */
function parse(value: Buffer | null): MessageEnvelope {
  if (!value) throw new SyntaxError('empty message');
  return JSON.parse(value.toString()) as MessageEnvelope;
}

function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/** kafkajs log entries → the service's pino logger, with kafkajs's namespace and fields. */
function logKafka(logger: TransportLogger, { namespace, level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as LogEntry['log'] & { logger?: unknown };
  const obj = { component: 'kafkajs', kafkaNamespace: namespace, ...fields };
  if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(obj, message);
  else if (level === logLevel.WARN) logger.warn(obj, message);
  else if (level === logLevel.INFO) logger.info(obj, message);
  else logger.debug?.(obj, message);
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v.toString();
  return out;
}
