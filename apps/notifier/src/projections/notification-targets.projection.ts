import { parseStreamId, streamFamilies, payloadOf } from '@privatelink/contracts';
import { DocumentProjection } from '@privatelink/projections';
import { ConnectionNotification, ConnectionNotificationEvent, connectionNotificationDecider } from '@privatelink/domain';

/** Where to deliver: endpoint-api's notification configurations, folded by the same decider. */
export const notificationTargetsProjection: DocumentProjection<ConnectionNotification> = {
  name: 'notification-targets',
  families: [streamFamilies.connectionNotification],
  table: 'rm_notification_targets',
  rowIdOf: (event) => parseStreamId(event.streamId).aggregateId,
  evolve: (doc, event) => {
    const next = connectionNotificationDecider.evolve(doc ?? null, payloadOf<ConnectionNotificationEvent>(event));
    return next && !next.deleted ? next : undefined;
  },
};
