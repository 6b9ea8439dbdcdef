import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { MigrationInterface } from 'typeorm';
import { PlatformConfig } from './config';
import { ReadinessRegistry } from './health';
import { Logger } from './logger';
import { Metrics } from './metrics';
import { PLATFORM_CONFIG, ROOT_LOGGER, TRANSPORT } from './platform.module';
import { ServiceRuntime } from './service-runtime';

export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');

class RuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}
  onApplicationBootstrap(): Promise<void> {
    return this.runtime.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.runtime.stop();
  }
}

/**
 * Gives a service module its runtime (own schema, event store, outbox relay, readiness checks) and starts
 * and stops it with the application. Inject it with `@Inject(SERVICE_RUNTIME)` inside the service module.
 */
@Module({})
export class ServiceRuntimeModule {
  static register(options: { service: string; migrations?: Array<new () => MigrationInterface> }): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      providers: [
        {
          provide: SERVICE_RUNTIME,
          inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
          useFactory: (
            config: PlatformConfig,
            transport: MessageTransport,
            metrics: Metrics,
            readiness: ReadinessRegistry,
            logger: Logger,
          ) =>
            ServiceRuntime.open({
              service: options.service,
              config,
              transport,
              metrics,
              readiness,
              logger: logger.child({ service: options.service }),
              migrations: options.migrations,
            }),
        },
        RuntimeLifecycle,
      ],
      exports: [SERVICE_RUNTIME],
    };
  }
}
