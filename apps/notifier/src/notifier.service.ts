import { defineService, registerCommandHandlers, ServiceOf, ServiceWiring } from '@privatelink/platform';
import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { CreateNotifierTables1764231000000 } from './projections/migrations';
import { notificationTargetsProjection } from './projections/notification-targets.projection';
import { ScheduleDeliveries } from './consumers/schedule-deliveries.consumer';
import { DeliveryWorker, Publisher } from './delivery/delivery-worker';
import { SnsPublisher } from './sns/sns-publisher';
import { measuredPublisher } from './sns/measured-publisher';
import { redriveDelivery } from './handlers/redrive.handler';

export interface NotifierOptions {
  /** Defaults to SNS as configured; tests may pass another real endpoint's publisher. */
  publisher: Publisher;
}

/**
 * notifier: owns the NotificationDelivery log and publishes connection notifications to SNS. Where to
 * deliver (projection of notification configurations), what to deliver (a delivery per wanted connection
 * event) and the worker that publishes with retries.
 */
export const notifier = defineService({
  name: 'notifier',
  migrations: [CreateNotifierTables1764231000000],
  wire: ({ runtime, config, metrics, logger, clock, options }: ServiceWiring<NotifierOptions>) => {
    const targets = runtime.addProjection(notificationTargetsProjection);
    const sns = options.publisher ? undefined : new SnsPublisher(config.sns);
    const { notify } = config;
    const worker = new DeliveryWorker(
      runtime,
      measuredPublisher(options.publisher ?? sns!, metrics.ops),
      { maxAttempts: notify.maxAttempts, baseDelayMs: notify.baseDelayMs, maxDelayMs: notify.maxDelayMs },
      clock,
      logger.child({ component: 'delivery-worker' }),
      { pollMs: notify.pollMs },
    );
    const schedule = new ScheduleDeliveries(runtime, clock, worker);
    runtime.addConsumer('schedule-deliveries', [eventTopicFor(streamFamilies.endpointConnection)], (event) => schedule.handle(event));
    registerCommandHandlers(runtime, [redriveDelivery(runtime, clock, worker)]);
    return {
      targets,
      worker,
      start: () => worker.start(),
      stop: async () => {
        const stopped = worker.stop();
        // Publishes wait long for a hung SNS (sns-publisher.ts); closing the client ends them now, recorded as
        // unanswered attempts that the next notifier makes again, so a stop never waits for SNS.
        sns?.close();
        await stopped;
      },
    };
  },
});

/** The running notifier (`app.get(NotifierCore)`). */
export const NotifierCore = notifier.token;
export type NotifierCore = ServiceOf<typeof notifier>;
export const NotifierModule = notifier.module();
