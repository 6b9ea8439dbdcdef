import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/**
 * Read models of quota-guard's ledgers (one row per quota and scope: its own limit and usage, as the last
 * ledger event says) and of the quota increase requests. The caller's quotas, ops' near-limit list, the
 * provider's per-consumer limits and the limits the edge enforces itself read them. Plus the count of each
 * provider account's services the edge enforces endpoint-services-per-account against.
 */
export const CreateQuotaReadModels1764800000000 = sqlMigration('CreateQuotaReadModels1764800000000', {
  up: [
    ...documentTable('rm_quota_ledgers', {
      columns: {
        code: 'code',
        consumer_account_id: 'scope.consumerAccountId',
        provider_account_id: 'scope.providerAccountId',
        service_id: 'scope.serviceId',
        own_limit: { path: 'limit', type: 'integer' },
        usage: { path: 'usage', type: 'integer' },
      },
      indexes: { consumer: ['consumer_account_id', 'id'], provider: ['provider_account_id', 'id'], service: ['service_id', 'code'] },
    }),
    ...documentTable('rm_quota_increase_requests', {
      columns: { status: 'status', code: 'code', requester_account_id: 'requesterAccountId' },
      indexes: { status: ['status', 'id'], requester: ['requester_account_id', 'id'] },
    }),
    // The edge's count of each provider account's services (created, not yet deleted), kept in the transactions
    // that create and delete them: its row is what concurrent creates of one account serialize on.
    `CREATE TABLE ea_account_services (account_id text PRIMARY KEY, services integer NOT NULL CHECK (services >= 0))`,
    `
      INSERT INTO ea_account_services (account_id, services)
      SELECT c.payload->>'owner', count(*) FROM es_events c
      WHERE c.type = 'endpointServiceCreated'
        AND NOT EXISTS (SELECT 1 FROM es_events d WHERE d.stream_id = c.stream_id AND d.type = 'endpointServiceDeleted')
      GROUP BY 1`,
  ],
  down: ['DROP TABLE ea_account_services, rm_quota_increase_requests, rm_quota_ledgers'],
});
