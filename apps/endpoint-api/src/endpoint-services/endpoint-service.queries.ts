import { Injectable } from '@nestjs/common';
import { EndpointServiceState, mayConnect } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { ListRequest, Page, discoverableBy, pageOfDocuments } from '../projections/queries';
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

/** Builds a WHERE clause list and its parameters, `$n` by `$n`. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  constructor(initial: (w: Where) => string[] = () => []) {
    this.clauses.push(...initial(this));
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }
}

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
    const where = new Where(() => [`service_state <> 'Deleted'`]);
    if (caller.role !== 'ops') where.add(`owner_account_id = ${where.param(caller.accountId)}`);
    for (const [name, values] of request.filters) {
      if (PROVIDER_COLUMNS[name]) where.add(`${PROVIDER_COLUMNS[name]} = ANY(${where.param(values)})`);
      else if (name === 'tag-key')
        where.add(`EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ANY(${where.param(values)}))`);
      else if (name.startsWith('tag:')) {
        const key = where.param(name.slice(4));
        where.add(
          `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ${key} AND t->>'value' = ANY(${where.param(values)}))`,
        );
      }
    }
    const page = await this.page(where, request, ['provider-services', caller.accountId, [...request.filters]]);
    return { ...page, verifications: await this.verifications(page.items) };
  }

  /**
   * DescribeVpcEndpointServices: exactly the Available services the consumer may connect to; with `zoneIds`,
   * only those sharing a zone. Only services with a private DNS name carry a verification.
   */
  async discoverableServices(caller: Caller, request: ListRequest & { zoneIds?: string[] }): Promise<ServicePage> {
    const where = new Where((w) => discoverableBy(caller, w.params));
    const { zoneIds } = request;
    if (zoneIds)
      where.add(`EXISTS (SELECT 1 FROM jsonb_array_elements_text(doc->'availabilityZoneIds') z WHERE z = ANY(${where.param(zoneIds)}))`);
    for (const [name, values] of request.filters) where.add(`${CONSUMER_COLUMNS[name]} = ANY(${where.param(values)})`);
    const page = await this.page(where, request, ['consumer-services', caller.principal, zoneIds ?? null, [...request.filters]]);
    // The domain's rule decides; the query only finds the candidates efficiently.
    const items = page.items.filter((s) => mayConnect(s, caller.principal));
    return { items, nextToken: page.nextToken, verifications: await this.verifications(items.filter((s) => s.privateDnsName)) };
  }

  /** Ops: the public services (* allowed, acceptance not required). */
  async publicServices(request: Omit<ListRequest, 'filters'>): Promise<ServicePage> {
    const page = await this.page(new Where(() => ['is_public']), request, ['public-services']);
    return { ...page, verifications: await this.verifications(page.items) };
  }

  /** One service from the read model, as the caller may see it (ops: any; provider: its own; else NotFound). */
  async visibleService(serviceId: string, caller: Caller): Promise<EndpointServiceState> {
    const rows = await this.runtime.db.query(`SELECT doc FROM rm_endpoint_services WHERE id = $1`, [serviceId]);
    const service = (rows[0]?.doc ?? null) as EndpointServiceState | null;
    return ownService(service, serviceId, caller.role === 'ops' && service ? service.owner : caller.accountId);
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

  private page(where: Where, request: Omit<ListRequest, 'filters'>, fingerprint: unknown[]): Promise<Page<EndpointServiceState>> {
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
