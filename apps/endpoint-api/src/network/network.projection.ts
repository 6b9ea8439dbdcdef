import { MigrationInterface, QueryRunner } from 'typeorm';
import { parseStreamId, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { DocumentProjection } from '@privatelink/projections';
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
export const networkProjection: DocumentProjection<NetworkDoc> = {
  name: 'network',
  families: [streamFamilies.network],
  table: 'rm_network',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
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
};

/** rm_network: the inventory's documents with the columns its describes filter on. */
export class CreateNetworkInventory1766000000000 implements MigrationInterface {
  name = 'CreateNetworkInventory1766000000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rm_network (
        id                text  PRIMARY KEY,
        doc               jsonb NOT NULL,
        kind              text  GENERATED ALWAYS AS (doc->>'kind') STORED,
        owner_account_id  text  GENERATED ALWAYS AS (doc->>'ownerAccountId') STORED,
        vpc_id            text  GENERATED ALWAYS AS (doc->>'vpcId') STORED,
        status            text  GENERATED ALWAYS AS (doc->>'status') STORED
      )`);
    await db.query(`CREATE INDEX rm_network_owner ON rm_network (owner_account_id, kind, id)`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE rm_network');
  }
}
