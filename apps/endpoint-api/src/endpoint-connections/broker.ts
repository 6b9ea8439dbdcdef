import { Inject, Injectable } from '@nestjs/common';
import { CommandDefinition, ConnectionBatchResult, ConnectionItemResult, streamFamilies, streamIdFor } from '@privatelink/contracts';
import { CommandGateway, PLATFORM_CONFIG, PlatformConfig, RequestContext, throwIfRefused } from '@privatelink/platform';
import { Answer, StreamVersion, answer } from '../http/consistency';
import { writeContext } from '../handlers/command-result';
import { jsonResponse } from '../http/openapi-helpers';
import { serviceNotFoundResponse, toVpcEndpointView, unsuccessfulResponse } from './endpoint-connections.schemas';

export const connectionStream = (vpcEndpointId: string) => streamIdFor(streamFamilies.endpointConnection, vpcEndpointId);

/** A forwarded command's answer: the broker's result, or undefined when none came in time (then: in progress). */
export type Forwarded<R> = { result?: R };

/**
 * connection-broker owns the connections' streams: the edge forwards each change of a connection to it and
 * waits (bounded) for its answer. A refusal of the whole command is thrown as its DomainError.
 */
@Injectable()
export class ConnectionBroker {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** How long the edge waits for connection-broker's answer to a forwarded command (then: accepted, in progress). */
  get waitMs(): number {
    return Math.max(this.config.readWaitMs, 5_000);
  }

  async forward<T extends string, P extends object, R extends object>(
    ctx: RequestContext,
    command: CommandDefinition<T, P, R>,
    payload: P,
  ): Promise<Forwarded<R>> {
    const outcome = await this.commands.send(command, payload, writeContext(ctx), this.waitMs);
    throwIfRefused(outcome);
    return { result: outcome?.result };
  }
}

/** The streams a batch answer changed (its consistency token). */
export const writtenBy = (result: ConnectionBatchResult): StreamVersion[] =>
  result.succeeded.map((item) => ({ streamId: connectionStream(item.vpcEndpointId), version: item.version }));

/**
 * `{unsuccessful}` as EC2 answers batches, and the consistency token of every endpoint it changed; without
 * an answer in time, 202 and the ids are `inProgress`.
 */
export function batchAnswer(ids: string[], result: ConnectionBatchResult | undefined): Answer<BatchBody> {
  if (!result) return answer({ unsuccessful: [], inProgress: [...new Set(ids)] }, [], 202);
  return answer({ unsuccessful: result.unsuccessful }, writtenBy(result));
}

interface BatchBody {
  unsuccessful: ConnectionBatchResult['unsuccessful'];
  inProgress?: string[];
}

/** One endpoint's answer: the endpoint as the broker left it, or 202 `inProgress` without an answer in time. */
export function itemAnswer(vpcEndpointId: string, item: ConnectionItemResult | undefined) {
  if (!item) return answer({ vpcEndpointId, inProgress: true }, [], 202);
  return answer({ vpcEndpoint: toVpcEndpointView(item.endpoint) }, { streamId: connectionStream(vpcEndpointId), version: item.version });
}

/** The API document's answers of a provider's decision on connections. */
export const decisionResponses = (verb: string) => ({
  200: jsonResponse(
    `the ids that could not be ${verb}, with the reason (InvalidVpcEndpointId.NotFound, IncorrectState)`,
    unsuccessfulResponse,
  ),
  202: jsonResponse('no answer in time: the ids are being processed', unsuccessfulResponse),
  404: serviceNotFoundResponse,
});
