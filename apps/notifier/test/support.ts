import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SnsInfo } from '@privatelink/testing';

/** A real SNS topic on the local SNS server with a real SQS queue subscribed, to read back what was published. */
export class TopicWithQueue {
  private constructor(readonly topicArn: string, private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  static async create(sns: SnsInfo, name = `pl-${randomBytes(4).toString('hex')}`): Promise<TopicWithQueue> {
    const clientConfig = { endpoint: sns.endpoint, region: sns.region, credentials: sns.credentials };
    const snsClient = new SNSClient(clientConfig);
    const sqs = new SQSClient(clientConfig);
    const fifo = name.endsWith('.fifo');
    const { TopicArn } = await snsClient.send(new CreateTopicCommand({ Name: name, Attributes: fifo ? { FifoTopic: 'true' } : undefined }));
    const queueName = fifo ? `${name.slice(0, -5)}-q.fifo` : `${name}-q`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: fifo ? { FifoQueue: 'true' } : undefined }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await snsClient.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!.QueueArn }));
    snsClient.destroy();
    return new TopicWithQueue(TopicArn!, sqs, QueueUrl!);
  }

  /**
   * Reads until `count` messages arrived, or until `enough(messages)` when given (or the time is up); returns
   * the published messages, in arrival order.
   */
  async receive(
    count: number,
    timeoutMs = 30_000,
    enough: (got: Array<{ body: Record<string, unknown> }>) => boolean = (got) => got.length >= count,
  ): Promise<Array<{ body: Record<string, unknown>; attributes: Record<string, string> }>> {
    const got: Array<{ body: Record<string, unknown>; attributes: Record<string, string> }> = [];
    const deadline = Date.now() + timeoutMs;
    while (!enough(got) && Date.now() < deadline) {
      const res = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of res.Messages ?? []) {
        const envelope = JSON.parse(m.Body!);
        const attributes = Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, (v as { Value: string }).Value]));
        got.push({ body: JSON.parse(envelope.Message), attributes });
        await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    return got;
  }

  close(): void {
    this.sqs.destroy();
  }
}

export const uuid = randomUUID;
export { request };
