import { EntityManager } from 'typeorm';
import { MessageTransport, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { EndpointConnectionCommand, EndpointServiceState, PrivateDnsFacts } from '@privatelink/domain';
import { Logger, Metrics, PlatformConfig, ReadinessRegistry, ServiceRuntime, WriteContext } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import {
  BackfillWorkflowDeadlines1765000300000,
  CreateConnectionBrokerReadModels1764500000000,
  CreateWorkflowDeadlines1765000100000,
} from './projections/migrations';
import { brokerServicesProjection } from './projections/services.projection';
import {
  VerificationView,
  isPrivateDnsNameVerified,
  privateDnsVerificationsProjection,
} from './projections/private-dns-verifications.projection';
import { QuotaPort } from './quota/quota.port';
import { QuotaDecisions, QuotaGuardQuota } from './quota/quota-guard.quota';
import { registerConnectionCommands } from './handlers/connection-commands';
import { ConnectionWrite, writeConnection } from './handlers/connection-writes';
import { AcceptanceWorkflow } from './consumers/acceptance-workflow';
import { WorkflowReconciler } from './reconciler/workflow-reconciler';

export interface ConnectionBrokerDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  clock?: () => Date;
  /** Capacity for new connections: quota-guard by default (a test may pass another adapter). */
  quota?: QuotaPort;
}

type Sql = Pick<EntityManager, 'query'>;

/**
 * connection-broker without the framework: it owns the EndpointConnection streams, decides the commands
 * endpoint-api forwards (request, accept, reject, delete, modify), and runs the acceptance workflow, a
 * process manager driven by its own events and by endpoint-api's answers, whose progress lives in the
 * connection streams (never in memory). It reads only its own tables: its views of the services and of
 * the private DNS verifications, fed from Kafka.
 */
export class ConnectionBrokerCore {
  static readonly service = 'connection-broker';
  readonly services: ProjectionRunner<EndpointServiceState>;
  readonly verifications: ProjectionRunner<VerificationView>;
  readonly quota: QuotaPort;
  readonly logger: Logger;
  readonly reconciler: WorkflowReconciler;

  private constructor(
    readonly runtime: ServiceRuntime,
    readonly deps: ConnectionBrokerDeps,
  ) {
    this.quota = deps.quota ?? new QuotaGuardQuota(runtime, () => this.now());
    this.logger = deps.logger.child({ service: ConnectionBrokerCore.service });
    deps.metrics.ops.initializeWorkflowSeries();
    this.services = runtime.addProjection(brokerServicesProjection);
    this.verifications = runtime.addProjection(privateDnsVerificationsProjection);
    registerConnectionCommands(this);
    new AcceptanceWorkflow(this).register();
    // quota-guard answers later, on the outcomes topic.
    if (this.quota instanceof QuotaGuardQuota) new QuotaDecisions(this).register();
    this.reconciler = new WorkflowReconciler(this, deps.config.workflow, this.logger.child({ component: 'workflow-reconciler' }));
  }

  static async open(deps: ConnectionBrokerDeps): Promise<ConnectionBrokerCore> {
    const runtime = await ServiceRuntime.open({
      service: ConnectionBrokerCore.service,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger: deps.logger.child({ service: ConnectionBrokerCore.service }),
      migrations: [
        CreateConnectionBrokerReadModels1764500000000,
        CreateWorkflowDeadlines1765000100000,
        BackfillWorkflowDeadlines1765000300000,
      ],
    });
    return new ConnectionBrokerCore(runtime, deps);
  }

  now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.reconciler.start();
  }

  async stop(): Promise<void> {
    await this.reconciler.stop();
    await this.runtime.stop();
  }

  /** The broker's view of a service (null when it has not seen it). */
  async serviceView(serviceId: string, tx?: Sql): Promise<EndpointServiceState | null> {
    const rows = await (tx ?? this.runtime.db).query(`SELECT doc FROM cb_services WHERE id = $1`, [serviceId]);
    return (rows[0]?.doc as EndpointServiceState | undefined) ?? null;
  }

  /** Waits (bounded) until the broker's view of the service has applied `version` of its stream. */
  serviceViewReaches(serviceId: string, version: number, timeoutMs: number): Promise<boolean> {
    return this.services.waitFor(streamIdFor(streamFamilies.endpointService, serviceId), version, timeoutMs);
  }

  /**
   * The workflow's checks of a new request, on the broker's views. The view of the service is first given
   * (bounded) time to reach the version the edge validated against; if it has not, the checks must not
   * refuse on it (`serviceViewCurrent: false`): the service's own stream decides when the connection attaches.
   */
  async evaluationOf(
    serviceId: string,
    observedServiceVersion: number,
    waitMs: number,
  ): Promise<Extract<EndpointConnectionCommand, { type: 'evaluateRequest' }>> {
    const current = await this.serviceViewReaches(serviceId, observedServiceVersion, waitMs);
    const service = await this.serviceView(serviceId);
    const { verified } = await this.privateDnsFacts(service);
    return { type: 'evaluateRequest', service, privateDnsVerified: verified, serviceViewCurrent: current, now: this.now().toISOString() };
  }

  /** The service's private DNS name now, and whether dns-verifier reported it verified. */
  async privateDnsFacts(service: EndpointServiceState | null, tx?: Sql): Promise<PrivateDnsFacts> {
    if (!service?.privateDnsName) return { privateDnsName: null, verified: false };
    const rows = await (tx ?? this.runtime.db).query(`SELECT doc FROM cb_private_dns_verifications WHERE id = $1`, [service.serviceId]);
    return { privateDnsName: service.privateDnsName, verified: isPrivateDnsNameVerified(service.privateDnsName, rows[0]?.doc) };
  }

  /**
   * quota-guard's later answer to a `pending` quota request (see QuotaPort): the connection goes on to
   * attach to the service, or fails with QuotaExceeded; a connection deleted meanwhile gives a grant back.
   * Idempotent: an answer to a connection that is no longer waiting for one changes nothing.
   */
  recordQuotaDecision(
    vpcEndpointId: string,
    decision: { granted: boolean; message?: string },
    context: WriteContext,
  ): Promise<ConnectionWrite> {
    return this.runtime.transact((tx) =>
      writeConnection(
        this,
        tx,
        vpcEndpointId,
        () => ({ type: 'recordQuotaDecision', granted: decision.granted, message: decision.message, now: this.now().toISOString() }),
        context,
      ),
    );
  }
}
