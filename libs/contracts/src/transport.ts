import { MessageEnvelope } from './envelope';

/** One message on its way to a topic; the key keeps one aggregate's messages in order. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: MessageEnvelope;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  key: string;
  value: MessageEnvelope;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** A message that failed deterministically on every try, as a consumer hands it to its dead-letter sink. */
export interface DeadLetter {
  /** The topic it came from (logical name, without the Kafka namespace). */
  topic: string;
  consumerGroup: string;
  /** Where this delivery came from (`topic/partition/offset`): a redelivery of it is recorded once. */
  source: string;
  key: string;
  /** The message as it was on the wire (JSON text, or whatever could not be decoded). */
  value: string;
  headers: Record<string, string>;
  error: { name: string; message: string };
  attempts: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
}

/** Where dead letters are stored durably, so they can be listed and replayed (the ops table). */
export interface DeadLetterSink {
  record(letter: DeadLetter): Promise<void>;
}

/** Headers a replayed dead letter carries: only its consumer group handles it; the others skip it. */
export const REPLAY_FOR_GROUP_HEADER = 'replay-for-group';
export const REPLAY_OF_HEADER = 'replay-of';

/** True when the message is a replay meant for another consumer group. */
export function isReplayForAnotherGroup(headers: Record<string, string>, groupId: string): boolean {
  const target = headers[REPLAY_FOR_GROUP_HEADER];
  return target !== undefined && target !== groupId;
}

/** A consumer group of this process that waits for a dependency instead of consuming. */
export interface PausedConsumerInfo {
  groupId: string;
  since: Date;
  dependency?: string;
  reason: string;
}

export interface SubscriptionOptions {
  /** Consumers in one group share the work; each group sees every message. */
  groupId: string;
  topics: string[];
  handler: MessageHandler;
  /**
   * Tries of a message that fails deterministically before it goes to the dead-letter topic (default 3).
   * Failures of an unavailable dependency and contention are retried until they pass, whatever this says.
   */
  maxAttempts?: number;
  /** Stores this group's dead letters durably (besides the dead-letter topic). */
  deadLetters?: DeadLetterSink;
  /** Start from the beginning of the topic when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /**
   * Handles several messages of one partition at once, in their order, as one unit (one database
   * transaction): what a consumer that fell behind has waiting is then caught up in one commit instead of
   * one per message. All or nothing: when it throws, the transport handles the same messages one at a time
   * with `handler` and the retry policy, so a poison message is still dead-lettered alone. Optional; a
   * transport may always use `handler` (the in-process one does).
   */
  batchHandler?: (messages: IncomingMessage[]) => Promise<void>;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The one transport interface: Kafka in the distributed run, in-process in the embedded run.
 * `publish` resolves only when the messages are durably accepted (Kafka acks=all; in-process: handled).
 */
export interface MessageTransport {
  readonly name: string;
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  /** Readiness: the broker answers. */
  isHealthy(): Promise<boolean>;
  /** The consumer groups that are paused because a dependency is unavailable (readiness, ops). */
  pausedConsumers(): PausedConsumerInfo[];
  close(): Promise<void>;
}

/** The structured logger (pino's shape) the libraries take: the outbox relay's, the transports'. */
export interface StructuredLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
