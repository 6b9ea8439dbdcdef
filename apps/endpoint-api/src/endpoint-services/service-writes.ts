import { EntityManager } from 'typeorm';
import {
  DomainError,
  EndpointServiceCommand,
  EndpointServiceEvent,
  EndpointServiceState,
  LoadBalancerDescription,
  LoadBalancerType,
  endpointServiceDecider,
  loadBalancerDecider,
  loadBalancerForServiceRequest,
} from '@privatelink/domain';
import { RequestContext, ServiceRuntime, WriteContext } from '@privatelink/platform';
import { streamFamilies, streamIdFor } from '@privatelink/contracts';
import { CommandResult, writeContext } from '../handlers/command-result';

export const endpointServiceStream = (serviceId: string) => streamIdFor(streamFamilies.endpointService, serviceId);
export const loadBalancerStream = (arn: string) => streamIdFor(streamFamilies.loadBalancer, arn);

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
    const { state } = await runtime.store.load(loadBalancerStream(arn), loadBalancerDecider, { tx });
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
  for (const { arn, command } of commands) {
    const stream = loadBalancerStream(arn);
    const current = await runtime.store.load(stream, loadBalancerDecider, { tx });
    await runtime.appendIn(tx, stream, current, loadBalancerDecider.decide(command, current.state), context);
  }
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
  const streamId = endpointServiceStream(serviceId);
  const context = writeContext(ctx);
  return runtime.transact(async (tx) => {
    const loaded = await runtime.store.load(streamId, endpointServiceDecider, { tx });
    const { state, version } = loaded;
    const service = ownService(state, serviceId, ctx.caller.accountId);
    const { command, outcome } = await plan(service, tx);
    const events = endpointServiceDecider.decide(command, service);
    await runtime.appendIn(tx, streamId, loaded, events, context);
    // (Releases on deletion are the deletion reaction's job, once the service is Deleting.)
    await recordLoadBalancerUse(runtime, tx, serviceId, loadBalancerUseOf(events), context);
    const next = events.reduce(endpointServiceDecider.evolve, service as EndpointServiceState | null)!;
    return { state: next, streamId, version: version + events.length, events, outcome: outcome as R };
  });
}
