// An SNS/SQS-compatible endpoint for integration tests: PRIVATELINK_TEST_SNS_ENDPOINT, else moto's
// server from scripts/infra/moto.sh (http://127.0.0.1:54566). Always the script, Docker or not:
// moto comes from PyPI and needs nothing but python3.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { infraScript, repoRoot, run } from './infra';

export interface SnsInfo {
  endpoint: string;
  region: string;
  /** moto accepts any credentials; these are what the helpers and the aws CLI use. */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const REGION = process.env.PRIVATELINK_TEST_AWS_REGION ?? 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Makes sure moto's server runs and returns its endpoint (state is in memory: empty after a restart). */
export async function startSns(): Promise<SnsInfo> {
  const fromEnv = process.env.PRIVATELINK_TEST_SNS_ENDPOINT;
  const endpoint = fromEnv || (await infraScript('moto', 'start'));
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`moto.sh start printed no endpoint: ${endpoint}`);
  return { endpoint, region: REGION, credentials: { ...CREDENTIALS } };
}

/** The settings that point a host's SNS client at `sns` (its endpoint and credentials). */
export function snsEnv(sns: SnsInfo): Record<string, string> {
  return {
    PRIVATELINK_SNS_ENDPOINT: sns.endpoint,
    PRIVATELINK_SNS_ACCESS_KEY_ID: sns.credentials.accessKeyId,
    PRIVATELINK_SNS_SECRET_ACCESS_KEY: sns.credentials.secretAccessKey,
  };
}

let venv: Promise<string> | undefined;

/**
 * Runs the aws CLI (installed by moto.sh into .cache/venv) against `sns.endpoint` and returns its
 * stdout parsed as JSON (or null when it printed nothing). For tests without @aws-sdk clients:
 *   await awsCli(sns, ['sns', 'create-topic', '--name', 'events'])  // => { TopicArn: ... }
 */
