import { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/**
 * connection-broker's own read models (it reads no other service's tables): the endpoint services, folded
 * from endpoint-api's events, and the private DNS verification facts, from dns-verifier's events.
 */
export const CreateConnectionBrokerReadModels1764500000000 = sqlMigration('CreateConnectionBrokerReadModels1764500000000', {
  up: [...documentTable('cb_services'), ...documentTable('cb_private_dns_verifications')],
  down: ['DROP TABLE cb_private_dns_verifications, cb_services'],
});

/**
 * The deadline of each connection's pending workflow step, written in the transaction that records the
 * step (so it never disagrees with the stream): the reconciler sends a step again, or gives up on it, once
 * `due_at` (by the core's clock) has passed. A connection waiting on nobody has no row.
 */
export const CreateWorkflowDeadlines1765000100000 = sqlMigration('CreateWorkflowDeadlines1765000100000', {
  up: [
    `
      CREATE TABLE cb_workflow_deadlines (
        vpc_endpoint_id  text        PRIMARY KEY,
        step             text        NOT NULL,
        tries            integer     NOT NULL,
        due_at           timestamptz NOT NULL
      )`,
    `CREATE INDEX cb_workflow_deadlines_due ON cb_workflow_deadlines (due_at)`,
  ],
  down: ['DROP TABLE cb_workflow_deadlines'],
});

/**
 * Connections recorded before deadlines existed get one, due at once: the reconciler loads each, and one
 * that waits on nobody simply loses its row, while one stuck on a step is sent again or given up on like
 * any other. (Deleted connections wait on nothing and are left out.)
 */
export class BackfillWorkflowDeadlines1765000300000 implements MigrationInterface {
  name = 'BackfillWorkflowDeadlines1765000300000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      INSERT INTO cb_workflow_deadlines (vpc_endpoint_id, step, tries, due_at)
      SELECT substring(stream_id FROM length('endpoint-connection-') + 1), 'unknown', 1, now()
        FROM es_events
       WHERE stream_id LIKE 'endpoint-connection-%'
       GROUP BY stream_id
      HAVING bool_and(type <> 'connectionDeleted')
      ON CONFLICT (vpc_endpoint_id) DO NOTHING`);
  }
  async down(): Promise<void> {
    // The rows are derived: nothing to undo.
  }
}
