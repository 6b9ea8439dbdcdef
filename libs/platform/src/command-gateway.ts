import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  CommandDefinition,
  CommandEnvelope,
  CommandOutcome,
  commandOutcomeTopic,
  commandTopicFor,
  envelopeOf,
  IncomingMessage,
  MessageTransport,
  Subscription,
} from '@privatelink/contracts';
import { StreamVersionConflict } from '@privatelink/eventstore';
import { processOnce } from '@privatelink/messaging';
import { DomainError, ErrorCode } from '@privatelink/domain';
import { ServiceRuntime, WriteContext, commandContext } from './service-runtime';
import { inConsumerSpan } from './tracing';

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

  /**
   * Sends a command of `definition` to its owner; resolves with the owner's typed outcome, or undefined when
   * none came within `timeoutMs` (then: accepted for processing, never "failed").
   */
  async send<Type extends string, Payload extends object, Result extends object | void>(
    definition: CommandDefinition<Type, Payload, Result>,
    payload: Payload,
    context: WriteContext,
    timeoutMs: number,
  ): Promise<CommandOutcome<Extract<Result, object>> | undefined> {
    const { topic, envelope } = envelopeOf(definition, payload, {
      principal: context.principal,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
    });
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
    await this.runtime.store.enqueue(topic, envelope);
    return outcome as Promise<CommandOutcome<Extract<Result, object>> | undefined>;
  }
}

/** Turns an outcome's error back into the DomainError the owner raised (for the HTTP answer). */
export function throwIfRefused(outcome: CommandOutcome<object> | undefined): void {
  if (outcome && !outcome.ok && outcome.error) {
    throw new DomainError(outcome.error.code as ErrorCode, outcome.error.message, outcome.error.field, outcome.error.details);
  }
}

/** What a command handler is given besides the payload. */
export interface CommandCall<Payload, Prepared> {
  /** The transaction that also records the command as carried out and queues its outcome. */
  tx: EntityManager;
  command: CommandEnvelope<Payload>;
  /** Who and why, for the events the command writes (caused by the command). */
  context: WriteContext;
  /** What `prepare` answered (undefined without one). */
  prepared: Prepared;
}

/** An owner's handler of one command definition, made by `commandHandler`. */
export interface CommandHandler {
  readonly type: string;
  prepare?(command: CommandEnvelope): Promise<unknown>;
  handle(command: CommandEnvelope, tx: EntityManager, prepared: unknown): Promise<object | void>;
}

/**
 * The owner's handler of `definition`: `handle` decides and writes in the command's transaction and answers
 * the definition's result. A command whose work has a slow part that must not run inside a transaction (DNS
 * queries) does it in `prepare`, first, outside any transaction; a DomainError from either is the answer.
 */
export function commandHandler<Type extends string, Payload extends object, Result extends object | void, Prepared = undefined>(
  definition: CommandDefinition<Type, Payload, Result>,
  handle: (payload: Payload, call: CommandCall<Payload, Prepared>) => Promise<Result>,
  options: { prepare?: (payload: Payload, command: CommandEnvelope<Payload>) => Promise<Prepared> } = {},
): CommandHandler {
  // The one place a received payload gets its type: the sender built it from the same definition.
  const typed = (command: CommandEnvelope) => command as CommandEnvelope<object> as CommandEnvelope<Payload>;
  const { prepare } = options;
  return {
    type: definition.type,
    prepare: prepare ? (command) => prepare(typed(command).payload, typed(command)) : undefined,
    handle: (command, tx, prepared) =>
      handle(typed(command).payload, { tx, command: typed(command), context: commandContext(command), prepared: prepared as Prepared }),
  };
}

/**
 * The owner's side: consumes its command topic, runs each command once (its id recorded with the effect in
 * one transaction) and queues the outcome in the same transaction, so a redelivered command never acts
 * twice. The outcome is kept (msg_command_outcomes): a command that comes again with an id already carried
 * out is answered again with the first outcome, so a sender that re-sends a step whose answer was lost still
 * hears it. A DomainError is an answer (the rule that refused), not a failure to retry. A handler with a
 * `prepare` step runs it first, outside any transaction (a command already carried out skips it). Register
 * every command of a service in one call: one runtime has one command consumer group.
 */
