import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { Logger, Metrics, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ROOT_LOGGER, TRANSPORT } from '@privatelink/platform';
import { NotifierCore } from './notifier.core';

/** notifier: owns the NotificationDelivery log and publishes connection notifications to SNS. */
@Module({
  providers: [
    {
      provide: NotifierCore,
      inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
      useFactory: (config: PlatformConfig, transport: MessageTransport, metrics: Metrics, readiness: ReadinessRegistry, logger: Logger) =>
        NotifierCore.open({ config, transport, metrics, readiness, logger }),
    },
  ],
  exports: [NotifierCore],
})
export class NotifierModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly core: NotifierCore) {}

  onApplicationBootstrap(): Promise<void> {
    return this.core.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.core.stop();
  }
}
