import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RequestConnectionPayload, connectionBrokerCommands } from '@privatelink/contracts';
import {
  DomainError,
  EndpointConnectionCommand,
  EndpointConnectionState,
  EndpointRequestInput,
  anyPrincipalMatches,
  connectionServiceFactsOf,
  endpointConnectionDecider,
  fold,
  parseServiceName,
  validateEndpointRequest,
  vpcEndpointId as makeVpcEndpointId,
} from '@privatelink/domain';
import { ProjectionRunner } from '@privatelink/projections';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { CommandResult, writeContext } from '../../handlers/command-result';
import { Clock, ENDPOINT_CONNECTIONS } from '../../ports';
import { connectionStream } from '../broker';
import { CreateVpcEndpointInput } from './create-endpoint.schema';
import { endpointServices } from '../../aggregates';

function invalidServiceName(serviceName: string): DomainError {
  return new DomainError(
    'InvalidServiceName',
    `serviceName: the endpoint service ${serviceName} does not exist or you may not connect to it`,
    'serviceName',
  );
}

/** CreateVpcEndpoint: validated here against the edge's view of the service, decided by connection-broker. */
@Injectable()
export class CreateVpcEndpointHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    @Inject(ENDPOINT_CONNECTIONS) private readonly connections: ProjectionRunner<EndpointConnectionState>,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * Every rule that can be checked without the service's owner is checked here, so a bad request is a 400
   * and nothing is written. Then the request goes to connection-broker through the outbox (in one
   * transaction with the clientToken row), and the answer comes at once: `pending`, as the broker will
   * record it (the same decider decides it here, for the answer only).
   */
  async execute(input: CreateVpcEndpointInput, ctx: RequestContext): Promise<CommandResult<EndpointConnectionState | null>> {
    const { runtime, config } = this;
    const { serviceId, region } = parseServiceName(input.serviceName, 'serviceName');
    // "Endpoints are supported within the same Region only."
    if (region !== config.region) throw invalidServiceName(input.serviceName);
    // The service's own stream (endpoint-api owns it), never a read model that may lag it: a principal the
    // provider has just allowed is allowed here, and the broker's checks wait for this very version.
    const { state: service, version: observedServiceVersion } = await runtime.load(endpointServices, serviceId);
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
    const now = this.clock.now().toISOString();
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
    try {
      await runtime.transact(async (tx) => {
        if (input.clientToken) {
          await tx.query(
            `INSERT INTO client_tokens (account_id, operation, client_token, request_hash, resource_id) VALUES ($1, 'CreateVpcEndpoint', $2, $3, $4)`,
            [account, input.clientToken, requestHash, id],
          );
        }
        await runtime.queue(
          connectionBrokerCommands.requestConnection,
          payload,
          { ...writeContext(ctx), causationId: ctx.requestId, occurredAt: now },
          tx,
        );
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
    const { runtime } = this;
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
    await this.connections.waitFor(streamId, 1, this.config.readWaitMs);
    const doc = await runtime.db.query(`SELECT doc FROM rm_endpoint_connections WHERE id = $1`, [id]);
    const version = await this.connections.checkpointOf(streamId);
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
