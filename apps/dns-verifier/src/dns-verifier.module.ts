import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { Logger, Metrics, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ROOT_LOGGER, TRANSPORT } from '@privatelink/platform';
import { DnsVerifierCore } from './dns-verifier.core';
import { RandomSource } from './random';

export const DNS_VERIFIER_OPTIONS = Symbol('DNS_VERIFIER_OPTIONS');

export interface DnsVerifierOptions {
  /** The schedule's clock: tests move it forward to make re-checks due. */
  clock?: () => Date;
  random?: RandomSource;
}

/**
 * dns-verifier: owns the PrivateDnsVerification streams and the re-check schedule. It reacts to private
 * DNS name changes of endpoint services (Kafka), answers the forwarded manual verification command, and
 * re-checks on schedule. It serves no HTTP routes of its own (the edge is endpoint-api).
 */
@Module({
  providers: [
    {
      provide: DnsVerifierCore,
      inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER, { token: DNS_VERIFIER_OPTIONS, optional: true }],
      useFactory: (
        config: PlatformConfig,
        transport: MessageTransport,
        metrics: Metrics,
        readiness: ReadinessRegistry,
        logger: Logger,
        options?: DnsVerifierOptions,
      ) => DnsVerifierCore.open({ config, transport, metrics, readiness, logger, clock: options?.clock, random: options?.random }),
    },
  ],
  exports: [DnsVerifierCore],
})
export class DnsVerifierModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(DnsVerifierCore) private readonly core: DnsVerifierCore) {}

  /** The module with an injected clock or randomness (tests, benchmark). */
  static register(options: DnsVerifierOptions): DynamicModule {
    return { module: DnsVerifierModule, providers: [{ provide: DNS_VERIFIER_OPTIONS, useValue: options }] };
  }

  onApplicationBootstrap(): Promise<void> {
    return this.core.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.core.stop();
  }
}
