import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of quota-guard's ledgers (one row per quota and scope: its own limit and usage, as the last
 * ledger event says) and of the quota increase requests. The caller's quotas, ops' near-limit list, the
 * provider's per-consumer limits and the limits the edge enforces itself read them. Plus the count of each
 * provider account's services the edge enforces endpoint-services-per-account against.
 */
export class CreateQuotaReadModels1764800000000 implements MigrationInterface {
  name = 'CreateQuotaReadModels1764800000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rm_quota_ledgers (
        id                   text    PRIMARY KEY,
        doc                  jsonb   NOT NULL,
        code                 text    GENERATED ALWAYS AS (doc->>'code') STORED,
        consumer_account_id  text    GENERATED ALWAYS AS (doc->'scope'->>'consumerAccountId') STORED,
        provider_account_id  text    GENERATED ALWAYS AS (doc->'scope'->>'providerAccountId') STORED,
        service_id           text    GENERATED ALWAYS AS (doc->'scope'->>'serviceId') STORED,
        own_limit            integer GENERATED ALWAYS AS ((doc->>'limit')::integer) STORED,
        usage                integer GENERATED ALWAYS AS ((doc->>'usage')::integer) STORED
      )`);
    await db.query(`CREATE INDEX rm_quota_ledgers_consumer ON rm_quota_ledgers (consumer_account_id, id)`);
    await db.query(`CREATE INDEX rm_quota_ledgers_provider ON rm_quota_ledgers (provider_account_id, id)`);
    await db.query(`CREATE INDEX rm_quota_ledgers_service ON rm_quota_ledgers (service_id, code)`);
    await db.query(`
      CREATE TABLE rm_quota_increase_requests (
        id                    text  PRIMARY KEY,
        doc                   jsonb NOT NULL,
        status                text  GENERATED ALWAYS AS (doc->>'status') STORED,
        code                  text  GENERATED ALWAYS AS (doc->>'code') STORED,
        requester_account_id  text  GENERATED ALWAYS AS (doc->>'requesterAccountId') STORED
      )`);
    await db.query(`CREATE INDEX rm_quota_increase_requests_status ON rm_quota_increase_requests (status, id)`);
    await db.query(`CREATE INDEX rm_quota_increase_requests_requester ON rm_quota_increase_requests (requester_account_id, id)`);
    // The edge's count of each provider account's services (created, not yet deleted), kept in the transactions
    // that create and delete them: its row is what concurrent creates of one account serialize on.
    await db.query(`CREATE TABLE ea_account_services (account_id text PRIMARY KEY, services integer NOT NULL CHECK (services >= 0))`);
    await db.query(`
      INSERT INTO ea_account_services (account_id, services)
      SELECT c.payload->>'owner', count(*) FROM es_events c
      WHERE c.type = 'endpointServiceCreated'
        AND NOT EXISTS (SELECT 1 FROM es_events d WHERE d.stream_id = c.stream_id AND d.type = 'endpointServiceDeleted')
      GROUP BY 1`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ea_account_services, rm_quota_increase_requests, rm_quota_ledgers');
  }
}
