import { sqlMigration } from '@privatelink/eventstore';

/**
 * quota-guard's own tables, written in the same transaction as the ledger events they follow (so they never
 * disagree with them):
 * - `qg_holds`: which ledgers a connection holds capacity in, and how: a confirm or a release finds its
 *   ledgers here (connection events do not carry the VPC), and the expiry scheduler finds the reservations
 *   whose time is up (the schedule is this table compared with the injectable clock);
 * - `qg_services`: each endpoint service's owner, learnt from endpoint-api's events (the allowed-principals
 *   ledger of a service is visible to its owner).
 */
export const CreateQuotaGuardTables1764800000000 = sqlMigration('CreateQuotaGuardTables1764800000000', {
  up: [
    `
      CREATE TABLE qg_holds (
        holder_id   text        NOT NULL,
        ledger_id   text        NOT NULL,
        units       integer     NOT NULL,
        status      text        NOT NULL CHECK (status IN ('reserved', 'confirmed', 'expired', 'released')),
        expires_at  timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (holder_id, ledger_id)
      )`,
    `CREATE INDEX qg_holds_due ON qg_holds (expires_at) WHERE status = 'reserved'`,
    `
      CREATE TABLE qg_services (
        service_id  text PRIMARY KEY,
        owner       text NOT NULL,
        deleted     boolean NOT NULL DEFAULT false
      )`,
  ],
  down: ['DROP TABLE qg_services, qg_holds'],
});
