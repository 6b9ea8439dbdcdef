import { createHash, randomBytes } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ConnectionBatchResult,
  ConnectionItemResult,
  ModifyEndpointPayload,
  RequestConnectionPayload,
  commandEnvelope,
  commandTopicFor,
  connectionBrokerCommands,
  connectionBrokerService,
  streamFamilies,
  streamIdFor,
} from '@privatelink/contracts';
import {
  DomainError,
  EndpointConnectionCommand,
  EndpointConnectionState,
  EndpointRequestInput,
  Tag,
  anyPrincipalMatches,
  connectionServiceFactsOf,
  endpointConnectionDecider,
  endpointServiceDecider,
  fold,
  parseServiceName,
  validateEndpointRequest,
  vpcEndpointId as makeVpcEndpointId,
} from '@privatelink/domain';
import { RequestContext, throwIfRefused } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { CommandResult, writeContext } from './command-result';
import { endpointServiceStream, ownService } from '../endpoint-services/service-writes';

export const connectionStream = (vpcEndpointId: string) => streamIdFor(streamFamilies.endpointConnection, vpcEndpointId);

/** How long the edge waits for connection-broker's answer to a forwarded command (then: accepted, in progress). */
export const brokerWaitMs = (core: EndpointApiCore) => Math.max(core.config.readWaitMs, 5_000);

export interface CreateVpcEndpointInput {
  serviceName: string;
  vpcEndpointType: string;
  vpcId: string;
  subnets?: Array<{ subnetId: string; availabilityZoneId: string }>;
  securityGroupIds?: string[];
  privateDnsEnabled?: boolean;
  policyDocument?: string;
  ipAddressType?: string;
  tags?: Tag[];
  requestMessage?: string;
  clientToken?: string;
}

// ── create ───────────────────────────────────────────────────────────────────────────────────────

/** CreateVpcEndpoint: validated here against the edge's view of the service, decided by connection-broker. */
export class CreateVpcEndpoint {
  constructor(
    readonly input: CreateVpcEndpointInput,
    readonly ctx: RequestContext,
  ) {}
}

function invalidServiceName(serviceName: string): DomainError {
  return new DomainError(
    'InvalidServiceName',
    `serviceName: the endpoint service ${serviceName} does not exist or you may not connect to it`,
    'serviceName',
  );
}

@CommandHandler(CreateVpcEndpoint)
export class CreateVpcEndpointHandler implements ICommandHandler<CreateVpcEndpoint, CommandResult<EndpointConnectionState | null>> {
  constructor(private readonly core: EndpointApiCore) {}

  /**
   * Every rule that can be checked without the service's owner is checked here, so a bad request is a 400
   * and nothing is written. Then the request goes to connection-broker through the outbox (in one
   * transaction with the clientToken row), and the answer comes at once: `pending`, as the broker will
   * record it (the same decider decides it here, for the answer only).
   */
  async execute({ input, ctx }: CreateVpcEndpoint): Promise<CommandResult<EndpointConnectionState | null>> {
    const { runtime, config } = this.core;
    const { serviceId, region } = parseServiceName(input.serviceName, 'serviceName');
    // "Endpoints are supported within the same Region only."
    if (region !== config.region) throw invalidServiceName(input.serviceName);
    // The service's own stream (endpoint-api owns it), never a read model that may lag it: a principal the
    // provider has just allowed is allowed here, and the broker's checks wait for this very version.
    const { state: service, version: observedServiceVersion } = await runtime.store.load(
      endpointServiceStream(serviceId),
      endpointServiceDecider,
    );
    // Unknown, deleted, or not visible to this caller (not on the allowlist): the same answer, so names do not leak.
    if (!service || service.serviceState === 'Deleted' || !anyPrincipalMatches(service.allowedPrincipals, ctx.caller.principal)) {
      throw invalidServiceName(input.serviceName);
    }
    const facts = connectionServiceFactsOf(service);
    validateEndpointRequest(input as EndpointRequestInput, facts);

    const account = ctx.caller.accountId;
    const requestHash = hashOf({ ...input, clientToken: undefined });
    if (input.clientToken) {
      const replay = await this.replay(account, input.clientToken, requestHash);
      if (replay) return replay;
    }
    const id = makeVpcEndpointId(randomBytes(9).toString('hex').slice(0, 17));
    const now = this.core.now().toISOString();
    const payload: RequestConnectionPayload = {
      vpcEndpointId: id,
      dnsSuffix: dnsSuffix(),
      requesterPrincipal: ctx.caller.principal,
      input: { ...input },
      service: { ...facts },
      observedServiceVersion,
      now,
    };
    const command: EndpointConnectionCommand = {
      type: 'requestConnection',
      vpcEndpointId: id,
      dnsSuffix: payload.dnsSuffix,
      requesterPrincipal: payload.requesterPrincipal,
      input: input as EndpointRequestInput,
      service: facts,
      observedServiceVersion,
      now,
    };
    const state = fold(
      endpointConnectionDecider.evolve,
      endpointConnectionDecider.initialState,
      endpointConnectionDecider.decide(command, null),
    );
    const envelope = commandEnvelope(
      { type: connectionBrokerCommands.requestConnection, targetId: id, payload },
      { ...writeContext(ctx), causationId: ctx.requestId, occurredAt: now },
    );
    try {
      await runtime.transact(async (tx) => {
        if (input.clientToken) {
          await tx.query(
            `INSERT INTO client_tokens (account_id, operation, client_token, request_hash, resource_id) VALUES ($1, 'CreateVpcEndpoint', $2, $3, $4)`,
            [account, input.clientToken, requestHash, id],
          );
        }
        await runtime.store.enqueue(commandTopicFor(connectionBrokerService), envelope, tx);
      });
    } catch (error) {
      // Two requests with one clientToken at once: the loser answers the winner's result.
      if (input.clientToken && (error as { driverError?: { constraint?: string } }).driverError?.constraint === 'client_tokens_pkey') {
        const replay = await this.replay(account, input.clientToken, requestHash);
        if (replay) return replay;
      }
      throw error;
    }
    return { state, streamId: connectionStream(id), version: 1 };
  }

