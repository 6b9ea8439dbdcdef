import { streamFamilies } from '@privatelink/contracts';
import { ConnectionNotification, connectionNotificationDecider } from '@privatelink/domain';
import { DocumentProjection, aggregateStateProjection } from './projection';

/**
 * The connection notification configurations, folded by their decider, one row each while it is not deleted:
 * endpoint-api lists them, notifier delivers to them (each in its own table, under its own checkpoint name).
 */
export function connectionNotificationReadModel(spec: { name: string; table: string }): DocumentProjection<ConnectionNotification> {
  return aggregateStateProjection({
    ...spec,
    family: streamFamilies.connectionNotification,
    decider: connectionNotificationDecider,
    kept: (notification) => !notification.deleted,
  });
}
