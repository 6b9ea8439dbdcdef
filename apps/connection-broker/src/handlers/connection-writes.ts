import { EntityManager } from 'typeorm';
import {
  CloseServiceConnectionPayload,
  OpenServiceConnectionPayload,
  serviceAttachmentCommands,
  streamFamilies,
  streamIdFor,
} from '@privatelink/contracts';
import {
  EndpointConnectionCommand,
  EndpointConnectionEvent,
  EndpointConnectionState,
  WorkflowStep,
  endpointConnectionDecider,
  fold,
  pendingStepOf,
} from '@privatelink/domain';
import { WriteContext, retryInTransaction } from '@privatelink/platform';
import type { ConnectionBrokerCore } from '../connection-broker.core';
import { QuotaRequest } from '../quota/quota.port';

export const connectionStream = (vpcEndpointId: string) => streamIdFor(streamFamilies.endpointConnection, vpcEndpointId);

export interface ConnectionWrite {
  vpcEndpointId: string;
  state: EndpointConnectionState | null;
  /** The stream version after the write (what a read-your-writes read waits for). */
  version: number;
  events: EndpointConnectionEvent[];
}

type Plan = (
  state: EndpointConnectionState | null,
) =>
  EndpointConnectionCommand | EndpointConnectionCommand[] | null | Promise<EndpointConnectionCommand | EndpointConnectionCommand[] | null>;

const { decide, evolve, initialState } = endpointConnectionDecider;

/**
 * Every change to a connection goes through here, inside `tx`: load the stream, let `plan` name the
 * command(s) for the state found, decide them in turn, carry out the effects the events call for in the
 * same transaction, and append with the version that was loaded. The effects:
 * - `connectionQuotaRequested`: the quota port is asked; an immediate answer is decided at once;
 * - `connectionAttachRequested` / `connectionDetachRequested`: the command to endpoint-api is queued in the
 *   outbox (its id derived from the endpoint, so it is sent once however often this runs);
 * - `connectionQuotaReleased`: the quota port gives the capacity back;
 * - `connectionStepRetried`: the pending step's command is sent again (same id: its owner acts once);
 * - `connectionStepAbandoned`: what the abandoned step may hold is given back (release, detach).
 * The pending step's deadline (cb_workflow_deadlines) is set in the same transaction, from the state after.
 * A concurrent writer makes the append conflict: the savepoint is rolled back (effects included) and the
 * whole step runs again on the new state, so two racing commands end in one legal sequence of events.
 */
export function writeConnection(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  vpcEndpointId: string,
  plan: Plan,
  context: WriteContext,
): Promise<ConnectionWrite> {
  const streamId = connectionStream(vpcEndpointId);
  return retryInTransaction(tx, async () => {
    const { state, version } = await core.runtime.store.aggregate(streamId, evolve, initialState, tx);
    const planned = await plan(state);
    const commands = planned === null ? [] : Array.isArray(planned) ? planned : [planned];
    let current = state;
    const events: EndpointConnectionEvent[] = [];
    for (const command of commands) {
      const decided = decide(command, current);
      events.push(...decided);
      current = fold(evolve, current, decided);
    }
    for (let i = 0; i < events.length; i++) {
      const followUp = await carryOut(core, tx, events[i], current!, context);
      events.push(...followUp);
      current = fold(evolve, current, followUp);
    }
    await core.runtime.appendIn(tx, streamId, version, events, context);
    observeWorkflow(core, current, events);
    if (events.length > 0) await trackDeadline(core, tx, vpcEndpointId, current);
    return { vpcEndpointId, state: current, version: version + events.length, events };
  });
}

async function carryOut(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  event: EndpointConnectionEvent,
  state: EndpointConnectionState,
  context: WriteContext,
): Promise<EndpointConnectionEvent[]> {
  switch (event.type) {
    case 'connectionQuotaRequested':
      return askQuota(core, tx, state, event.at);
    case 'connectionQuotaReleased':
      await core.quota.release(quotaRequestOf(state), tx);
      return [];
    case 'connectionAttachRequested':
      await sendAttach(core, tx, state, context);
      return [];
    case 'connectionDetachRequested':
      await sendDetach(core, tx, state, context);
      return [];
    case 'connectionStepRetried':
      if (event.step === 'quota') return askQuota(core, tx, state, event.at);
      if (event.step === 'attach') await sendAttach(core, tx, state, context);
      if (event.step === 'detach') await sendDetach(core, tx, state, context);
      return [];
    case 'connectionStepAbandoned':
      // The reservation may have been granted and the attachment made without the answer reaching us.
      if (event.step === 'quota') await core.quota.release(quotaRequestOf(state), tx);
      if (event.step === 'attach') await sendDetach(core, tx, state, context);
      return [];
    default:
      return [];
  }
}