  private async replay(
    account: string,
    clientToken: string,
    requestHash: string,
  ): Promise<CommandResult<EndpointConnectionState | null> | undefined> {
    const { runtime } = this.core;
    const rows = await runtime.db.query(
      `SELECT request_hash, resource_id FROM client_tokens WHERE account_id = $1 AND operation = 'CreateVpcEndpoint' AND client_token = $2`,
      [account, clientToken],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash) {
      throw new DomainError('IdempotentParameterMismatch', 'clientToken was already used with a different request body', 'clientToken');
    }
    const id = rows[0].resource_id as string;
    const streamId = connectionStream(id);
    // The first request may still be on its way to the broker: wait (bounded) until the read model has it.
    await this.core.endpointConnections.waitFor(streamId, 1, this.core.config.readWaitMs);
    const doc = await runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1`, [id]);
    const version = await this.core.endpointConnections.checkpointOf(streamId);
    return { state: (doc[0]?.doc as EndpointConnectionState | undefined) ?? null, streamId, version: Math.max(version, 1), replayed: true };
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The `-<suffix>` of the endpoint's DNS names: 8 lower-case letters and digits. */
function dnsSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
}

// ── forwarded to connection-broker ───────────────────────────────────────────────────────────────

/** A forwarded command's answer: the broker's result, or undefined when none came in time (then: in progress). */
export type Forwarded<R> = { result?: R };

async function forward<R>(
  core: EndpointApiCore,
  ctx: RequestContext,
  type: string,
  targetId: string,
  payload: object,
): Promise<Forwarded<R>> {
  const outcome = await core.commands.send(connectionBrokerService, { type, targetId, payload }, writeContext(ctx), brokerWaitMs(core));
  throwIfRefused(outcome);
  return { result: outcome?.result as R | undefined };
}

/** ModifyVpcEndpoint: the broker decides on the endpoint's stream (the owner's check included). */
export class ModifyVpcEndpoint {
  constructor(
    readonly vpcEndpointId: string,
    readonly changes: Record<string, unknown>,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(ModifyVpcEndpoint)
export class ModifyVpcEndpointHandler implements ICommandHandler<ModifyVpcEndpoint, Forwarded<ConnectionItemResult>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ vpcEndpointId, changes, ctx }: ModifyVpcEndpoint): Promise<Forwarded<ConnectionItemResult>> {
    // The new subnets are checked against the service's zones: name the service version they must be checked
    // against (its own stream's), so the broker's view of the service waits for it instead of refusing a zone
    // the provider has just added. An endpoint never changes service, so the read model may name it.
    const rows: Array<{ service_id: string }> = await this.core.runtime.db.query(
      `SELECT service_id FROM rm_endpoint_connections WHERE id = $1`,
      [vpcEndpointId],
    );
    const serviceId = rows[0]?.service_id;
    const observed = serviceId
      ? (await this.core.runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider)).version
      : undefined;
    const payload: ModifyEndpointPayload = {
      vpcEndpointId,
      ownerAccountId: ctx.caller.accountId,
      changes,
      serviceId,
      observedServiceVersion: observed,
      now: this.core.now().toISOString(),
    };
    return forward(this.core, ctx, connectionBrokerCommands.modifyEndpoint, vpcEndpointId, payload);
  }
}

/** DeleteVpcEndpoints: only the consumer account that owns them; another's are NotFound. */
export class DeleteVpcEndpoints {
  constructor(
    readonly vpcEndpointIds: string[],
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(DeleteVpcEndpoints)
export class DeleteVpcEndpointsHandler implements ICommandHandler<DeleteVpcEndpoints, Forwarded<ConnectionBatchResult>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ vpcEndpointIds, ctx }: DeleteVpcEndpoints): Promise<Forwarded<ConnectionBatchResult>> {
    return forward(this.core, ctx, connectionBrokerCommands.deleteEndpoints, ctx.caller.accountId, {
      ownerAccountId: ctx.caller.accountId,
      vpcEndpointIds,
      now: this.core.now().toISOString(),
    });
  }
}

/** Accept/RejectVpcEndpointConnections on one of the provider's own services. */
export class DecideConnections {
  constructor(
    readonly decision: 'accept' | 'reject',
    readonly serviceId: string,
    readonly vpcEndpointIds: string[],
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(DecideConnections)
export class DecideConnectionsHandler implements ICommandHandler<DecideConnections, Forwarded<ConnectionBatchResult>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ decision, serviceId, vpcEndpointIds, ctx }: DecideConnections): Promise<Forwarded<ConnectionBatchResult>> {
    // AuthZ at the edge: only the service's owner (another account's service answers NotFound), on its own stream.
    const { state } = await this.core.runtime.store.load(endpointServiceStream(serviceId), endpointServiceDecider);
    ownService(state, serviceId, ctx.caller.accountId);
    const type = decision === 'accept' ? connectionBrokerCommands.acceptConnections : connectionBrokerCommands.rejectConnections;
    return forward(this.core, ctx, type, serviceId, {
      serviceId,
      providerAccountId: ctx.caller.accountId,
      vpcEndpointIds,
      now: this.core.now().toISOString(),
    });
  }
}
