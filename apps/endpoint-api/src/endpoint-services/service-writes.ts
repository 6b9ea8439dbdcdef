import { EntityManager } from 'typeorm';
import {
  DomainError,
  EndpointServiceCommand,
  EndpointServiceEvent,
  EndpointServiceState,
  LoadBalancerDescription,
  LoadBalancerType,
  loadBalancerForServiceRequest,
} from '@privatelink/domain';
import { RequestContext, ServiceRuntime, WriteContext } from '@privatelink/platform';
import { endpointServices, loadBalancers } from '../aggregates';
import { CommandResult, writeContext } from '../handlers/command-result';

export const endpointServiceStream = (serviceId: string) => endpointServices.streamOf(serviceId);
export const loadBalancerStream = (arn: string) => loadBalancers.streamOf(arn);

export function serviceNotFound(serviceId: string): DomainError {
  return new DomainError('InvalidVpcEndpointServiceId.NotFound', `endpoint service ${serviceId} does not exist`, 'serviceId');
}

/**
 * AuthZ at the edge: a provider sees and changes only its own account's services. Another account's
 * service answers exactly like an unknown one (404, not 403), so service ids do not leak across tenants.
 */
export function ownService(state: EndpointServiceState | null, serviceId: string, accountId: string): EndpointServiceState {
  if (!state || state.owner !== accountId || state.serviceState === 'Deleted') throw serviceNotFound(serviceId);
  return state;
}

/** Looks up the load balancers a request names (in the transaction), as the domain needs them. */
export async function loadBalancersNamed(
  runtime: ServiceRuntime,
  tx: EntityManager,
  arns: string[] | undefined,
  field: string,
  accountId: string,
  kind: LoadBalancerType,
): Promise<LoadBalancerDescription[] | undefined> {
  if (arns === undefined) return undefined;
  const found: LoadBalancerDescription[] = [];
  for (const [i, arn] of arns.entries()) {
    const { state } = await runtime.load(loadBalancers, arn, { tx });
    found.push(loadBalancerForServiceRequest(state, arn, `${field}[${i}]`, accountId, kind));
  }
  return found;
}

/**
 * Which load balancers a service's events start or stop using on create and modify (the registry learns it
 * in the same transaction). Deletion releases them later, in the deletion reaction.
 */
export function loadBalancerUseOf(events: EndpointServiceEvent[]): { used: string[]; released: string[] } {
  const used: string[] = [];
  const released: string[] = [];
  for (const e of events) {
    if (e.type === 'endpointServiceCreated') used.push(...e.loadBalancers.map((lb) => lb.arn));
    if (e.type === 'endpointServiceLoadBalancersChanged') {
      used.push(...e.addedLoadBalancers.map((lb) => lb.arn));
      released.push(...e.removedLoadBalancerArns);
    }
  }
  return { used, released };
}

/**
 * Marks load balancers used by / released from a service, in the caller's transaction. ARNs are handled in
 * sorted order so two transactions touching the same load balancers always lock them in the same order.
 */
export async function recordLoadBalancerUse(
  runtime: ServiceRuntime,
  tx: EntityManager,
  serviceId: string,
  change: { used: string[]; released: string[] },
  context: WriteContext,
): Promise<void> {
  const commands = [
    ...change.used.map((arn) => ({ arn, command: { type: 'markUsedByService' as const, serviceId } })),
    ...change.released.map((arn) => ({ arn, command: { type: 'markReleasedByService' as const, serviceId } })),
  ].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  // The caller's unit retries as a whole on a conflict (attempts: 1).
  for (const { arn, command } of commands) await runtime.handle(loadBalancers, arn, command, context, { tx, attempts: 1 });
}

export interface ServiceWrite<R> extends CommandResult<EndpointServiceState> {
  events: EndpointServiceEvent[];
  outcome: R;
}

/**
 * The write path of every change to an existing service: in one transaction, load the stream, check the
 * caller owns it, let `plan` build the command (looking up load balancers if needed), decide, append, and
 * update the load balancer registry. A concurrent writer makes the append conflict and the whole unit runs
 * again on the new state (ServiceRuntime.transact), so no update is lost; after the retries it is a 409.
 */
export async function changeService<R = undefined>(
  runtime: ServiceRuntime,
  serviceId: string,
  ctx: RequestContext,
  plan: (
    service: EndpointServiceState,
    tx: EntityManager,
  ) => Promise<{ command: EndpointServiceCommand; outcome?: R }> | { command: EndpointServiceCommand; outcome?: R },
): Promise<ServiceWrite<R>> {
  const context = writeContext(ctx);
  return runtime.transact(async (tx) => {
    let outcome: R | undefined;
    const written = await runtime.handle(
      endpointServices,
      serviceId,
      async (state) => {
        const planned = await plan(ownService(state, serviceId, ctx.caller.accountId), tx);
        outcome = planned.outcome;
        return planned.command;
      },
      context,
      {
        tx,
        attempts: 1,
        // (Releases on deletion are the deletion reaction's job, once the service is Deleting.)
        after: ({ events }, tx) => recordLoadBalancerUse(runtime, tx, serviceId, loadBalancerUseOf(events), context),
      },
    );
    return { state: written.state!, streamId: written.streamId, version: written.version, events: written.events, outcome: outcome as R };
  });
}
