import { createHash, randomBytes } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  EndpointServiceState,
  SupportedIpAddressType,
  Tag,
  endpointServiceDecider,
  serviceId as makeServiceId,
} from '@privatelink/domain';
import { RequestContext } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { CommandResult, writeContext } from './command-result';
import { endpointServiceStream, loadBalancerUseOf, loadBalancersNamed, recordLoadBalancerUse } from './service-writes';

export { endpointServiceStream };

export interface CreateEndpointServiceInput {
  networkLoadBalancerArns?: string[];
  gatewayLoadBalancerArns?: string[];
  acceptanceRequired?: boolean;
  privateDnsName?: string;
  supportedIpAddressTypes?: SupportedIpAddressType[];
  tags?: Tag[];
  clientToken?: string;
}

export class CreateEndpointService {
  constructor(
    readonly input: CreateEndpointServiceInput,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(CreateEndpointService)
export class CreateEndpointServiceHandler implements ICommandHandler<CreateEndpointService, CommandResult<EndpointServiceState>> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ input, ctx }: CreateEndpointService): Promise<CommandResult<EndpointServiceState>> {
    const { runtime, config } = this.core;
    const account = ctx.caller.accountId;
    const requestHash = hashOf({ ...input, clientToken: undefined });
    if (input.clientToken) {
      const replay = await this.replay(account, input.clientToken, requestHash);
      if (replay) return replay;
    }
    const serviceId = makeServiceId(randomBytes(9).toString('hex').slice(0, 17));
    const streamId = endpointServiceStream(serviceId);
    try {
      return await runtime.transact(async (tx) => {
        const networkLoadBalancers = await loadBalancersNamed(
          runtime,
          tx,
          input.networkLoadBalancerArns,
          'networkLoadBalancerArns',
          account,
          'network',
        );
        const gatewayLoadBalancers = await loadBalancersNamed(
          runtime,
          tx,
          input.gatewayLoadBalancerArns,
          'gatewayLoadBalancerArns',
          account,
          'gateway',
        );
        const events = endpointServiceDecider.decide(
          {
            type: 'createEndpointService',
            serviceId,
            ownerAccountId: account,
            region: config.region,
            baseDomain: config.baseDomain,
            networkLoadBalancers,
            gatewayLoadBalancers,
            acceptanceRequired: input.acceptanceRequired,
            privateDnsName: input.privateDnsName,
            supportedIpAddressTypes: input.supportedIpAddressTypes,
            tags: input.tags,
            clientToken: input.clientToken,
            now: this.core.now().toISOString(),
          },
          endpointServiceDecider.initialState,
        );
        // The endpoint-services-per-account quota, in this transaction (a refused create claims nothing).
        await this.core.quotas.claimServicePlace(tx, account);
        if (input.clientToken) {
          await tx.query(
            `INSERT INTO client_tokens (account_id, operation, client_token, request_hash, resource_id) VALUES ($1, 'CreateEndpointService', $2, $3, $4)`,
            [account, input.clientToken, requestHash, serviceId],
          );
        }
        const appended = await runtime.appendIn(tx, streamId, 0, events, writeContext(ctx));
        // The load balancers learn they are in use in the same transaction: a racing deregistration conflicts.
        await recordLoadBalancerUse(runtime, tx, serviceId, loadBalancerUseOf(events), writeContext(ctx));
        const state = events.reduce(endpointServiceDecider.evolve, endpointServiceDecider.initialState)!;
        return { state, streamId, version: appended!.streamVersion };
      });
    } catch (error) {
      // Two requests with one clientToken at once: the loser answers the winner's result.
      if (input.clientToken && (error as { driverError?: { constraint?: string } }).driverError?.constraint === 'client_tokens_pkey') {
        const replay = await this.replay(account, input.clientToken, requestHash);
        if (replay) return replay;
      }
      throw error;
    }
  }

  private async replay(
    account: string,
    clientToken: string,
    requestHash: string,
  ): Promise<CommandResult<EndpointServiceState> | undefined> {
    const rows = await this.core.runtime.db.query(
      `SELECT request_hash, resource_id FROM client_tokens WHERE account_id = $1 AND operation = 'CreateEndpointService' AND client_token = $2`,
      [account, clientToken],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash) {
      throw new DomainError('IdempotentParameterMismatch', 'clientToken was already used with a different request body', 'clientToken');
    }
    const streamId = endpointServiceStream(rows[0].resource_id);
    const { state, version } = await this.core.runtime.store.load(streamId, endpointServiceDecider);
    return { state: state!, streamId, version, replayed: true };
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
