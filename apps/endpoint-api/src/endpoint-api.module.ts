import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
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
import { Clock } from './ports';
import { LoadBalancersController } from './http/load-balancers.controller';
import { endpointServices } from './endpoint-services';
import { wireApi } from './wire';
import { network } from './network';
import { OpsDnsVerificationsController, PrivateDnsVerificationController } from './http/private-dns.controller';
import {
  ChangeLoadBalancerTagsHandler,
  DeregisterLoadBalancerHandler,
  RegisterLoadBalancerHandler,
} from './handlers/load-balancer.handlers';
import {
  ConsumerNotificationsController,
  NotificationDeliveriesController,
  ProviderNotificationsController,
} from './http/notifications.controller';
import {
  CreateConnectionNotificationHandler,
  DeleteConnectionNotificationsHandler,
  ModifyConnectionNotificationHandler,
} from './handlers/connection-notification.handlers';
import { ConsumerEndpointsBatchController, ConsumerEndpointsController } from './http/consumer-endpoints.controller';
import { OpsConnectionsController, ServiceConnectionsController } from './http/service-connections.controller';
import {
  CreateVpcEndpointHandler,
  DecideConnectionsHandler,
  DeleteVpcEndpointsHandler,
  ModifyVpcEndpointHandler,
} from './handlers/endpoint-connection.handlers';
import { QUOTA_CONTROLLERS } from './http/quotas.controller';
import { HistoryController } from './http/history.controller';
import { ConsoleApiController } from './http/console-api.controller';
import { ConsoleController } from './http/console.controller';
import { ConsistencyInterceptor, ConsistencyTokens } from './http/consistency';
import { DeadLettersController } from './http/dead-letters.controller';

/** Wires endpoint-api: HTTP controllers → command handlers → the core (event store, projections, reactions). */
@Module({
  imports: [CqrsModule],
  controllers: [
    LoadBalancersController,
    ...endpointServices.routes,
    ...network.routes,
    ProviderNotificationsController,
    ConsumerNotificationsController,
    NotificationDeliveriesController,
    ConsumerEndpointsBatchController,
    ConsumerEndpointsController,
    ServiceConnectionsController,
    OpsConnectionsController,
    ...QUOTA_CONTROLLERS,
    PrivateDnsVerificationController,
    OpsDnsVerificationsController,
    HistoryController,
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
    { provide: PageTokens, inject: [PLATFORM_CONFIG], useFactory: (config: PlatformConfig) => new PageTokens(config.paginationSecret) },
    // x-consistency-token on any route: one interceptor waits for it before the handler runs.
    ConsistencyTokens,
    ...network.providers,
    ...wireApi.providers,
    { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
    RegisterLoadBalancerHandler,
    DeregisterLoadBalancerHandler,
    ChangeLoadBalancerTagsHandler,
    ...endpointServices.providers,
    CreateConnectionNotificationHandler,
    ModifyConnectionNotificationHandler,
    DeleteConnectionNotificationsHandler,
    CreateVpcEndpointHandler,
    ModifyVpcEndpointHandler,
    DeleteVpcEndpointsHandler,
    DecideConnectionsHandler,
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
