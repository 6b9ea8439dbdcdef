import { EventEnvelope } from '@privatelink/contracts';
import { ConnectionNotification, notificationWants } from '@privatelink/domain';
import { processOnce } from '@privatelink/messaging';
import { Clock, Store } from '@privatelink/platform';
import { deliveries } from '../delivery/delivery-worker';
import { toConnectionNotice } from './connection-notices';

/**
 * For every connection event a notification wants, one delivery: its events and its queue row are written
 * in one transaction, once per source event (processOnce), so a redelivered connection event schedules nothing new.
 */
export class ScheduleDeliveries {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly worker: { wake(): void },
  ) {}

  async handle(event: EventEnvelope): Promise<void> {
    const notice = toConnectionNotice(event);
    if (!notice) return;
    const runtime = this.store;
    const rows: Array<{ doc: ConnectionNotification }> = await runtime.db.query(
      `SELECT doc FROM rm_notification_targets WHERE service_id = $1`,
      [notice.serviceId],
    );
    const targets = rows
      .map((r) => r.doc)
      .filter((n) => notificationWants(n, notice.connectionEvent, notice.serviceId, notice.vpcEndpointId));
    if (targets.length === 0) return;
    const now = this.clock().toISOString();
    await processOnce(runtime.db, 'notifier.schedule-deliveries', event.eventId, async (tx) => {
      for (const target of targets) {
        const deliveryId = `${target.connectionNotificationId}.${event.eventId}`;
        const message = JSON.stringify({
          eventId: event.eventId,
          connectionEvent: notice.connectionEvent,
          connectionNotificationId: target.connectionNotificationId,
          connectionNotificationArn: target.connectionNotificationArn,
          vpcEndpointId: notice.vpcEndpointId,
          serviceId: notice.serviceId,
          vpcEndpointOwner: notice.vpcEndpointOwner,
          vpcEndpointStateBefore: notice.stateBefore,
          vpcEndpointStateAfter: notice.stateAfter,
          time: event.metadata.occurredAt,
        });
        const attributes = { eventType: notice.connectionEvent, serviceId: notice.serviceId, vpcEndpointId: notice.vpcEndpointId };
        await runtime.handle(
          deliveries,
          deliveryId,
          {
            type: 'scheduleDelivery',
            deliveryId,
            connectionNotificationId: target.connectionNotificationId,
            topicArn: target.connectionNotificationArn,
            connectionEvent: notice.connectionEvent,
            sourceEventId: event.eventId,
            vpcEndpointId: notice.vpcEndpointId,
            serviceId: notice.serviceId,
            message,
            attributes,
            now,
          },
          runtime.reaction(event.metadata.correlationId, event.eventId),
          { tx, attempts: 1, expectedVersion: 0 },
        );
        await tx.query(
          `INSERT INTO nt_delivery_queue (delivery_id, connection_notification_id, vpc_endpoint_id, source_version, state, next_attempt_at, topic_arn, message, attributes, source_event_id)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9)`,
          [
            deliveryId,
            target.connectionNotificationId,
            notice.vpcEndpointId,
            event.streamVersion,
            now,
            target.connectionNotificationArn,
            message,
            JSON.stringify(attributes),
            event.eventId,
          ],
        );
      }
    });
    runtime.notifyAppended();
    this.worker.wake();
  }
}
