import { randomBytes } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { streamFamilies, streamIdFor } from '@privatelink/contracts';
import {
  ConnectionNotification,
  connectionNotificationDecider,
  connectionNotificationId as makeNotificationId,
  DomainError,
  isConnectionNotificationId,
  NotificationScope,
} from '@privatelink/domain';
import { RequestContext } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { CommandResult, writeContext } from './command-result';

export const notificationStream = (id: string) => streamIdFor(streamFamilies.connectionNotification, id);

export function notificationNotFound(id: string): DomainError {
  return new DomainError(
    'InvalidConnectionNotificationId.NotFound',
    `connection notification ${id} does not exist`,
    'connectionNotificationId',
  );
}

export class CreateConnectionNotification {
  constructor(
    readonly scope: NotificationScope,
    readonly input: { connectionNotificationArn: string; connectionEvents: string[] },
    readonly ctx: RequestContext,
  ) {}
}

export class ModifyConnectionNotification {
  constructor(
    readonly connectionNotificationId: string,
    readonly input: {
      connectionNotificationArn?: string;
      connectionEvents?: string[];
      connectionNotificationState?: 'Enabled' | 'Disabled';
    },
    readonly ctx: RequestContext,
  ) {}
}

export class DeleteConnectionNotifications {
  constructor(
    readonly connectionNotificationIds: string[],
    readonly ctx: RequestContext,
  ) {}
}

/** The caller's own notification, or NotFound (another account's answers alike, so ids do not leak). */
async function ownNotification(
  core: EndpointApiCore,
  id: string,
  accountId: string,
): Promise<{ state: ConnectionNotification; version: number }> {
  if (!isConnectionNotificationId(id)) throw notificationNotFound(id);
  const { state, version } = await core.runtime.store.aggregate(
    notificationStream(id),
    connectionNotificationDecider.evolve,
    connectionNotificationDecider.initialState,
  );
  if (!state || state.deleted || state.ownerAccountId !== accountId) throw notificationNotFound(id);
  return { state, version };
}

@CommandHandler(CreateConnectionNotification)
export class CreateConnectionNotificationHandler implements ICommandHandler<
  CreateConnectionNotification,
  CommandResult<ConnectionNotification>
> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ scope, input, ctx }: CreateConnectionNotification): Promise<CommandResult<ConnectionNotification>> {
    const id = makeNotificationId(randomBytes(9).toString('hex').slice(0, 17));
    const streamId = notificationStream(id);
    const { state, version } = await this.core.runtime.execute(
      streamId,
      connectionNotificationDecider,
      {
        type: 'createConnectionNotification',
        connectionNotificationId: id,
        scope,
        connectionNotificationArn: input.connectionNotificationArn,
        connectionEvents: input.connectionEvents,
        ownerAccountId: ctx.caller.accountId,
        now: this.core.now().toISOString(),
      },
      writeContext(ctx),
    );
    return { state: state!, streamId, version };
  }
}

@CommandHandler(ModifyConnectionNotification)
export class ModifyConnectionNotificationHandler implements ICommandHandler<
  ModifyConnectionNotification,
  CommandResult<ConnectionNotification>
> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ connectionNotificationId, input, ctx }: ModifyConnectionNotification): Promise<CommandResult<ConnectionNotification>> {
    await ownNotification(this.core, connectionNotificationId, ctx.caller.accountId);
    const streamId = notificationStream(connectionNotificationId);
    const { state, version } = await this.core.runtime.execute(
      streamId,
      connectionNotificationDecider,
      { type: 'modifyConnectionNotification', ...input, now: this.core.now().toISOString() },
      writeContext(ctx),
    );
    return { state: state!, streamId, version };
  }
}

export interface BatchResult {
  unsuccessful: Array<{ resourceId: string; error: { code: string; message: string } }>;
  /** The streams the batch wrote, at their versions after it (the answer's consistency token). */
  written: Array<{ streamId: string; version: number }>;
}

@CommandHandler(DeleteConnectionNotifications)
export class DeleteConnectionNotificationsHandler implements ICommandHandler<DeleteConnectionNotifications, BatchResult> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ connectionNotificationIds, ctx }: DeleteConnectionNotifications): Promise<BatchResult> {
    const unsuccessful: BatchResult['unsuccessful'] = [];
    const written: BatchResult['written'] = [];
    for (const id of connectionNotificationIds) {
      try {
        await ownNotification(this.core, id, ctx.caller.accountId);
        const streamId = notificationStream(id);
        const { version } = await this.core.runtime.execute(
          streamId,
          connectionNotificationDecider,
          { type: 'deleteConnectionNotification', now: this.core.now().toISOString() },
          writeContext(ctx),
        );
        written.push({ streamId, version });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        unsuccessful.push({ resourceId: id, error: { code: error.code, message: error.message } });
      }
    }
    return { unsuccessful, written };
  }
}
