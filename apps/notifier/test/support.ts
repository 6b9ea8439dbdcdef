import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SnsInfo, TestHost, TestScope, snsEnv } from '@privatelink/testing';
import { NotifierModule } from '../src/notifier.service';

// The SNS topic with an SQS queue subscribed lives in libs/testing (the chaos suite reads deliveries back with it too).
export { TopicWithQueue } from '@privatelink/testing';

export const uuid = randomUUID;
export { request };

/**
 * The notifier as its own application beside a running endpoint-api (`api`): the same database and Kafka
 * namespace, SNS at `sns`, polling its outbox every 20 ms.
 */
export function startNotifierBeside(api: { scope: TestScope }, processName: string, sns: SnsInfo): Promise<TestHost> {
  return api.scope.startHost(processName, [NotifierModule], { ...snsEnv(sns), PRIVATELINK_NOTIFY_POLL_MS: '20' });
}
