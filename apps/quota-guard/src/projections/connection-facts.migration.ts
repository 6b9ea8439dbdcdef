import { sqlMigration } from '@privatelink/eventstore';

/**
 * What quota-guard knows of each connection: its last state, from connection-broker's events (the stream
 * version keeps a redelivered or older event from moving it back). The ledger reconciler compares the
 * connection holds with it: an ended connection holds nothing, a live one holds for good.
 */
export const CreateQuotaGuardConnections1765000200000 = sqlMigration('CreateQuotaGuardConnections1765000200000', {
  up: [
    `
      CREATE TABLE qg_connections (
        vpc_endpoint_id  text        PRIMARY KEY,
        state            text        NOT NULL,
        stream_version   integer     NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`,
    `CREATE INDEX qg_holds_open ON qg_holds (holder_id) WHERE status IN ('reserved', 'confirmed', 'expired')`,
  ],
  down: ['DROP INDEX qg_holds_open', 'DROP TABLE qg_connections'],
});
