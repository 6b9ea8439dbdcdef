import { Inject, Injectable } from '@nestjs/common';
import { ConnectionNotification, DomainError, EndpointConnectionState, isVpcEndpointId } from '@privatelink/domain';
import { Caller, PLATFORM_CONFIG, PageTokens, PlatformConfig, ServiceRuntime, parseFilters } from '@privatelink/platform';
import { ProjectionRunner } from '@privatelink/projections';
import { connectionStream } from '../endpoint-connections/broker';
import { ENDPOINT_CONNECTIONS } from '../ports';
import { Page, SqlWhere, nextTokenOf, pageOfDocuments } from '../projections/queries';
import { parseMaxResults } from '@privatelink/platform';

const NOTIFICATION_FILTERS = [
  'connection-notification-id',
  'connection-notification-arn',
  'service-id',
  'vpc-endpoint-id',
  'connection-notification-state',
] as const;
const FILTER_COLUMNS: Record<string, string> = {
  'connection-notification-id': 'id',
  'connection-notification-arn': 'topic_arn',
  'service-id': 'service_id',
  'vpc-endpoint-id': 'vpc_endpoint_id',
  'connection-notification-state': 'state',
};

/** The read side of connection notifications (`rm_connection_notifications`), for providers and consumers alike. */
@Injectable()
export class ConnectionNotificationQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
    @Inject(ENDPOINT_CONNECTIONS) private readonly connections: ProjectionRunner<EndpointConnectionState>,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** The caller account's notifications (one service's or one endpoint's with `scope`), filtered. */
  async list(
    caller: Caller,
    query: Record<string, unknown>,
    scope: Array<{ column: string; value: string }> = [],
  ): Promise<Page<ConnectionNotification>> {
    const filters = parseFilters(query, NOTIFICATION_FILTERS);
    const where = new SqlWhere((w) => [`owner_account_id = ${w.param(caller.accountId)}`]);
    for (const e of scope) where.add(`${e.column} = ${where.param(e.value)}`);
    for (const [name, values] of filters) where.add(`${FILTER_COLUMNS[name]} = ANY(${where.param(values)})`);
    return pageOfDocuments<ConnectionNotification>(this.runtime.db, this.tokens, {
      table: 'rm_connection_notifications',
      where: where.clauses,
      params: where.params,
      maxResults: parseMaxResults(query.maxResults),
      nextToken: nextTokenOf(query),
      fingerprint: JSON.stringify([caller.accountId, scope, [...filters]]),
    });
  }

  /**
   * One of the caller's endpoints, or NotFound (another consumer's endpoint answers exactly like an unknown
   * one, so endpoint ids do not leak). A just-created endpoint may not be in the read model yet: its first
   * event is waited for, bounded.
   */
  async ownEndpoint(vpcEndpointId: string, caller: Caller): Promise<EndpointConnectionState> {
    const notFound = new DomainError('InvalidVpcEndpointId.NotFound', `VPC endpoint ${vpcEndpointId} does not exist`, 'vpcEndpointId');
    if (!isVpcEndpointId(vpcEndpointId)) throw notFound;
    const read = async () =>
      (await this.runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1`, [vpcEndpointId]))[0]?.doc as
        EndpointConnectionState | undefined;
    let endpoint = await read();
    if (!endpoint && (await this.connections.waitFor(connectionStream(vpcEndpointId), 1, this.config.readWaitMs))) endpoint = await read();
    if (!endpoint || endpoint.vpcEndpointOwner !== caller.accountId || endpoint.vpcEndpointState === 'deleted') throw notFound;
    return endpoint;
  }
}
