import { randomUUID } from 'node:crypto';
import { CommandEnvelope, CommandOutcome, EventMetadata } from './envelope';
import { commandTopicFor } from './streams';

/**
 * A cross-service command, defined once: its type, the service that owns (and decides) it, the aggregate it
 * targets (the Kafka key, so one aggregate's commands stay in order), and, for the commands whose id is
 * derived from what they are about (sent once however often the sender runs), that id. The sender
 * (`CommandGateway.send`, `queueCommand`) and the owner (`registerCommandHandlers`) both take the
 * definition, so the payload and the result are typed on both sides, with no cast at the seam.
 */
export interface CommandDefinition<
  Type extends string = string,
  Payload extends object = object,
  Result extends object | void = object | void,
> {
  readonly type: Type;
  /** The owning service: its command topic is where the command goes. */
  readonly service: string;
  /** The id of the aggregate the command is about (the message key). */
  targetOf(payload: Payload): string;
  /** A command id derived from the payload (the same command however often it is sent); random when absent. */
  idOf?(payload: Payload): string;
  /** Types only: what the payload and the owner's answer are. */
  readonly __payload?: Payload;
  readonly __result?: Result;
}

export type PayloadOf<D> = D extends CommandDefinition<string, infer P, object | void> ? P : never;
export type ResultOf<D> = D extends CommandDefinition<string, object, infer R> ? R : never;

/**
 * Defines a cross-service command once (see CommandDefinition):
 * `defineCommand<'openServiceConnection', OpenServiceConnectionPayload, OpenServiceConnectionResult>('openServiceConnection', {...})`;
 * an owner's list of commands named by their types is `ownedCommands`.
 */
export function defineCommand<Type extends string, Payload extends object, Result extends object | void = void>(
  type: Type,
  spec: { service: string; targetOf: (payload: Payload) => string; idOf?: (payload: Payload) => string },
): CommandDefinition<Type, Payload, Result> {
  return { type, service: spec.service, targetOf: spec.targetOf, idOf: spec.idOf };
}

/** One entry of an owner's list of commands (`ownedCommands`): its payload, its result, its target and id. */
export interface CommandSpec<Payload extends object, Result extends object | void> {
  targetOf(payload: Payload): string;
  idOf?(payload: Payload): string;
  readonly __result?: Result;
}

/** A command of `ownedCommands`' list: the target it is sent to and, when its id derives from the payload, how. */
export function command<Payload extends object, Result extends object | void = void>(
  targetOf: (payload: Payload) => string,
  idOf?: (payload: Payload) => string,
): CommandSpec<Payload, Result> {
  return { targetOf, idOf };
}

/**
 * The commands one service owns, each defined once (defineCommand) under its type:
 * `ownedCommands(quotaGuardService, { setConnectionLimit: command<SetConnectionLimitPayload, SetConnectionLimitResult>((p) => p.serviceId) })`.
 */
export function ownedCommands<Specs extends Record<string, CommandSpec<never, object | void>>>(
  service: string,
  specs: Specs,
): { [Type in keyof Specs & string]: Specs[Type] extends CommandSpec<infer P, infer R> ? CommandDefinition<Type, P, R> : never } {
  return Object.fromEntries(
    Object.entries(specs).map(([type, spec]) => [type, defineCommand(type, { service, targetOf: spec.targetOf, idOf: spec.idOf })]),
  ) as never;
}

/** The owner's answer to a command of `definition`, typed. */
export type OutcomeOf<D> = CommandOutcome<Extract<ResultOf<D>, object>>;

/** Who sent a command and why (the command's metadata). */
export type CommandMetadata = Pick<EventMetadata, 'principal' | 'correlationId'> & { causationId?: string | null; occurredAt?: string };

/** The envelope of a command of `definition` (its id derived from the payload when the definition says how). */
export function envelopeOf<Type extends string, Payload extends object>(
  definition: CommandDefinition<Type, Payload, object | void>,
  payload: Payload,
  metadata: CommandMetadata,
  commandId?: string,
): { topic: string; envelope: CommandEnvelope<Payload> } {
  return {
    topic: commandTopicFor(definition.service),
    envelope: {
      kind: 'command',
      commandId: commandId ?? definition.idOf?.(payload) ?? randomUUID(),
      targetId: definition.targetOf(payload),
      type: definition.type,
      schemaVersion: 1,
      payload,
      metadata: { ...metadata, causationId: metadata.causationId ?? null, occurredAt: metadata.occurredAt ?? new Date().toISOString() },
    },
  };
}
