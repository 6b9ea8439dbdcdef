import { MigrationInterface, QueryRunner } from 'typeorm';

/** endpoint-api's read models: one JSON document per resource, with generated columns for filters. */
export class CreateEndpointApiReadModels1764230500000 implements MigrationInterface {
  name = 'CreateEndpointApiReadModels1764230500000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rm_load_balancers (
        id                text  PRIMARY KEY,
        doc               jsonb NOT NULL,
        owner_account_id  text  GENERATED ALWAYS AS (doc->>'ownerAccountId') STORED,
        status            text  GENERATED ALWAYS AS (doc->>'status') STORED
      )`);
    await db.query(`CREATE INDEX rm_load_balancers_owner ON rm_load_balancers (owner_account_id, id)`);
    await db.query(`
      CREATE TABLE rm_endpoint_services (
        id                text  PRIMARY KEY,
        doc               jsonb NOT NULL,
        owner_account_id  text  GENERATED ALWAYS AS (doc->>'owner') STORED,
        service_name      text  GENERATED ALWAYS AS (doc->>'serviceName') STORED,
        service_state     text  GENERATED ALWAYS AS (doc->>'serviceState') STORED,
        service_type      text  GENERATED ALWAYS AS (doc->>'serviceType') STORED
      )`);
    await db.query(`CREATE INDEX rm_endpoint_services_owner ON rm_endpoint_services (owner_account_id, id)`);
    await db.query(`CREATE INDEX rm_endpoint_services_name ON rm_endpoint_services (service_name)`);
    // Create calls with a clientToken answer the first result again (EC2 idempotency).
    await db.query(`
      CREATE TABLE client_tokens (
        account_id    text        NOT NULL,
        operation     text        NOT NULL,
        client_token  text        NOT NULL,
        request_hash  text        NOT NULL,
        resource_id   text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, operation, client_token)
      )`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE client_tokens, rm_endpoint_services, rm_load_balancers');
  }
}

/**
 * Consumer discovery and the ops list of public services, answered from the service documents:
 * - a GIN index on the allowed principals, so "which services may this consumer connect to" is a
 *   containment query (`*`, the caller's account root, or the caller's exact ARN), not a scan;
 * - `is_public`: the guide's warning case (`*` allowed and acceptance not required), as a generated column
 *   with a partial index for the ops API.
 */
export class EndpointServiceDiscoveryIndexes1764400000000 implements MigrationInterface {
  name = 'EndpointServiceDiscoveryIndexes1764400000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX rm_endpoint_services_principals ON rm_endpoint_services USING gin ((doc->'allowedPrincipals') jsonb_path_ops)`,
    );
    await db.query(`
      ALTER TABLE rm_endpoint_services ADD COLUMN is_public boolean GENERATED ALWAYS AS (
        coalesce(
          doc->>'serviceState' <> 'Deleted'
          AND doc->>'acceptanceRequired' = 'false'
          AND (doc->'allowedPrincipals') @> '[{"principal": "*"}]'::jsonb,
          false)
      ) STORED`);
    await db.query(`CREATE INDEX rm_endpoint_services_public ON rm_endpoint_services (id) WHERE is_public`);
    await db.query(`CREATE INDEX rm_endpoint_services_state ON rm_endpoint_services (service_state, id)`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX rm_endpoint_services_state, rm_endpoint_services_public, rm_endpoint_services_principals');
    await db.query('ALTER TABLE rm_endpoint_services DROP COLUMN is_public');
  }
}
