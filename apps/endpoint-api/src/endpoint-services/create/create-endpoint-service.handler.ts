import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, EndpointServiceState, serviceId as makeServiceId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext, ServiceRuntime } from '@privatelink/platform';
import { CommandResult, writeContext } from '../../handlers/command-result';
import { QuotaEdge } from '../../handlers/quota-edge';
import { Clock } from '../../ports';
import { endpointServices } from '../../aggregates';
import { loadBalancerUseOf, loadBalancersNamed, recordLoadBalancerUse } from '../service-writes';
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
        const context = writeContext(ctx);
        const written = await runtime.handle(
          endpointServices,
          serviceId,
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
          context,
          {
            tx,
            attempts: 1,
            expectedVersion: 0,
            after: async ({ events }, tx) => {
              // The endpoint-services-per-account quota, in this transaction (a refused create claims nothing).
              await this.quotas.claimServicePlace(tx, account);
              if (input.clientToken) {
                await tx.query(
                  `INSERT INTO client_tokens (account_id, operation, client_token, request_hash, resource_id) VALUES ($1, 'CreateEndpointService', $2, $3, $4)`,
                  [account, input.clientToken, requestHash, serviceId],
                );
              }
              // The load balancers learn they are in use in the same transaction: a racing deregistration conflicts.
              await recordLoadBalancerUse(runtime, tx, serviceId, loadBalancerUseOf(events), context);
            },
          },
        );
        return { state: written.state!, streamId: written.streamId, version: written.version };
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
    const { state, version } = await this.runtime.load(endpointServices, rows[0].resource_id);
    return { state: state!, streamId: endpointServices.streamOf(rows[0].resource_id), version, replayed: true };
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
