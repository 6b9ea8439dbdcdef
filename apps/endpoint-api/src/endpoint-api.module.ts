import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessageTransport } from '@privatelink/contracts';
import {
  CommandGateway,
  Logger,
  Metrics,
  PLATFORM_CONFIG,
  PageTokens,
  PlatformConfig,
  ReadinessRegistry,
  ROOT_LOGGER,
  ServiceRuntime,
  TRANSPORT,
} from '@privatelink/platform';
import { EndpointApiCore } from './endpoint-api.core';
import { QuotaEdge } from './handlers/quota-edge';
import { Clock, ENDPOINT_CONNECTIONS, PRIVATE_DNS_VERIFICATIONS } from './ports';
import { loadBalancerUseCases } from './load-balancers';
import { endpointServices } from './endpoint-services';
import { VerifyPrivateDnsHandler } from './private-dns/verify/verify-private-dns.handler';
import { VerifyPrivateDnsRoute } from './private-dns/verify/verify-private-dns.route';
import { DescribeDnsVerificationsRoute } from './private-dns/describe/describe-dns-verifications.route';
import { connectionNotificationUseCases } from './connection-notifications';
import { NotificationDeliveriesRoute } from './notification-deliveries/notification-deliveries.route';
import { endpointConnections } from './endpoint-connections';
import { quotaUseCases } from './quotas';
import { HistoryRoute } from './history/history.route';
import { wireApi } from './wire';
import { network } from './network';
import { ConsoleApiController } from './http/console-api.controller';
import { ConsoleController } from './http/console.controller';
import { ConsistencyInterceptor, ConsistencyTokens } from './http/consistency';
import { DeadLettersController } from './http/dead-letters.controller';

/** Wires endpoint-api: HTTP controllers → command handlers → the core (event store, projections, reactions). */
@Module({
  controllers: [
    ...loadBalancerUseCases.routes,
    ...endpointServices.routes,
    ...connectionNotificationUseCases.routes,
    NotificationDeliveriesRoute,
    ...endpointConnections.routes,
    ...quotaUseCases.routes,
    VerifyPrivateDnsRoute,
    DescribeDnsVerificationsRoute,
    HistoryRoute,
    ...network.routes,
    ConsoleApiController,
    ConsoleController,
    DeadLettersController,
  ],
  providers: [
    {
      provide: EndpointApiCore,
      inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
      useFactory: (config: PlatformConfig, transport: MessageTransport, metrics: Metrics, readiness: ReadinessRegistry, logger: Logger) =>
        EndpointApiCore.open({ config, transport, metrics, readiness, logger }),
    },
    // The narrow ports handlers, routes and query modules ask for, each a piece of the core.
    { provide: ServiceRuntime, inject: [EndpointApiCore], useFactory: (core: EndpointApiCore) => core.runtime },
    { provide: Clock, inject: [EndpointApiCore], useFactory: (core: EndpointApiCore): Clock => ({ now: () => core.now() }) },
    { provide: QuotaEdge, inject: [EndpointApiCore], useFactory: (core: EndpointApiCore) => core.quotas },
    { provide: CommandGateway, inject: [EndpointApiCore], useFactory: (core: EndpointApiCore) => core.commands },
    { provide: ENDPOINT_CONNECTIONS, inject: [EndpointApiCore], useFactory: (core: EndpointApiCore) => core.endpointConnections },
    {
      provide: PRIVATE_DNS_VERIFICATIONS,
      inject: [EndpointApiCore],
      useFactory: (core: EndpointApiCore) => core.privateDnsVerifications,
    },
    { provide: PageTokens, inject: [PLATFORM_CONFIG], useFactory: (config: PlatformConfig) => new PageTokens(config.paginationSecret) },
    // x-consistency-token on any route: one interceptor waits for it before the handler runs.
    ConsistencyTokens,
    ...network.providers,
    ...wireApi.providers,
    { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
    ...loadBalancerUseCases.providers,
    ...endpointServices.providers,
    ...connectionNotificationUseCases.providers,
    VerifyPrivateDnsHandler,
    ...quotaUseCases.providers,
    ...endpointConnections.providers,
  ],
  exports: [EndpointApiCore],
})
export class EndpointApiModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly core: EndpointApiCore) {}

  onApplicationBootstrap(): Promise<void> {
    return this.core.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.core.stop();
  }
}
