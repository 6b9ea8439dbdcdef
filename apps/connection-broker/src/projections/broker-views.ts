import { streamFamilies, streamIdFor } from '@privatelink/contracts';
import { EndpointConnectionCommand, EndpointServiceState, PrivateDnsFacts } from '@privatelink/domain';
import { Sql } from '@privatelink/eventstore';
import { Clock, ServiceRuntime } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { brokerServicesProjection } from './services.projection';
import { VerificationView, isPrivateDnsNameVerified, privateDnsVerificationsProjection } from './private-dns-verifications.projection';

/**
 * The broker's own views (it reads no other service's tables), fed from Kafka: the endpoint services and the
 * private DNS verification facts, and the reads of them the workflow and the commands make.
 */
export class BrokerViews {
  readonly services: ProjectionRunner<EndpointServiceState>;
  readonly verifications: ProjectionRunner<VerificationView>;
  private readonly db: Sql;

  constructor(
    runtime: Pick<ServiceRuntime, 'addProjection' | 'db'>,
    private readonly clock: Clock,
  ) {
    this.db = runtime.db;
    this.services = runtime.addProjection(brokerServicesProjection);
    this.verifications = runtime.addProjection(privateDnsVerificationsProjection);
  }

  /** The broker's view of a service (null when it has not seen it). */
  async serviceView(serviceId: string, tx?: Sql): Promise<EndpointServiceState | null> {
    const rows = await (tx ?? this.db).query(`SELECT doc FROM cb_services WHERE id = $1`, [serviceId]);
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
    return { type: 'evaluateRequest', service, privateDnsVerified: verified, serviceViewCurrent: current, now: this.clock().toISOString() };
  }

  /** The service's private DNS name now, and whether dns-verifier reported it verified. */
  async privateDnsFacts(service: EndpointServiceState | null, tx?: Sql): Promise<PrivateDnsFacts> {
    if (!service?.privateDnsName) return { privateDnsName: null, verified: false };
    const rows = await (tx ?? this.db).query(`SELECT doc FROM cb_private_dns_verifications WHERE id = $1`, [service.serviceId]);
    return { privateDnsName: service.privateDnsName, verified: isPrivateDnsNameVerified(service.privateDnsName, rows[0]?.doc) };
  }
}
