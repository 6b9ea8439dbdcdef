import { sqlMigration } from '@privatelink/eventstore';

/**
 * The re-check schedule: one row per name under verification, written in the same transaction as the
 * verification's events (so it never disagrees with them), read by the scheduler. A claimed row carries a
 * lease; a verifier that stops mid-check leaves a lease that expires, and the check runs again.
 */
export const CreateDnsVerifierSchedule1764500000000 = sqlMigration('CreateDnsVerifierSchedule1764500000000', {
  up: [
    `
      CREATE TABLE dnsv_schedule (
        service_id        text        PRIMARY KEY,
        private_dns_name  text        NOT NULL,
        state             text        NOT NULL,
        next_check_at     timestamptz,
        lease_until       timestamptz,
        stream_version    integer     NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`,
    `CREATE INDEX dnsv_schedule_due ON dnsv_schedule (next_check_at) WHERE next_check_at IS NOT NULL`,
  ],
  down: ['DROP TABLE dnsv_schedule'],
});
