import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/**
 * The connections read model: one document per VPC endpoint, with generated columns for the consumer's
 * list (its own account), the provider's list (one service) and the ops summary (counts by state, the
 * oldest pendingAcceptance).
 */
export const CreateEndpointConnectionReadModel1764700000000 = sqlMigration('CreateEndpointConnectionReadModel1764700000000', {
  up: documentTable('rm_endpoint_connections', {
    columns: {
      service_id: 'serviceId',
      service_owner: 'serviceOwner',
      owner_account_id: 'vpcEndpointOwner',
      state: 'vpcEndpointState',
      vpc_id: 'vpcId',
      vpc_endpoint_type: 'vpcEndpointType',
      service_name: 'serviceName',
      ip_address_type: 'ipAddressType',
      pending_acceptance_since: 'pendingAcceptanceSince',
    },
    indexes: { owner: ['owner_account_id', 'id'], service: ['service_id', 'id'], state: ['service_id', 'state'] },
  }),
  down: ['DROP TABLE rm_endpoint_connections'],
});
