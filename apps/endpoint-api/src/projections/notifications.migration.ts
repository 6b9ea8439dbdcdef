import { sqlMigration } from '@privatelink/eventstore';

/** Read models of connection notifications (configurations) and of notifier's deliveries (for ops). */
export const CreateNotificationReadModels1764500000000 = sqlMigration('CreateNotificationReadModels1764500000000', {
  up: [
    `
      CREATE TABLE rm_connection_notifications (
        id                text  PRIMARY KEY,
        doc               jsonb NOT NULL,
        owner_account_id  text  GENERATED ALWAYS AS (doc->>'ownerAccountId') STORED,
        service_id        text  GENERATED ALWAYS AS (doc->'scope'->>'serviceId') STORED,
        vpc_endpoint_id   text  GENERATED ALWAYS AS (doc->'scope'->>'vpcEndpointId') STORED,
        scope_kind        text  GENERATED ALWAYS AS (doc->'scope'->>'kind') STORED,
        topic_arn         text  GENERATED ALWAYS AS (doc->>'connectionNotificationArn') STORED,
        state             text  GENERATED ALWAYS AS (doc->>'connectionNotificationState') STORED
      )`,
    `CREATE INDEX rm_connection_notifications_owner ON rm_connection_notifications (owner_account_id, id)`,
    `
      CREATE TABLE rm_notification_deliveries (
        id                         text  PRIMARY KEY,
        doc                        jsonb NOT NULL,
        state                      text  GENERATED ALWAYS AS (doc->>'state') STORED,
        connection_notification_id text  GENERATED ALWAYS AS (doc->>'connectionNotificationId') STORED,
        service_id                 text  GENERATED ALWAYS AS (doc->>'serviceId') STORED
      )`,
    `CREATE INDEX rm_notification_deliveries_state ON rm_notification_deliveries (state, id)`,
  ],
  down: ['DROP TABLE rm_notification_deliveries, rm_connection_notifications'],
});
