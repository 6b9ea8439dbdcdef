import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  CommandEnvelope,
  CommandOutcome,
  commandOutcomeTopic,
  commandTopicFor,
  MessageTransport,
  Subscription,
} from '@privatelink/contracts';
import { processOnce } from '@privatelink/messaging';
import { DomainError, ErrorCode } from '@privatelink/domain';
import { ServiceRuntime, WriteContext } from './service-runtime';

/**
 * The edge's side of a forwarded command (one writer per stream: the edge never appends to a stream it does
 * not own). `send` queues the command in the edge's outbox (so it survives a crash) and waits, bounded, for
 * the owner's outcome on the outcomes topic, which every edge instance reads in a consumer group of its own.
 * No outcome in time means "accepted for processing", never "failed".
 */
export class CommandGateway {
  private readonly waiters = new Map<string, (outcome: CommandOutcome) => void>();
  private subscription?: Subscription;
  private readonly instance = randomUUID().slice(0, 8);

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly transport: MessageTransport,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.transport.subscribe({
      groupId: `${this.runtime.service}.outcomes.${this.instance}`,
      topics: [commandOutcomeTopic],
      fromBeginning: false,
      deadLetters: this.runtime.deadLetters,
      handler: async (message) => {
        const outcome = message.value as CommandOutcome;
        if (outcome.kind === 'outcome') this.waiters.get(outcome.commandId)?.(outcome);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  /** Sends a command to `service`; resolves with its outcome, or undefined when none came within `timeoutMs`. */
  async send<P extends object>(
    service: string,
    command: { type: string; targetId: string; payload: P },
    context: WriteContext,
    timeoutMs: number,
  ): Promise<CommandOutcome | undefined> {
    const envelope: CommandEnvelope = {
      kind: 'command',
      commandId: randomUUID(),
      targetId: command.targetId,
      type: command.type,
      schemaVersion: 1,
      payload: command.payload as Record<string, unknown>,
      metadata: {
        principal: context.principal,
        correlationId: context.correlationId,
        causationId: context.causationId ?? null,
        occurredAt: new Date().toISOString(),
      },
    };
    const outcome = new Promise<CommandOutcome | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(envelope.commandId);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(envelope.commandId, (o) => {
        clearTimeout(timer);
        this.waiters.delete(envelope.commandId);
        resolve(o);
      });
    });
    await this.runtime.store.enqueue(commandTopicFor(service), envelope);
    return outcome;
  }
}

/** Turns an outcome's error back into the DomainError the owner raised (for the HTTP answer). */
export function throwIfRefused(outcome: CommandOutcome | undefined): void {
  if (outcome && !outcome.ok && outcome.error) {
    throw new DomainError(outcome.error.code as ErrorCode, outcome.error.message, outcome.error.field, outcome.error.details);
  }
}

export type CommandHandlerFn = (command: CommandEnvelope, tx: EntityManager) => Promise<Record<string, unknown> | void>;

/**
 * The owner's side: consumes its command topic, runs each command once (its id recorded with the effect in
 * one transaction) and queues the outcome in the same transaction, so a redelivered command never acts
 * twice. The outcome is kept (msg_command_outcomes): a command that comes again with an id already carried
 * out is answered again with the first outcome, so a sender that re-sends a step whose answer was lost still
 * hears it. A DomainError is an answer (the rule that refused), not a failure to retry.
 */
export function registerCommandHandlers(runtime: ServiceRuntime, handlers: Record<string, CommandHandlerFn>): void {
  const group = `${runtime.service}.commands`;
  runtime.addRawConsumer('commands', [commandTopicFor(runtime.service)], async (message) => {
    const command = message as CommandEnvelope;
    if (command.kind !== 'command') return;
    const handler = handlers[command.type];
    const fresh = await processOnce(runtime.db, group, command.commandId, async (tx) => {
      const base = { kind: 'outcome' as const, type: 'commandOutcome' as const, commandId: command.commandId, targetId: command.targetId };
      const metadata = { ...command.metadata, causationId: command.commandId, occurredAt: new Date().toISOString() };
      let outcome: CommandOutcome;
      if (!handler) {
        outcome = {
          ...base,
          ok: false,
          error: { code: 'InvalidAction', message: `${runtime.service} has no command ${command.type}` },
          metadata,
        };
      } else {
        try {
          const result = await handler(command, tx);
          outcome = { ...base, ok: true, result: result ?? undefined, metadata };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error; // infrastructure trouble: roll back, the transport retries
          outcome = {
            ...base,
            ok: false,
            error: { code: error.code, message: error.message, field: error.field, details: error.details },
            metadata,
          };
        }
      }
      await runtime.store.enqueue(commandOutcomeTopic, outcome, tx);
      await tx.query(`INSERT INTO msg_command_outcomes (consumer_group, command_id, outcome) VALUES ($1, $2, $3)`, [
        group,
        command.commandId,
        JSON.stringify(outcome),
      ]);
    });
    if (!fresh) await answerAgain(runtime, group, command.commandId);
    runtime.store.notifyAppended();
  });
}

/** Queues the kept outcome of a command carried out before (none when it predates the outcomes table). */
async function answerAgain(runtime: ServiceRuntime, group: string, commandId: string): Promise<void> {
  const rows: Array<{ outcome: CommandOutcome }> = await runtime.db.query(
    `SELECT outcome FROM msg_command_outcomes WHERE consumer_group = $1 AND command_id = $2`,
    [group, commandId],
  );
  if (rows[0])
    await runtime.store.enqueue(commandOutcomeTopic, {
      ...rows[0].outcome,
      metadata: { ...rows[0].outcome.metadata, occurredAt: new Date().toISOString() },
    });
}
