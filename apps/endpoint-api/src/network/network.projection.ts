import { parseStreamId, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { sqlMigration } from '@privatelink/eventstore';
import { DocumentProjection, aggregateProjection, documentTable } from '@privatelink/projections';
import {
  SecurityGroupEvent,
  SecurityGroupState,
  SubnetEvent,
  SubnetState,
  VpcEvent,
  VpcState,
  evolveSecurityGroup,
  evolveSubnet,
  evolveVpc,
} from '@privatelink/domain';

/** A document of the network inventory: a VPC, a subnet or a security group (`kind`), as its decider folds it. */
export type NetworkDoc = (VpcState & { kind: 'vpc' }) | (SubnetState & { kind: 'subnet' }) | (SecurityGroupState & { kind: 'sg' });

export const networkStream = (resourceId: string) => streamIdFor(streamFamilies.network, resourceId);

const kindOf = (resourceId: string) => resourceId.slice(0, resourceId.indexOf('-')) as NetworkDoc['kind'];

/** The network inventory's read model, one row per resource (the stream's aggregate id is the resource id). */
export const networkProjection: DocumentProjection<NetworkDoc> = aggregateProjection({
  name: 'network',
  family: streamFamilies.network,
  table: 'rm_network',
  evolve: (doc, event) => {
    const kind = kindOf(parseStreamId(event.streamId).aggregateId);
    const payload = event.payload as unknown;
    const next =
      kind === 'vpc'
        ? evolveVpc((doc as VpcState | undefined) ?? null, payload as VpcEvent)
        : kind === 'subnet'
          ? evolveSubnet((doc as SubnetState | undefined) ?? null, payload as SubnetEvent)
          : evolveSecurityGroup((doc as SecurityGroupState | undefined) ?? null, payload as SecurityGroupEvent);
    return next ? ({ ...next, kind } as NetworkDoc) : undefined;
  },
});

/** rm_network: the inventory's documents with the columns its describes filter on. */
export const CreateNetworkInventory1766000000000 = sqlMigration('CreateNetworkInventory1766000000000', {
  up: documentTable('rm_network', {
    columns: { kind: 'kind', owner_account_id: 'ownerAccountId', vpc_id: 'vpcId', status: 'status' },
    indexes: { owner: ['owner_account_id', 'kind', 'id'] },
  }),
  down: ['DROP TABLE rm_network'],
});
