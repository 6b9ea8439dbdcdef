// Answers read from an endpoint's state.
import { EndpointConnectionState, WorkflowStep } from './state';

/**
 * The step the connection waits on, or null when it waits on nobody (pendingAcceptance and available wait
 * for the provider or the consumer, which have no deadline; failed, rejected and deleted are settled).
 */
export function pendingStepOf(state: EndpointConnectionState | null): WorkflowStep | null {
  if (!state || state.vpcEndpointState === 'deleted') return null;
  if (state.quota === 'requested') return 'quota';
  if (state.attachment === 'requested') return 'attach';
  if (state.attachment === 'detachRequested') return 'detach';
  if (state.vpcEndpointState === 'pending' && state.quota === 'none' && state.attachment === 'none') return 'evaluate';
  return null;
}
