import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * connection-broker's own read models (it reads no other service's tables): the endpoint services, folded
 * from endpoint-api's events, and the private DNS verification facts, from dns-verifier's events.
 */
export class CreateConnectionBrokerReadModels1764500000000 implements MigrationInterface {
  name = 'CreateConnectionBrokerReadModels1764500000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE cb_services (id text PRIMARY KEY, doc jsonb NOT NULL)`);
    await db.query(`CREATE TABLE cb_private_dns_verifications (id text PRIMARY KEY, doc jsonb NOT NULL)`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE cb_private_dns_verifications, cb_services');
  }
}
