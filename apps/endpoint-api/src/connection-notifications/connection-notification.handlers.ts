import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ConnectionNotification,
  ConnectionNotificationCommand,
  DomainError,
  NotificationScope,
  connectionNotificationId as makeNotificationId,
  isConnectionNotificationId,
} from '@privatelink/domain';
import { RequestContext, ServiceRuntime } from '@privatelink/platform';
import { connectionNotifications } from '../aggregates';
import { CommandResult, writeContext } from '../handlers/command-result';
import { StreamVersion } from '../http/consistency';
import { Clock } from '../ports';
import { notificationNotFound } from './connection-notification.view';

export interface BatchResult {
  unsuccessful: Array<{ resourceId: string; error: { code: string; message: string } }>;
  /** The streams the batch wrote, at their versions after it (the answer's consistency token). */
  written: StreamVersion[];
}

/**
 * The writes of connection notifications: create one on a scope the route has checked (the caller's
 * service or endpoint), and change or delete only the caller's own (another account's answers NotFound,
 * like an unknown one, so ids do not leak), checked on the state each write decides on.
 */
@Injectable()
export class ConnectionNotificationWrites {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
  ) {}

  async create(
    scope: NotificationScope,
    input: { connectionNotificationArn: string; connectionEvents: string[] },
    ctx: RequestContext,
  ): Promise<CommandResult<ConnectionNotification>> {
    const id = makeNotificationId(randomBytes(9).toString('hex').slice(0, 17));
    const { state, streamId, version } = await this.runtime.handle(
      connectionNotifications,
      id,
      {
        type: 'createConnectionNotification',
        connectionNotificationId: id,
        scope,
        connectionNotificationArn: input.connectionNotificationArn,
        connectionEvents: input.connectionEvents,
        ownerAccountId: ctx.caller.accountId,
        now: this.clock.now().toISOString(),
      },
      writeContext(ctx),
    );
    return { state: state!, streamId, version };
  }

  async modify(
    id: string,
    input: { connectionNotificationArn?: string; connectionEvents?: string[]; connectionNotificationState?: 'Enabled' | 'Disabled' },
    ctx: RequestContext,
  ): Promise<CommandResult<ConnectionNotification>> {
    return this.change(id, { type: 'modifyConnectionNotification', ...input, now: this.clock.now().toISOString() }, ctx);
  }

  async deleteMany(ids: string[], ctx: RequestContext): Promise<BatchResult> {
    const result: BatchResult = { unsuccessful: [], written: [] };
    for (const id of ids) {
      try {
        const { streamId, version } = await this.change(
          id,
          { type: 'deleteConnectionNotification', now: this.clock.now().toISOString() },
          ctx,
        );
        result.written.push({ streamId, version });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.unsuccessful.push({ resourceId: id, error: { code: error.code, message: error.message } });
      }
    }
    return result;
  }

  private async change(
    id: string,
    command: ConnectionNotificationCommand,
    ctx: RequestContext,
  ): Promise<CommandResult<ConnectionNotification>> {
    if (!isConnectionNotificationId(id)) throw notificationNotFound(id);
    const { state, streamId, version } = await this.runtime.handle(
      connectionNotifications,
      id,
      (current) => {
        if (!current || current.deleted || current.ownerAccountId !== ctx.caller.accountId) throw notificationNotFound(id);
        return command;
      },
      writeContext(ctx),
    );
    return { state: state!, streamId, version };
  }
}
