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

/**
 * The deadline of each connection's pending workflow step, written in the transaction that records the
 * step (so it never disagrees with the stream): the reconciler sends a step again, or gives up on it, once
 * `due_at` (by the core's clock) has passed. A connection waiting on nobody has no row.
 */
export class CreateWorkflowDeadlines1765000100000 implements MigrationInterface {
  name = 'CreateWorkflowDeadlines1765000100000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cb_workflow_deadlines (
        vpc_endpoint_id  text        PRIMARY KEY,
        step             text        NOT NULL,
        tries            integer     NOT NULL,
        due_at           timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX cb_workflow_deadlines_due ON cb_workflow_deadlines (due_at)`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE cb_workflow_deadlines');
  }
}
