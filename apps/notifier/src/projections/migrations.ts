import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/**
 * notifier's tables: where to deliver (a projection of endpoint-api's notification configurations) and the
 * delivery queue, written in the same transaction as the delivery's events so the worker never acts on a
 * stale view (a Kafka-fed projection could hand it a delivery it already published).
 */
export const CreateNotifierTables1764231000000 = sqlMigration('CreateNotifierTables1764231000000', {
  up: [
    ...documentTable('rm_notification_targets', { columns: { service_id: 'scope.serviceId' }, indexes: { service: ['service_id'] } }),
    `
      CREATE TABLE nt_delivery_queue (
        delivery_id               text        PRIMARY KEY,
        connection_notification_id text       NOT NULL,
        vpc_endpoint_id           text        NOT NULL,
        source_version            integer     NOT NULL,
        state                     text        NOT NULL,
        next_attempt_at           timestamptz,
        claimed_until             timestamptz,
        topic_arn                 text        NOT NULL,
        message                   text        NOT NULL,
        attributes                jsonb       NOT NULL,
        source_event_id           text        NOT NULL
      )`,
    `CREATE INDEX nt_delivery_queue_due ON nt_delivery_queue (next_attempt_at) WHERE state = 'pending'`,
    `CREATE INDEX nt_delivery_queue_line ON nt_delivery_queue (connection_notification_id, vpc_endpoint_id, source_version) WHERE state = 'pending'`,
  ],
  down: ['DROP TABLE nt_delivery_queue, rm_notification_targets'],
});
