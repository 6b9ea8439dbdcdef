import { Injectable } from '@nestjs/common';
import { SecurityGroupState, SubnetState, VpcState, securityGroupForEndpointRequest, subnetForEndpointRequest } from '@privatelink/domain';
import { Caller, PageTokens, ServiceRuntime } from '@privatelink/platform';
import { ListRequest, Page, pageOfDocuments } from '../projections/queries';
import { NetworkDoc } from './network.projection';

/** The filters each kind of resource takes (EC2's names) and the SQL expression each reads. */
const FILTERS: Record<NetworkDoc['kind'], Record<string, string>> = {
  vpc: { 'vpc-id': 'id', 'cidr-block': `doc->>'cidrBlock'`, 'owner-id': 'owner_account_id', state: `'available'` },
  subnet: {
    'subnet-id': 'id',
    'vpc-id': 'vpc_id',
    'cidr-block': `doc->>'cidrBlock'`,
    'availability-zone': `doc->'availabilityZone'->>'zoneName'`,
    'availability-zone-id': `doc->'availabilityZone'->>'zoneId'`,
    'owner-id': 'owner_account_id',
    state: `'available'`,
  },
  sg: {
    'group-id': 'id',
    'group-name': `doc->>'groupName'`,
    'vpc-id': 'vpc_id',
    description: `doc->>'description'`,
    'owner-id': 'owner_account_id',
  },
};

export const NETWORK_FILTERS = {
  vpc: [...Object.keys(FILTERS.vpc), 'tag:<key>', 'tag-key'],
  subnet: [...Object.keys(FILTERS.subnet), 'tag:<key>', 'tag-key'],
  sg: [...Object.keys(FILTERS.sg), 'tag:<key>', 'tag-key'],
} as const;

/** The state a document of `kind` K holds. */
export type DocOf<K extends NetworkDoc['kind']> = K extends 'vpc' ? VpcState : K extends 'subnet' ? SubnetState : SecurityGroupState;

/** The read side of the network inventory (rm_network): the caller's own resources, never another account's. */
@Injectable()
export class NetworkQueries {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tokens: PageTokens,
  ) {}

  /** DescribeVpcs / DescribeSubnets / DescribeSecurityGroups: a page of the caller's resources of `kind`. */
  async list<K extends NetworkDoc['kind']>(kind: K, caller: Caller, request: ListRequest & { ids?: string[] }): Promise<Page<DocOf<K>>> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [`kind = ${param(kind)}`, `status = 'available'`, `owner_account_id = ${param(caller.accountId)}`];
    if (request.ids?.length) where.push(`id = ANY(${param(request.ids)})`);
    for (const [name, values] of request.filters) {
      const column = FILTERS[kind][name];
      if (column) where.push(`${column} = ANY(${param(values)})`);
      else if (name === 'tag-key')
        where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ANY(${param(values)}))`);
      else if (name.startsWith('tag:')) {
        const key = param(name.slice(4));
        where.push(
          `EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'tags') t WHERE t->>'key' = ${key} AND t->>'value' = ANY(${param(values)}))`,
        );
      }
    }
    return pageOfDocuments<DocOf<K>>(this.runtime.db, this.tokens, {
      table: 'rm_network',
      where,
      params,
      maxResults: request.maxResults,
      nextToken: request.nextToken,
      fingerprint: JSON.stringify(['network', kind, caller.accountId, request.ids ?? null, [...request.filters]]),
    });
  }

  /** The documents of these ids (any kind, any state), for a request that names them (an endpoint's subnets). */
  async byIds(ids: string[]): Promise<Map<string, NetworkDoc>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; doc: NetworkDoc }> = await this.runtime.db.query(`SELECT id, doc FROM rm_network WHERE id = ANY($1)`, [
      ids,
    ]);
    return new Map(rows.map((r) => [r.id, r.doc]));
  }

  /**
   * An endpoint request's subnets with their zones: a subnet given with its zone id stays as given; one given
   * by id alone must be a registered subnet of the caller's, in the endpoint's VPC (domain's
   * subnetForEndpointRequest: another VPC's is InvalidParameterValue, another account's InvalidSubnetID.NotFound).
   */
  async endpointSubnets(
    subnets: Array<{ subnetId: string; availabilityZoneId?: string }>,
    accountId: string,
    vpcId: string,
    fieldOf: (index: number) => string,
  ): Promise<Array<{ subnetId: string; availabilityZoneId: string }>> {
    const docs = await this.byIds(subnets.filter((s) => s.availabilityZoneId === undefined).map((s) => s.subnetId));
    return subnets.map((s, i) => {
      if (s.availabilityZoneId !== undefined) return { subnetId: s.subnetId, availabilityZoneId: s.availabilityZoneId };
      const doc = (docs.get(s.subnetId) as SubnetState | undefined) ?? null;
      const found = subnetForEndpointRequest(doc?.subnetId ? doc : null, s.subnetId, fieldOf(i), accountId, vpcId);
      return { subnetId: found.subnetId, availabilityZoneId: found.availabilityZone.zoneId };
    });
  }

  /**
   * An endpoint request's security groups named on the EC2 wire: each a registered group of the caller's, in
   * the endpoint's VPC (domain's securityGroupForEndpointRequest: unknown or another account's is
   * InvalidGroup.NotFound, another VPC's InvalidParameterValue).
   */
  async endpointGroups(groupIds: string[], accountId: string, vpcId: string, fieldOf: (index: number) => string): Promise<void> {
    const docs = await this.byIds(groupIds);
    groupIds.forEach((id, i) =>
      securityGroupForEndpointRequest((docs.get(id) as SecurityGroupState | undefined) ?? null, id, fieldOf(i), accountId, vpcId),
    );
  }
}
