import { sqlMigration } from '@privatelink/eventstore';
import { documentTable } from '@privatelink/projections';

/** Read models of connection notifications (configurations) and of notifier's deliveries (for ops). */
export const CreateNotificationReadModels1764500000000 = sqlMigration('CreateNotificationReadModels1764500000000', {
  up: [
    ...documentTable('rm_connection_notifications', {
      columns: {
        owner_account_id: 'ownerAccountId',
        service_id: 'scope.serviceId',
        vpc_endpoint_id: 'scope.vpcEndpointId',
        scope_kind: 'scope.kind',
        topic_arn: 'connectionNotificationArn',
        state: 'connectionNotificationState',
      },
      indexes: { owner: ['owner_account_id', 'id'] },
    }),
    ...documentTable('rm_notification_deliveries', {
      columns: { state: 'state', connection_notification_id: 'connectionNotificationId', service_id: 'serviceId' },
      indexes: { state: ['state', 'id'] },
    }),
  ],
  down: ['DROP TABLE rm_notification_deliveries, rm_connection_notifications'],
});