export async function awsCli(sns: SnsInfo, args: string[]): Promise<unknown> {
  venv ??= infraScript('moto', 'venv');
  const aws = join(await venv, 'bin', 'aws');
  const { stdout } = await run(aws, ['--endpoint-url', sns.endpoint, '--region', sns.region, '--output', 'json', ...args], {
    cwd: repoRoot(),
    timeoutMs: 60_000,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: sns.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sns.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: sns.region,
      AWS_PAGER: '',
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

/** A real SNS topic on the local SNS server with a real SQS queue subscribed, to read back what was published. */
/** SQS FIFO queues drop a message whose deduplication id was sent in the last five minutes. */
const FIFO_DEDUPLICATION_MS = 5 * 60_000;

/** A message as the topic's subscribers read it: the published body and its message attributes. */
export interface TopicMessage {
  body: Record<string, unknown>;
  attributes: Record<string, string>;
}

export class TopicWithQueue {
  private readonly collected: TopicMessage[] = [];
  /** A FIFO queue's deduplication ids read so far, with when their first copy was sent (see receiveBatch). */
  private readonly firstSent = new Map<string, number>();
  private absorbedCopies = 0;
  private collector?: { run: { stop: boolean }; done: Promise<void> };

  private constructor(
    readonly topicArn: string,
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly endpoint: string,
  ) {}

  static async create(sns: SnsInfo, name = `pl-${randomBytes(4).toString('hex')}`): Promise<TopicWithQueue> {
    const clientConfig = { endpoint: sns.endpoint, region: sns.region, credentials: sns.credentials };
    const snsClient = new SNSClient(clientConfig);
    const sqs = new SQSClient(clientConfig);
    const fifo = name.endsWith('.fifo');
    const { TopicArn } = await snsClient.send(new CreateTopicCommand({ Name: name, Attributes: fifo ? { FifoTopic: 'true' } : undefined }));
    const queueName = fifo ? `${name.slice(0, -5)}-q.fifo` : `${name}-q`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: queueName, Attributes: fifo ? { FifoQueue: 'true' } : undefined }),
    );
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await snsClient.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!.QueueArn }));
    snsClient.destroy();
    return new TopicWithQueue(TopicArn!, sqs, QueueUrl!, sns.endpoint);
  }

  /**
   * Reads until `count` messages arrived, or until `enough(messages)` when given (or the time is up); returns
   * the published messages, in arrival order.
   */
  async receive(
    count: number,
    timeoutMs = 30_000,
    enough: (got: Array<{ body: Record<string, unknown> }>) => boolean = (got) => got.length >= count,
  ): Promise<TopicMessage[]> {
    const got: TopicMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!enough(got) && Date.now() < deadline) got.push(...(await this.receiveBatch(1)));
    return got;
  }

  /**
   * Every Publish the SNS server accepted on this topic, de-duplicated or not, as their message bodies: read
   * from moto's state dump, so a FIFO topic's repeated publishes (which SQS never sees) can be counted.
   */
  async publishes(): Promise<Array<Record<string, unknown>>> {
    const res = await fetch(`${this.endpoint}/moto-api/data.json`);
    if (!res.ok) throw new Error(`moto state dump answered ${res.status}`);
    const dump = (await res.json()) as { sns?: { Topic?: Array<{ arn: string; sent_notifications?: unknown[][] }> } };
    const topic = dump.sns?.Topic?.find((t) => t.arn === this.topicArn);
    return (topic?.sent_notifications ?? []).map((n) => JSON.parse(String(n[1])) as Record<string, unknown>);
  }

  /**
   * Reads every message there is, until `quietReceives` receives in a row come back empty (or the time is
   * up), deleting them as it goes; returns them in arrival order, after what `collect` already read. For
   * counting deliveries after a run.
   */
  async drain(quietReceives = 3, timeoutMs = 120_000): Promise<TopicMessage[]> {
    await this.stopCollecting();
    const got = this.collected.splice(0);
    const deadline = Date.now() + timeoutMs;
    for (let quiet = 0; quiet < quietReceives && Date.now() < deadline;) {
      const messages = await this.receiveBatch(1);
      quiet = messages.length === 0 ? quiet + 1 : 0;
      got.push(...messages);
    }
    return got;
  }

  /**
   * Reads (and deletes) what arrives from now on, in the background, until `drain`: the queue stays short
   * during a long run. moto scans a queue's whole message list on every receive, so a backlog of thousands
   * read only at the end takes longer than any bound (a second for ten messages at 3,000).
   */
  collect(): void {
    if (this.collector) return;
    const run = { stop: false };
    const loop = async () => {
      while (!run.stop) {
        try {
          this.collected.push(...(await this.receiveBatch(1)));
        } catch {
          // The SNS server paused or restarting (the chaos run does that): ask again in a moment.
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    };
    this.collector = { run, done: loop() };
  }

  private async stopCollecting(): Promise<void> {
    if (!this.collector) return;
    this.collector.run.stop = true;
    await this.collector.done;
    this.collector = undefined;
  }

  /**
   * Copies that SQS's FIFO deduplication drops (the same deduplication id within five minutes of the first)
   * but moto let through because the first was read and deleted already: moto compares only with the
   * messages still in the queue, where SQS remembers the id for the whole interval.
   */
  get absorbedByDeduplication(): number {
    return this.absorbedCopies;
  }

  /** One receive of up to ten messages (long-polling `waitSeconds`), deleted at once; their bodies and attributes. */
  private async receiveBatch(waitSeconds: number): Promise<TopicMessage[]> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['MessageDeduplicationId', 'SentTimestamp'],
      }),
    );
    const messages = res.Messages ?? [];
    if (messages.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    return messages
      .filter((m) => !this.isDeduplicatedCopy(m))
      .map((m) => {
        const envelope = JSON.parse(m.Body!);
        const attributes = Object.fromEntries(
          Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, (v as { Value: string }).Value]),
        );
        return { body: JSON.parse(envelope.Message), attributes };
      });
  }

  private isDeduplicatedCopy(m: { Attributes?: Partial<Record<string, string>> }): boolean {
    const id = m.Attributes?.MessageDeduplicationId;
    const sent = Number(m.Attributes?.SentTimestamp);
    if (!id || !Number.isFinite(sent)) return false;
    const first = this.firstSent.get(id);
    if (first === undefined) {
      this.firstSent.set(id, sent);
      return false;
    }
    if (sent - first >= FIFO_DEDUPLICATION_MS) return false;
    this.absorbedCopies += 1;
    return true;
  }

  close(): void {
    if (this.collector) this.collector.run.stop = true;
    this.sqs.destroy();
  }
}