export function registerCommandHandlers(runtime: ServiceRuntime, handlers: CommandHandler[]): void {
  const group = `${runtime.service}.commands`;
  const byType = new Map(handlers.map((h) => [h.type, h]));
  if (byType.size !== handlers.length) throw new Error(`${runtime.service}: a command is registered twice`);

  /** The answer to one command, its effects written in `tx`: a DomainError is an answer, anything else rolls back. */
  const outcomeOf = async (
    command: CommandEnvelope,
    tx: EntityManager,
    prepared?: unknown,
    refusal?: DomainError,
  ): Promise<CommandOutcome> => {
    const handler = byType.get(command.type);
    const base = { kind: 'outcome' as const, type: 'commandOutcome' as const, commandId: command.commandId, targetId: command.targetId };
    const metadata = { ...command.metadata, causationId: command.commandId, occurredAt: new Date().toISOString() };
    const refused = (error: DomainError): CommandOutcome => ({
      ...base,
      ok: false,
      error: { code: error.code, message: error.message, field: error.field, details: error.details },
      metadata,
    });
    if (!handler) {
      return {
        ...base,
        ok: false,
        error: { code: 'InvalidAction', message: `${runtime.service} has no command ${command.type}` },
        metadata,
      };
    }
    if (refusal) return refused(refusal);
    try {
      const result = await handler.handle(command, tx, prepared);
      return { ...base, ok: true, result: (result ?? undefined) as Record<string, unknown> | undefined, metadata };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error; // infrastructure trouble: roll back, the transport retries
      return refused(error);
    }
  };
  /** Kept with the effects, so a command that comes again is answered with the first outcome. */
  const keep = (outcomes: CommandOutcome[], tx: EntityManager) =>
    tx.query(
      `INSERT INTO msg_command_outcomes (consumer_group, command_id, outcome)
       SELECT $1, o->>'commandId', o FROM jsonb_array_elements($2::jsonb) AS o`,
      [group, JSON.stringify(outcomes)],
    );

  const carryOut = async (command: CommandEnvelope): Promise<void> => {
    const handler = byType.get(command.type);
    let prepared: unknown;
    let refusal: DomainError | undefined;
    if (handler?.prepare) {
      if (await carriedOut(runtime, group, command.commandId)) {
        await answerAgain(runtime, group, command.commandId);
        runtime.store.notifyAppended();
        return;
      }
      try {
        prepared = await handler.prepare(command);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusal = error;
      }
    }
    const answer = async (tx: EntityManager): Promise<void> => {
      const outcome = await outcomeOf(command, tx, prepared, refusal);
      await runtime.store.enqueue(commandOutcomeTopic, outcome, tx);
      await keep([outcome], tx);
    };
    // A conflict that escaped the handler's own retries (a unit it retries as a whole): the command again.
    for (let attempt = 1; ; attempt++) {
      try {
        // Its own pool: a step of another service's workflow does not queue behind this one's read models.
        const fresh = await processOnce(runtime.commandDb, group, command.commandId, answer);
        if (!fresh) await answerAgain(runtime, group, command.commandId);
        break;
      } catch (error) {
        if (!(error instanceof StreamVersionConflict) || attempt >= 5) throw error;
      }
    }
    runtime.store.notifyAppended();
  };

  /**
   * What a partition has waiting, in one transaction: the ids recorded in one statement, each command carried
   * out in its order (each in its consumer span), the outcomes kept in one statement, one commit. A hot stream
   * (one service's attachments, one VPC's reservations) then costs a few statements per command instead of
   * seven. Anything but a DomainError (a conflict, the database) fails the whole batch, which the transport
   * then hands over one command at a time to `carryOut`.
   */
  const carryOutAll = async (messages: IncomingMessage[]): Promise<void> => {
    const commands = messages.map((m) => m.value as CommandEnvelope).filter((c) => c.kind === 'command');
    if (commands.length === 0) return;
    const again: string[] = [];
    await runtime.commandDb.transaction(async (tx) => {
      const inserted: Array<{ message_id: string }> = await tx.query(
        `INSERT INTO msg_processed (consumer_group, message_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING message_id`,
        [group, [...new Set(commands.map((c) => c.commandId))]],
      );
      const fresh = new Set(inserted.map((r) => r.message_id));
      const outcomes: CommandOutcome[] = [];
      for (const message of messages) {
        const command = message.value as CommandEnvelope;
        if (command.kind !== 'command') continue;
        if (!fresh.delete(command.commandId)) {
          again.push(command.commandId);
          continue;
        }
        await inConsumerSpan(runtime.service, group, runtime.options.transport.name, message, async () => {
          const outcome = await outcomeOf(command, tx);
          await runtime.store.enqueue(commandOutcomeTopic, outcome, tx);
          outcomes.push(outcome);
        });
      }
      if (outcomes.length > 0) await keep(outcomes, tx);
    });
    for (const id of again) await answerAgain(runtime, group, id);
    runtime.store.notifyAppended();
  };

  const preparing = handlers.some((h) => h.prepare);
  runtime.addRawConsumer(
    'commands',
    [commandTopicFor(runtime.service)],
    async (message) => {
      if (message.kind === 'command') await carryOut(message as CommandEnvelope);
    },
    // A prepare step (DNS queries) must not run inside a transaction: such a service takes its commands one by one.
    preparing ? {} : { batch: carryOutAll },
  );
}

async function carriedOut(runtime: ServiceRuntime, group: string, commandId: string): Promise<boolean> {
  const seen = await runtime.commandDb.query(`SELECT 1 FROM msg_processed WHERE consumer_group = $1 AND message_id = $2`, [
    group,
    commandId,
  ]);
  return seen.length > 0;
}

/** Queues the kept outcome of a command carried out before (none when it predates the outcomes table). */
async function answerAgain(runtime: ServiceRuntime, group: string, commandId: string): Promise<void> {
  const rows: Array<{ outcome: CommandOutcome }> = await runtime.commandDb.query(
    `SELECT outcome FROM msg_command_outcomes WHERE consumer_group = $1 AND command_id = $2`,
    [group, commandId],
  );
  if (rows[0])
    await runtime.store.enqueue(commandOutcomeTopic, {
      ...rows[0].outcome,
      metadata: { ...rows[0].outcome.metadata, occurredAt: new Date().toISOString() },
    });
}
