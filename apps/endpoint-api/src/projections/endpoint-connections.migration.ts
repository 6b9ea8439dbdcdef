import { sqlMigration } from '@privatelink/eventstore';

/**
 * The connections read model: one document per VPC endpoint, with generated columns for the consumer's
 * list (its own account), the provider's list (one service) and the ops summary (counts by state, the
 * oldest pendingAcceptance).
 */
export const CreateEndpointConnectionReadModel1764700000000 = sqlMigration('CreateEndpointConnectionReadModel1764700000000', {
  up: [
    `
      CREATE TABLE rm_endpoint_connections (
        id                        text  PRIMARY KEY,
        doc                       jsonb NOT NULL,
        service_id                text  GENERATED ALWAYS AS (doc->>'serviceId') STORED,
        service_owner             text  GENERATED ALWAYS AS (doc->>'serviceOwner') STORED,
        owner_account_id          text  GENERATED ALWAYS AS (doc->>'vpcEndpointOwner') STORED,
        state                     text  GENERATED ALWAYS AS (doc->>'vpcEndpointState') STORED,
        vpc_id                    text  GENERATED ALWAYS AS (doc->>'vpcId') STORED,
        vpc_endpoint_type         text  GENERATED ALWAYS AS (doc->>'vpcEndpointType') STORED,
        service_name              text  GENERATED ALWAYS AS (doc->>'serviceName') STORED,
        ip_address_type           text  GENERATED ALWAYS AS (doc->>'ipAddressType') STORED,
        pending_acceptance_since  text  GENERATED ALWAYS AS (doc->>'pendingAcceptanceSince') STORED
      )`,
    `CREATE INDEX rm_endpoint_connections_owner ON rm_endpoint_connections (owner_account_id, id)`,
    `CREATE INDEX rm_endpoint_connections_service ON rm_endpoint_connections (service_id, id)`,
    `CREATE INDEX rm_endpoint_connections_state ON rm_endpoint_connections (service_id, state)`,
  ],
  down: ['DROP TABLE rm_endpoint_connections'],
});
