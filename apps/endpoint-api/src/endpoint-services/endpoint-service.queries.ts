import { Injectable } from '@nestjs/common';
import { AllowedPrincipal, EndpointServiceState, mayConnect } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { keysetPage } from '../http/list-route';
import { ListRequest, Page, SqlWhere, discoverableBy, pageOfDocuments } from '../projections/queries';
import { PrivateDnsVerificationDoc, verificationsOf } from '../projections/private-dns-verifications.projection';
import { ownService } from './service-writes';
import { serviceAnswer } from './endpoint-service.view';

/** A page of services, each with dns-verifier's verification of its private DNS name. */
export interface ServicePage extends Page<EndpointServiceState> {
  verifications: Map<string, PrivateDnsVerificationDoc>;
}

const PROVIDER_COLUMNS: Record<string, string> = {
  'service-id': 'id',
  'service-name': 'service_name',
  'service-state': 'service_state',
  'service-type': 'service_type',
};
const CONSUMER_COLUMNS: Record<string, string> = {
  'service-id': 'id',
  'service-name': 'service_name',
  'service-type': 'service_type',
  owner: 'owner_account_id',
};

/**
 * The read side of endpoint services: the SQL of the read model `rm_endpoint_services`, for the REST
 * routes and the EC2 Query API alike. The domain's rules decide visibility; the queries find candidates.
 */
@Injectable()
export class EndpointServiceQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  /** DescribeVpcEndpointServiceConfigurations: the caller's account's services (ops: every account's); Deleted ones are gone. */
  async providerServices(caller: Caller, request: ListRequest): Promise<ServicePage> {
    const where = new SqlWhere(() => [`service_state <> 'Deleted'`]);
    if (caller.role !== 'ops') where.add(`owner_account_id = ${where.param(caller.accountId)}`);
    where.filters(request.filters, PROVIDER_COLUMNS);
    const page = await this.page(where, request, ['provider-services', caller.accountId, [...request.filters]]);
    return { ...page, verifications: await this.verifications(page.items) };
  }

  /**
   * DescribeVpcEndpointServices: exactly the Available services the consumer may connect to; with `zoneIds`,
   * only those sharing a zone. Only services with a private DNS name carry a verification.
   */
  async discoverableServices(caller: Caller, request: ListRequest & { zoneIds?: string[] }): Promise<ServicePage> {
    const where = new SqlWhere((w) => discoverableBy(caller, w.params));
    const { zoneIds } = request;
    if (zoneIds)
      where.add(`EXISTS (SELECT 1 FROM jsonb_array_elements_text(doc->'availabilityZoneIds') z WHERE z = ANY(${where.param(zoneIds)}))`);
    where.filters(request.filters, CONSUMER_COLUMNS);
    const page = await this.page(where, request, ['consumer-services', caller.principal, zoneIds ?? null, [...request.filters]]);
    // The domain's rule decides; the query only finds the candidates efficiently.
    const items = page.items.filter((s) => mayConnect(s, caller.principal));
    return { items, nextToken: page.nextToken, verifications: await this.verifications(items.filter((s) => s.privateDnsName)) };
  }

  /** Ops: the public services (* allowed, acceptance not required). */
  async publicServices(request: Omit<ListRequest, 'filters'>): Promise<ServicePage> {
    const page = await this.page(new SqlWhere(() => ['is_public']), request, ['public-services']);
    return { ...page, verifications: await this.verifications(page.items) };
  }

  /** One service from the read model, as the caller may see it (ops: any; provider: its own; else NotFound). */
  async visibleService(serviceId: string, caller: Caller): Promise<EndpointServiceState> {
    const rows = await this.runtime.db.query(`SELECT doc FROM rm_endpoint_services WHERE id = $1`, [serviceId]);
    const service = (rows[0]?.doc ?? null) as EndpointServiceState | null;
    return ownService(service, serviceId, caller.role === 'ops' && service ? service.owner : caller.accountId);
  }

  /** DescribeVpcEndpointServicePermissions: the service's allowed principals, filtered, in permission id order. */
  permissions(
    service: EndpointServiceState,
    filters: Map<string, string[]>,
    query: Record<string, unknown>,
  ): Promise<Page<AllowedPrincipal>> {
    return keysetPage(
      this.tokens,
      query,
      JSON.stringify(['permissions', service.serviceId, [...filters]]),
      (after, limit) =>
        service.allowedPrincipals
          .filter((p) => !filters.has('principal') || filters.get('principal')!.includes(p.principal))
          .filter((p) => !filters.has('principal-type') || filters.get('principal-type')!.includes(p.principalType))
          .filter((p) => after === null || p.servicePermissionId > after)
          .sort((a, b) => (a.servicePermissionId < b.servicePermissionId ? -1 : 1))
          .slice(0, limit),
      (p) => p.servicePermissionId,
    );
  }

  /** `{serviceConfiguration, warning}` of a service, with its private DNS name's verification. */
  async answer(s: EndpointServiceState) {
    const verification = s.privateDnsName ? (await this.verifications([s])).get(s.serviceId) : undefined;
    return serviceAnswer(s, verification);
  }

  private verifications(services: EndpointServiceState[]): Promise<Map<string, PrivateDnsVerificationDoc>> {
    return verificationsOf(
      this.runtime.db,
      services.map((s) => s.serviceId),
    );
  }

  private page(where: SqlWhere, request: Omit<ListRequest, 'filters'>, fingerprint: unknown[]): Promise<Page<EndpointServiceState>> {
    return pageOfDocuments<EndpointServiceState>(this.runtime.db, this.tokens, {
      table: 'rm_endpoint_services',
      where: where.clauses,
      params: where.params,
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(fingerprint),
    });
  }
}
