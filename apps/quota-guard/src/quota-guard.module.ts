import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { Logger, Metrics, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ROOT_LOGGER, TRANSPORT } from '@privatelink/platform';
import { QuotaGuardCore } from './quota-guard.core';

function coreProvider(clock?: () => Date): Provider {
  return {
    provide: QuotaGuardCore,
    inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
    useFactory: (config: PlatformConfig, transport: MessageTransport, metrics: Metrics, readiness: ReadinessRegistry, logger: Logger) =>
      QuotaGuardCore.open({ config, transport, metrics, readiness, logger, clock }),
  };
}

/** Starts the core with the application and stops it with it. */
class QuotaGuardLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(QuotaGuardCore) private readonly core: QuotaGuardCore) {}

  onApplicationBootstrap(): Promise<void> {
    return this.core.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.core.stop();
  }
}

@Module({})
class QuotaGuardWithClockModule {}

/**
 * quota-guard: owns the QuotaLedger streams and the quota increase requests. It has no HTTP routes of its
 * own (endpoint-api is the edge); it answers over Kafka. Health, readiness and metrics come from the platform.
 */
@Module({ providers: [coreProvider(), QuotaGuardLifecycle], exports: [QuotaGuardCore] })
export class QuotaGuardModule {
  /** The same service on another clock (a test's, to move reservations past their time). */
  static withClock(clock: () => Date): DynamicModule {
    return { module: QuotaGuardWithClockModule, providers: [coreProvider(clock), QuotaGuardLifecycle], exports: [QuotaGuardCore] };
  }
}
