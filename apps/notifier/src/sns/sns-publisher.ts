import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeliveryAttemptOutcome } from '@privatelink/domain';
import { PlatformConfig } from '@privatelink/platform';

export interface SnsMessage {
  topicArn: string;
  /** JSON body. */
  message: string;
  attributes: Record<string, string>;
  /** The source event id: FIFO topics de-duplicate on it, subscribers can too (it is also in the body). */
  deduplicationId: string;
  /** FIFO topics keep one endpoint's messages in order. */
  groupId: string;
}

/** SNS error names that will not pass by retrying: the topic is gone or refuses us. */
const PERMANENT = new Set([
  'NotFoundException',
  'NotFound',
  'AuthorizationErrorException',
  'AuthorizationError',
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValueException',
  'KMSDisabledException',
  'KMSNotFoundException',
  'InvalidSecurityException',
]);

/**
 * The notifier's only way out: one SNS Publish per delivery. The SDK does not retry (the delivery's own
 * backoff does, durably); each failure is classified as passing (throttling, 5xx, network) or not.
 */
export class SnsPublisher {
  private readonly client: SNSClient;

  constructor(config: PlatformConfig['sns']) {
    this.client = new SNSClient({
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      maxAttempts: 1,
      // Without throwOnRequestTimeout the SDK only warns and keeps waiting on an endpoint that stopped answering.
      requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000, throwOnRequestTimeout: true } as never,
    });
  }

  async publish(m: SnsMessage): Promise<DeliveryAttemptOutcome> {
    const fifo = m.topicArn.endsWith('.fifo');
    try {
      const result = await this.client.send(
        new PublishCommand({
          TopicArn: m.topicArn,
          Message: m.message,
          MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
          ...(fifo ? { MessageDeduplicationId: m.deduplicationId, MessageGroupId: m.groupId } : {}),
        }),
      );
      return { ok: true, snsMessageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
      const name = e.name ?? 'Error';
      const status = e.$metadata?.httpStatusCode;
      const permanent =
        PERMANENT.has(name) || (status !== undefined && status >= 400 && status < 500 && status !== 429 && !/Throttl/i.test(name));
      return { ok: false, error: `${name}: ${e.message ?? 'SNS publish failed'}`.slice(0, 1_000), retryable: !permanent };
    }
  }

  close(): void {
    this.client.destroy();
  }
}
