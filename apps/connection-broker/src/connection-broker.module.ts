import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { Logger, Metrics, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ROOT_LOGGER, TRANSPORT } from '@privatelink/platform';
import { ConnectionBrokerCore } from './connection-broker.core';
import { QuotaPort } from './quota/quota.port';

function coreProvider(quota?: QuotaPort): Provider {
  return {
    provide: ConnectionBrokerCore,
    inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
    useFactory: (config: PlatformConfig, transport: MessageTransport, metrics: Metrics, readiness: ReadinessRegistry, logger: Logger) =>
      ConnectionBrokerCore.open({ config, transport, metrics, readiness, logger, quota }),
  };
}

/** Starts the core with the application and stops it with it. */
class BrokerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ConnectionBrokerCore) private readonly core: ConnectionBrokerCore) {}

  onApplicationBootstrap(): Promise<void> {
    return this.core.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.core.stop();
  }
}

@Module({})
class ConnectionBrokerWithQuotaModule {}

/**
 * connection-broker: owns the EndpointConnection streams and the acceptance workflow. It has no HTTP
 * routes of its own (endpoint-api is the edge); it answers over Kafka. Health, readiness and metrics come
 * from the platform.
 */
@Module({ providers: [coreProvider(), BrokerLifecycle], exports: [ConnectionBrokerCore] })
export class ConnectionBrokerModule {
  /** The same service with another quota adapter (quota-guard's, or a test's). */
  static withQuota(quota: QuotaPort): DynamicModule {
    return { module: ConnectionBrokerWithQuotaModule, providers: [coreProvider(quota), BrokerLifecycle], exports: [ConnectionBrokerCore] };
  }
}
