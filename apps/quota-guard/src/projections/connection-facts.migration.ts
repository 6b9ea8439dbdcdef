import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What quota-guard knows of each connection: its last state, from connection-broker's events (the stream
 * version keeps a redelivered or older event from moving it back). The ledger reconciler compares the
 * connection holds with it: an ended connection holds nothing, a live one holds for good.
 */
export class CreateQuotaGuardConnections1765000200000 implements MigrationInterface {
  name = 'CreateQuotaGuardConnections1765000200000';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE qg_connections (
        vpc_endpoint_id  text        PRIMARY KEY,
        state            text        NOT NULL,
        stream_version   integer     NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX qg_holds_open ON qg_holds (holder_id) WHERE status IN ('reserved', 'confirmed', 'expired')`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX qg_holds_open');
    await db.query('DROP TABLE qg_connections');
  }
}
