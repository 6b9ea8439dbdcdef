import { EntityManager } from 'typeorm';
import { CommandEnvelope, CommandOutcome, commandOutcomeTopic, commandTopicFor } from '@privatelink/contracts';
import { DomainError } from '@privatelink/domain';
import { StreamVersionConflict } from '@privatelink/eventstore';
import { processOnce } from '@privatelink/messaging';
import { ServiceRuntime } from '@privatelink/platform';

/**
 * A forwarded command whose work has a slow part (DNS queries) that must not run inside a transaction:
 * `prepare` runs first, outside any transaction; `handle` then decides and writes in the transaction that
 * also records the command as processed and queues its outcome. A DomainError from either is the answer.
 */
export interface PreparedCommandHandler<P> {
  prepare(command: CommandEnvelope): Promise<P>;
  handle(command: CommandEnvelope, tx: EntityManager, prepared: P): Promise<Record<string, unknown>>;
}

/**
 * The owner's side of forwarded commands, as `registerCommandHandlers` of @privatelink/platform (same
 * consumer group, same once-only record, same outcome shape), with the prepare phase in front. A command
 * already processed is skipped before its slow part.
 */
export function registerPreparedCommandHandlers(runtime: ServiceRuntime, handlers: Record<string, PreparedCommandHandler<unknown>>): void {
  const group = `${runtime.service}.commands`;
  runtime.addRawConsumer('commands', [commandTopicFor(runtime.service)], async (message) => {
    const command = message as CommandEnvelope;
    if (command.kind !== 'command') return;
    const seen = await runtime.db.query(`SELECT 1 FROM msg_processed WHERE consumer_group = $1 AND message_id = $2`, [
      group,
      command.commandId,
    ]);
    if (seen.length > 0) return;
    const handler = handlers[command.type];
    let prepared: unknown;
    let refusal: DomainError | undefined;
    if (handler) {
      try {
        prepared = await handler.prepare(command);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusal = error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await processOnce(runtime.db, group, command.commandId, async (tx) => {
          const base = {
            kind: 'outcome' as const,
            type: 'commandOutcome' as const,
            commandId: command.commandId,
            targetId: command.targetId,
          };
          const metadata = { ...command.metadata, causationId: command.commandId, occurredAt: new Date().toISOString() };
          const refused = (e: DomainError): CommandOutcome => ({
            ...base,
            ok: false,
            error: { code: e.code, message: e.message, field: e.field, details: e.details },
            metadata,
          });
          let outcome: CommandOutcome;
          if (!handler) {
            outcome = {
              ...base,
              ok: false,
              error: { code: 'InvalidAction', message: `${runtime.service} has no command ${command.type}` },
              metadata,
            };
          } else if (refusal) {
            outcome = refused(refusal);
          } else {
            try {
              outcome = { ...base, ok: true, result: await handler.handle(command, tx, prepared), metadata };
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              outcome = refused(error);
            }
          }
          await runtime.store.enqueue(commandOutcomeTopic, outcome, tx);
        });
        break;
      } catch (error) {
        if (!(error instanceof StreamVersionConflict) || attempt >= 5) throw error;
      }
    }
    runtime.store.notifyAppended();
  });
}
