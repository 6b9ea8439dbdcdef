import { MessageTransport } from '@privatelink/contracts';
import {
  ConnectionNotification,
  EndpointConnectionState,
  EndpointServiceState,
  LoadBalancerState,
  NotificationDelivery,
} from '@privatelink/domain';
import { CommandGateway, Logger, Metrics, PlatformConfig, ReadinessRegistry, ServiceRuntime } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { CreateNetworkInventory1766000000000, NetworkDoc, networkProjection } from './network/network.projection';
import { CreateEndpointApiReadModels1764230500000, EndpointServiceDiscoveryIndexes1764400000000 } from './projections/migrations';
import { loadBalancersProjection } from './projections/load-balancers.projection';
import { endpointServicesProjection } from './projections/endpoint-services.projection';
import { ServiceActivation } from './consumers/service-activation.consumer';
import { connectionNotificationsProjection, notificationDeliveriesProjection } from './projections/notifications.projections';
import { CreateNotificationReadModels1764500000000 } from './projections/notifications.migration';
import { ServiceDeletion } from './consumers/service-deletion.consumer';
import { endpointConnectionsProjection } from './projections/endpoint-connections.projection';
import { CreateEndpointConnectionReadModel1764700000000 } from './projections/endpoint-connections.migration';
import { registerOwnedCommands } from './handlers/owned-commands';
import { QuotaEdge } from './handlers/quota-edge';
import { CreateHistory1765100000000, registerHistory } from './history/history';
import { nearLimitLedgers } from './projections/near-limit';
import {
  CreatePrivateDnsVerificationReadModel1764900000000,
  PrivateDnsVerificationDoc,
  privateDnsVerificationsProjection,
} from './projections/private-dns-verifications.projection';

export interface EndpointApiDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  clock?: () => Date;
}

/**
 * endpoint-api without the framework: its runtime (schema, event store, relay), its read models and its
 * reactions. The Nest module, the tests and the benchmark all build it the same way.
 */
export class EndpointApiCore {
  static readonly service = 'endpoint-api';
  readonly loadBalancers: ProjectionRunner<LoadBalancerState>;
  readonly endpointServices: ProjectionRunner<EndpointServiceState>;
  readonly connectionNotifications: ProjectionRunner<ConnectionNotification>;
  readonly notificationDeliveries: ProjectionRunner<NotificationDelivery>;
  /** dns-verifier's verifications of the services' private DNS names (service view, consumer view, ops). */
  readonly privateDnsVerifications: ProjectionRunner<PrivateDnsVerificationDoc>;
  /** connection-broker's connections, as the consumer, the provider and ops read them. */
  readonly endpointConnections: ProjectionRunner<EndpointConnectionState>;
  readonly network: ProjectionRunner<NetworkDoc>;
  /** Sends commands to the services that own the streams the edge does not (connections, verifications, deliveries, quotas). */
  readonly commands: CommandGateway;
  /** quota-guard's ledgers and increase requests as the edge reads them, and the quota commands it forwards. */
  readonly quotas: QuotaEdge;

  private constructor(
    readonly runtime: ServiceRuntime,
    readonly deps: EndpointApiDeps,
  ) {
    this.loadBalancers = runtime.addProjection(loadBalancersProjection);
    this.endpointServices = runtime.addProjection(endpointServicesProjection);
    this.connectionNotifications = runtime.addProjection(connectionNotificationsProjection);
    this.notificationDeliveries = runtime.addProjection(notificationDeliveriesProjection);
    this.privateDnsVerifications = runtime.addProjection(privateDnsVerificationsProjection);
    this.commands = new CommandGateway(runtime, deps.transport);
    this.quotas = new QuotaEdge(this);
    this.endpointConnections = runtime.addProjection(endpointConnectionsProjection);
    this.network = runtime.addProjection(networkProjection);
    registerOwnedCommands(this);
    new ServiceActivation(this).register();
    new ServiceDeletion(this).register();
    registerHistory(runtime);
    deps.metrics.ops.watchPendingAcceptance(EndpointApiCore.service, () => this.oldestPendingAcceptanceAge());
    deps.metrics.ops.watchQuotaScopesNearLimit(async () => (await nearLimitLedgers(this, { after: null, limit: 100_000 })).length);
    deps.metrics.ops.watchPrivateDnsVerifications(async () => {
      const rows: Array<{ state: string; n: number }> = await this.runtime.db.query(
        `SELECT state, count(*)::int AS n FROM rm_private_dns_verifications GROUP BY state`,
      );
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    });
  }

  /** Seconds the oldest request waiting for a provider's acceptance has waited (null: none waits). */
  async oldestPendingAcceptanceAge(): Promise<number | null> {
    if (!this.runtime.db.isInitialized) throw new Error('closed');
    const [row] = await this.runtime.db.query(
      `SELECT min(pending_acceptance_since) AS oldest FROM rm_endpoint_connections WHERE state = 'pendingAcceptance'`,
    );
    return row?.oldest ? Math.max(0, (this.now().getTime() - Date.parse(row.oldest)) / 1000) : null;
  }

  static async open(deps: EndpointApiDeps): Promise<EndpointApiCore> {
    const runtime = await ServiceRuntime.open({
      service: EndpointApiCore.service,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger: deps.logger.child({ service: EndpointApiCore.service }),
      migrations: [
        CreateEndpointApiReadModels1764230500000,
        EndpointServiceDiscoveryIndexes1764400000000,
        CreateNotificationReadModels1764500000000,
        CreateEndpointConnectionReadModel1764700000000,
        ...QuotaEdge.migrations,
        CreatePrivateDnsVerificationReadModel1764900000000,
        CreateHistory1765100000000,
        CreateNetworkInventory1766000000000,
      ],
    });
    return new EndpointApiCore(runtime, deps);
  }

  now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  get config(): PlatformConfig {
    return this.deps.config;
  }

  async start(): Promise<void> {
    await this.commands.start();
    await this.runtime.start();
  }

  async stop(): Promise<void> {
    await this.commands.stop();
    await this.runtime.stop();
  }
}
