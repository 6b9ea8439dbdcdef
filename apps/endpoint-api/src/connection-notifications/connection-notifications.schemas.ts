import { nameString, textString, z } from '@privatelink/platform';
import { batchBody, batchId } from '../http/common.schemas';

export const createNotificationBody = z
  .object({
    connectionNotificationArn: nameString().max(2048).openapi({ example: 'arn:aws:sns:us-east-1:111122223333:endpoint-events' }),
    connectionEvents: z
      .array(nameString().max(32))
      .max(10)
      .openapi({ example: ['Connect', 'Accept', 'Reject', 'Delete'] }),
  })
  .strict()
  .openapi('CreateConnectionNotificationRequest');

export const modifyNotificationBody = z
  .object({
    connectionNotificationArn: nameString().max(2048).optional(),
    connectionEvents: z.array(nameString().max(32)).max(10).optional(),
    connectionNotificationState: z.enum(['Enabled', 'Disabled']).optional(),
  })
  .strict()
  .openapi('ModifyConnectionNotificationRequest');

export const deleteNotificationsBody = batchBody('connectionNotificationIds', batchId(), 'DeleteConnectionNotificationsRequest');

export const connectionNotificationView = z
  .object({
    connectionNotificationId: z.string().openapi({ example: 'vpce-nfn-0123456789abcdef0' }),
    connectionNotificationArn: z.string(),
    connectionNotificationType: z.literal('Topic'),
    connectionEvents: z.array(z.enum(['Connect', 'Accept', 'Reject', 'Delete'])),
    connectionNotificationState: z.enum(['Enabled', 'Disabled']),
    serviceId: z.string().optional(),
    vpcEndpointId: z.string().optional(),
  })
  .openapi('ConnectionNotification');

export const deliveryView = z
  .object({
    deliveryId: z.string(),
    connectionNotificationId: z.string(),
    topicArn: z.string(),
    connectionEvent: z.enum(['Connect', 'Accept', 'Reject', 'Delete']),
    vpcEndpointId: z.string(),
    serviceId: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number(),
    lastError: z.string().nullable(),
    snsMessageId: z.string().nullable(),
    scheduledAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('NotificationDelivery');

export const unsuccessfulView = z
  .object({ unsuccessful: z.array(z.object({ resourceId: z.string(), error: z.object({ code: z.string(), message: z.string() }) })) })
  .openapi('UnsuccessfulItems');

/** Why ops re-drives (kept in the command's metadata trail); the body may be empty. */
export const redriveBody = z
  .object({ reason: textString().max(1024).optional() })
  .strict()
  .openapi('RedriveDeliveryRequest');
