import { MessageTransport } from '@privatelink/contracts';
import { ConnectionNotification } from '@privatelink/domain';
import { Logger, Metrics, PlatformConfig, ReadinessRegistry, registerCommandHandlers, ServiceRuntime } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { CreateNotifierTables1764231000000 } from './projections/migrations';
import { notificationTargetsProjection } from './projections/notification-targets.projection';
import { ScheduleDeliveries } from './consumers/schedule-deliveries.consumer';
import { DeliveryWorker, Publisher } from './delivery/delivery-worker';
import { SnsPublisher } from './sns/sns-publisher';
import { measuredPublisher } from './sns/measured-publisher';
import { redriveDelivery } from './handlers/redrive.handler';

export interface NotifierDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  clock?: () => Date;
  /** Defaults to SNS as configured; tests may pass another real endpoint's publisher. */
  publisher?: Publisher;
}

/**
 * notifier without the framework: where to deliver (projection of notification configurations), what to
 * deliver (a delivery per wanted connection event) and the worker that publishes to SNS with retries.
 */
export class NotifierCore {
  static readonly service = 'notifier';
  readonly targets: ProjectionRunner<ConnectionNotification>;
  readonly worker: DeliveryWorker;
  private readonly sns?: SnsPublisher;

  private constructor(
    readonly runtime: ServiceRuntime,
    readonly deps: NotifierDeps,
  ) {
    this.targets = runtime.addProjection(notificationTargetsProjection);
    if (!deps.publisher) this.sns = new SnsPublisher(deps.config.sns);
    const { notify } = deps.config;
    this.worker = new DeliveryWorker(
      runtime,
      measuredPublisher(deps.publisher ?? this.sns!, deps.metrics.ops),
      { maxAttempts: notify.maxAttempts, baseDelayMs: notify.baseDelayMs, maxDelayMs: notify.maxDelayMs },
      () => this.now(),
      deps.logger.child({ component: 'delivery-worker' }),
      { pollMs: notify.pollMs },
    );
    new ScheduleDeliveries(this).register();
    registerCommandHandlers(runtime, [redriveDelivery(this)]);
  }

  static async open(deps: NotifierDeps): Promise<NotifierCore> {
    const runtime = await ServiceRuntime.open({
      service: NotifierCore.service,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger: deps.logger.child({ service: NotifierCore.service }),
      migrations: [CreateNotifierTables1764231000000],
    });
    return new NotifierCore(runtime, deps);
  }

  now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.worker.start();
  }

  async stop(): Promise<void> {
    const stopped = this.worker.stop();
    // Publishes wait long for a hung SNS (sns-publisher.ts); closing the client ends them now, recorded as
    // unanswered attempts that the next notifier makes again, so a stop never waits for SNS.
    this.sns?.close();
    await stopped;
    await this.runtime.stop();
  }
}
