import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SnsInfo, TestHost, TestScope, eventually, snsEnv, startSns } from '@privatelink/testing';
import { NotifierCore, NotifierModule } from '../src/notifier.service';
import { World, startWorld, stepsOf, worldOf } from '../../connection-broker/test/support';

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

/**
 * The connection workflow's applications (connection-broker's world: endpoint-api, connection-broker,
 * quota-guard) with the notifier beside them on SNS, for the enclosing `describe` block: started by its
 * `beforeAll`, closed by its `afterAll` (the notifier first). `notifierKnows` waits until the notifier has
 * a notification configuration (before a test makes the events it is to deliver).
 */
export function useNotifyingWorld(label: string) {
  let sns: SnsInfo | undefined;
  let started: World | undefined;
  let notifier: TestHost | undefined;
  beforeAll(async () => {
    sns = await startSns();
    started = await startWorld(label);
    notifier = await startNotifierBeside(started.api, `notifier-${label}`, sns);
  }, 180_000);
  afterAll(async () => {
    await notifier?.close();
    await started?.close();
  });
  const running = () => {
    if (!sns || !started || !notifier) throw new Error(`the world '${label}' is not running (used outside its describe block's tests?)`);
    return { sns, world: started, notifierCore: notifier.app.get(NotifierCore) };
  };
  const world = worldOf(() => running().world);
  return {
    world: Object.assign(
      world,
      stepsOf(() => world),
    ),
    sns: () => running().sns,
    notifierKnows: (connectionNotificationId: string) =>
      eventually(async () => {
        const rows = await running().notifierCore.runtime.db.query(`SELECT 1 FROM rm_notification_targets WHERE id = $1`, [
          connectionNotificationId,
        ]);
        expect(rows.length).toBe(1);
      }),
  };
}