/** Asks the quota port (again: the request keeps its command id); an immediate answer is decided at once. */
async function askQuota(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  state: EndpointConnectionState,
  at: string,
): Promise<EndpointConnectionEvent[]> {
  const answer = await core.quota.request(quotaRequestOf(state), tx);
  if (answer.decision === 'pending') return [];
  return decide(
    {
      type: 'recordQuotaDecision',
      granted: answer.decision === 'granted',
      message: answer.decision === 'refused' ? answer.message : undefined,
      now: at,
    },
    state,
  );
}

function sendAttach(core: ConnectionBrokerCore, tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
  const payload: OpenServiceConnectionPayload = {
    serviceId: state.serviceId,
    vpcEndpointId: state.vpcEndpointId,
    requesterPrincipal: state.requesterPrincipal,
    availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
  };
  return core.runtime.queue(serviceAttachmentCommands.open, payload, serviceContext(core, context), tx);
}

function sendDetach(core: ConnectionBrokerCore, tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
  const payload: CloseServiceConnectionPayload = { serviceId: state.serviceId, vpcEndpointId: state.vpcEndpointId };
  return core.runtime.queue(serviceAttachmentCommands.close, payload, serviceContext(core, context), tx);
}

/**
 * Sets the connection's deadline from the state after a write: the pending step is due again one
 * deadline from now (any progress restarts the clock); a connection waiting on nobody has none.
 */
export async function trackDeadline(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  vpcEndpointId: string,
  state: EndpointConnectionState | null,
): Promise<WorkflowStep | null> {
  const step = pendingStepOf(state);
  if (step === null) {
    await tx.query(`DELETE FROM cb_workflow_deadlines WHERE vpc_endpoint_id = $1`, [vpcEndpointId]);
    return null;
  }
  const dueAt = new Date(core.now().getTime() + core.deps.config.workflow.stepDeadlineMs).toISOString();
  await tx.query(
    `INSERT INTO cb_workflow_deadlines (vpc_endpoint_id, step, tries, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (vpc_endpoint_id) DO UPDATE SET step = EXCLUDED.step, tries = EXCLUDED.tries, due_at = EXCLUDED.due_at`,
    [vpcEndpointId, step, 1 + (state!.stepRetries ?? 0), dueAt],
  );
  return step;
}

/** The broker's commands to the service's owner go in its own name, in the write's correlation. */
function serviceContext(core: ConnectionBrokerCore, context: WriteContext): WriteContext {
  return { ...core.runtime.reaction(context.correlationId, context.causationId), occurredAt: core.now().toISOString() };
}

function quotaRequestOf(state: EndpointConnectionState): QuotaRequest {
  return {
    vpcEndpointId: state.vpcEndpointId,
    consumerAccountId: state.vpcEndpointOwner,
    vpcId: state.vpcId,
    serviceId: state.serviceId,
    serviceOwner: state.serviceOwner,
    vpcEndpointType: state.vpcEndpointType,
    availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
  };
}

/** The workflow's end, measured from the request: available (auto-accepted), pendingAcceptance (the provider's turn) or failed. */
function observeWorkflow(core: ConnectionBrokerCore, state: EndpointConnectionState | null, events: EndpointConnectionEvent[]): void {
  if (!state) return;
  for (const e of events) {
    const outcome =
      e.type === 'connectionAutoAccepted'
        ? 'available'
        : e.type === 'connectionPendingAcceptance'
          ? 'pendingAcceptance'
          : e.type === 'connectionFailed' && e.stateBefore === 'pending'
            ? 'failed'
            : null;
    if (outcome)
      core.runtime.options.metrics.ops.workflowDuration.observe(
        { outcome },
        Math.max(0, (Date.parse(e.at) - Date.parse(state.createdAt)) / 1000),
      );
  }
}
