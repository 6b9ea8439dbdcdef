import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/** endpoint-api's read models: one JSON document per resource, with generated columns for filters. */
export const CreateEndpointApiReadModels1764230500000 = sqlMigration('CreateEndpointApiReadModels1764230500000', {
  up: [
    ...documentTable('rm_load_balancers', {
      columns: { owner_account_id: 'ownerAccountId', status: 'status' },
      indexes: { owner: ['owner_account_id', 'id'] },
    }),
    ...documentTable('rm_endpoint_services', {
      columns: { owner_account_id: 'owner', service_name: 'serviceName', service_state: 'serviceState', service_type: 'serviceType' },
      indexes: { owner: ['owner_account_id', 'id'], name: ['service_name'] },
    }),
    // Create calls with a clientToken answer the first result again (EC2 idempotency).
    `
      CREATE TABLE client_tokens (
        account_id    text        NOT NULL,
        operation     text        NOT NULL,
        client_token  text        NOT NULL,
        request_hash  text        NOT NULL,
        resource_id   text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, operation, client_token)
      )`,
  ],
  down: ['DROP TABLE client_tokens, rm_endpoint_services, rm_load_balancers'],
});

/**
 * Consumer discovery and the ops list of public services, answered from the service documents:
 * - a GIN index on the allowed principals, so "which services may this consumer connect to" is a
 *   containment query (`*`, the caller's account root, or the caller's exact ARN), not a scan;
 * - `is_public`: the guide's warning case (`*` allowed and acceptance not required), as a generated column
 *   with a partial index for the ops API.
 */
export const EndpointServiceDiscoveryIndexes1764400000000 = sqlMigration('EndpointServiceDiscoveryIndexes1764400000000', {
  up: [
    `CREATE INDEX rm_endpoint_services_principals ON rm_endpoint_services USING gin ((doc->'allowedPrincipals') jsonb_path_ops)`,
    `
      ALTER TABLE rm_endpoint_services ADD COLUMN is_public boolean GENERATED ALWAYS AS (
        coalesce(
          doc->>'serviceState' <> 'Deleted'
          AND doc->>'acceptanceRequired' = 'false'
          AND (doc->'allowedPrincipals') @> '[{"principal": "*"}]'::jsonb,
          false)
      ) STORED`,
    `CREATE INDEX rm_endpoint_services_public ON rm_endpoint_services (id) WHERE is_public`,
    `CREATE INDEX rm_endpoint_services_state ON rm_endpoint_services (service_state, id)`,
  ],
  down: [
    'DROP INDEX rm_endpoint_services_state, rm_endpoint_services_public, rm_endpoint_services_principals',
    'ALTER TABLE rm_endpoint_services DROP COLUMN is_public',
  ],
});
