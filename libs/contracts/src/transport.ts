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

export interface SubscriptionOptions {
  /** Consumers in one group share the work; each group sees every message. */
  groupId: string;
  topics: string[];
  handler: MessageHandler;
  /** Attempts before a message goes to the dead-letter topic (default 5). */
  maxAttempts?: number;
  /** Start from the beginning of the topic when the group has no committed offset (default true). */
  fromBeginning?: boolean;
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
  close(): Promise<void>;
}
