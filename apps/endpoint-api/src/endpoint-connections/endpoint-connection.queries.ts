import { Injectable } from '@nestjs/common';
import { DomainError, EndpointConnectionState } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { ListRequest, Page, SqlWhere, pageOfDocuments } from '../projections/queries';

const ENDPOINT_COLUMNS: Record<string, string> = {
  'vpc-endpoint-id': 'id',
  'vpc-endpoint-state': 'state',
  'vpc-id': 'vpc_id',
  'service-name': 'service_name',
  'vpc-endpoint-type': 'vpc_endpoint_type',
  'ip-address-type': 'ip_address_type',
};
const CONNECTION_COLUMNS: Record<string, string> = {
  'vpc-endpoint-state': 'state',
  'vpc-endpoint-owner': 'owner_account_id',
  'vpc-endpoint-id': 'id',
  'ip-address-type': 'ip_address_type',
};

/** One service's connections by state, and the oldest pendingAcceptance request (ops' summary). */
export interface ConnectionsSummaryRow {
  id: string;
  owner: string;
  counts: Record<string, number>;
  oldest: string | null;
}

/**
 * The read side of endpoint connections (connection-broker's events, projected into `rm_endpoint_connections`):
 * the consumer's endpoints, a service's connections and ops' summary, for the REST routes and the EC2 Query
 * API alike.
 */
@Injectable()
export class EndpointConnectionQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  /** DescribeVpcEndpoints: the caller account's endpoints. */
  consumerEndpoints(caller: Caller, request: ListRequest): Promise<Page<EndpointConnectionState>> {
    const where = new SqlWhere((w) => [`owner_account_id = ${w.param(caller.accountId)}`]);
    where.filters(request.filters, ENDPOINT_COLUMNS);
    return this.page(where, request, ['consumer-endpoints', caller.accountId, [...request.filters]]);
  }

  /** One endpoint of the caller's account (another account's answers NotFound, as one that does not exist). */
  async consumerEndpoint(vpcEndpointId: string, caller: Caller): Promise<EndpointConnectionState> {
    const rows = await this.runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1 AND owner_account_id = $2`, [
      vpcEndpointId,
      caller.accountId,
    ]);
    if (rows.length === 0)
      throw new DomainError('InvalidVpcEndpointId.NotFound', `the VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    return rows[0].doc as EndpointConnectionState;
  }

  /** DescribeVpcEndpointConnections: one service's connections (the caller's right to see it is checked first). */
  serviceConnections(serviceId: string, request: ListRequest): Promise<Page<EndpointConnectionState>> {
    const where = new SqlWhere((w) => [`service_id = ${w.param(serviceId)}`]);
    where.filters(request.filters, CONNECTION_COLUMNS);
    return this.page(where, request, ['service-connections', serviceId, [...request.filters]]);
  }

  /** The service's connections in these states, all of them (a provider's revocation reads them). */
  async connectionsInState(serviceId: string, states: string[]): Promise<EndpointConnectionState[]> {
    const rows: Array<{ doc: EndpointConnectionState }> = await this.runtime.db.query(
      `SELECT doc FROM rm_endpoint_connections WHERE service_id = $1 AND state = ANY($2) ORDER BY id`,
      [serviceId, states],
    );
    return rows.map((r) => r.doc);
  }

  /** Ops: a page of services (keyset by service id) with their connections' counts by state. */
  connectionsSummary(after: string | null, limit: number): Promise<ConnectionsSummaryRow[]> {
    return this.runtime.db.query(
      `SELECT service_id AS id, max(service_owner) AS owner, jsonb_object_agg(state, n) AS counts, min(oldest) AS oldest
       FROM (SELECT service_id, service_owner, state, count(*)::int AS n,
                    min(pending_acceptance_since) FILTER (WHERE state = 'pendingAcceptance') AS oldest
             FROM rm_endpoint_connections
             WHERE $1::text IS NULL OR service_id > $1::text
             GROUP BY service_id, service_owner, state) per_state
       GROUP BY service_id ORDER BY service_id LIMIT $2`,
      [after, limit],
    );
  }

  private page(where: SqlWhere, request: ListRequest, fingerprint: unknown[]): Promise<Page<EndpointConnectionState>> {
    return pageOfDocuments<EndpointConnectionState>(this.runtime.db, this.tokens, {
      table: 'rm_endpoint_connections',
      where: where.clauses,
      params: where.params,
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(fingerprint),
    });
  }
}
