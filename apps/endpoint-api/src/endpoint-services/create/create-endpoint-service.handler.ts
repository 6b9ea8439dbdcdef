import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, EndpointServiceState, endpointServiceDecider, serviceId as makeServiceId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { CommandResult, writeContext } from '../../handlers/command-result';
import { QuotaEdge } from '../../handlers/quota-edge';
import { Clock } from '../../ports';
import { endpointServiceStream, loadBalancerUseOf, loadBalancersNamed, recordLoadBalancerUse } from '../service-writes';
import { CreateEndpointServiceInput } from './create-endpoint-service.schema';

/** CreateVpcEndpointServiceConfiguration: the load balancers looked up, the quota claimed and the service written in one transaction. */
@Injectable()
export class CreateEndpointServiceHandler {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly clock: Clock,
    private readonly quotas: QuotaEdge,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute(input: CreateEndpointServiceInput, ctx: RequestContext): Promise<CommandResult<EndpointServiceState>> {
    const { runtime, config } = this;
    const account = ctx.caller.accountId;
    const requestHash = hashOf({ ...input, clientToken: undefined });
    if (input.clientToken) {
      const replay = await this.replay(account, input.clientToken, requestHash);
      if (replay) return replay;
    }
    // The request's own fields are the command's; only the load balancers are looked up first.
    const { networkLoadBalancerArns, gatewayLoadBalancerArns, ...fields } = input;
    const serviceId = makeServiceId(randomBytes(9).toString('hex').slice(0, 17));
    const streamId = endpointServiceStream(serviceId);
    try {
      return await runtime.transact(async (tx) => {
        const networkLoadBalancers = await loadBalancersNamed(
          runtime,
          tx,
          networkLoadBalancerArns,
          'networkLoadBalancerArns',
          account,
          'network',
        );
        const gatewayLoadBalancers = await loadBalancersNamed(
          runtime,
          tx,
          gatewayLoadBalancerArns,
          'gatewayLoadBalancerArns',
          account,
          'gateway',
        );
        const events = endpointServiceDecider.decide(
          {
            type: 'createEndpointService',
            ...fields,
            serviceId,
            ownerAccountId: account,
            region: config.region,
            baseDomain: config.baseDomain,
            networkLoadBalancers,
            gatewayLoadBalancers,
            now: this.clock.now().toISOString(),
          },
          endpointServiceDecider.initialState,
        );
        // The endpoint-services-per-account quota, in this transaction (a refused create claims nothing).
        await this.quotas.claimServicePlace(tx, account);
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
    const rows = await this.runtime.db.query(
      `SELECT request_hash, resource_id FROM client_tokens WHERE account_id = $1 AND operation = 'CreateEndpointService' AND client_token = $2`,
      [account, clientToken],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash) {
      throw new DomainError('IdempotentParameterMismatch', 'clientToken was already used with a different request body', 'clientToken');
    }
    const streamId = endpointServiceStream(rows[0].resource_id);
    const { state, version } = await this.runtime.store.load(streamId, endpointServiceDecider);
    return { state: state!, streamId, version, replayed: true };
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
