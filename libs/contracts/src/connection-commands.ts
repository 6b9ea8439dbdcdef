import type { ConnectionServiceFacts, EndpointConnectionState } from '@privatelink/domain';
import { command, defineCommand, ownedCommands } from './commands';

/**
 * The commands of the connection lifecycle (one writer per stream):
 * - endpoint-api → connection-broker (the owner of `endpoint-connection-<vpcEndpointId>` streams): the
 *   consumer's and the provider's requests, forwarded by the HTTP edge;
 * - connection-broker → endpoint-api (the owner of `endpoint-service-<serviceId>` streams): attach a
 *   connection to the service (the service's own stream decides: Available? requester still allowed? zones
 *   in common? accepted automatically?) and detach it again. The service stream is the linearization
 *   point of permission removal and service deletion racing a new connection.
 */
export const connectionBrokerService = 'connection-broker';
export const endpointApiService = 'endpoint-api';

/** CreateVpcEndpoint, validated by the edge (target = vpcEndpointId). */
export interface RequestConnectionPayload {
  vpcEndpointId: string;
  dnsSuffix: string;
  requesterPrincipal: string;
  /** The consumer's request fields as sent (the domain validates them again). */
  input: Record<string, unknown>;
  /** What the edge knew of the service. */
  service: ConnectionServiceFacts;
  /** The version of the service's stream the edge validated against: the broker's view waits for it. */
  observedServiceVersion: number;
  now: string;
}

/** Accept/RejectVpcEndpointConnections (target = serviceId): each endpoint decided on its own. */
export interface ConnectionDecisionsPayload {
  serviceId: string;
  providerAccountId: string;
  vpcEndpointIds: string[];
  now: string;
}

/** DeleteVpcEndpoints (target = the consumer account). */
export interface DeleteEndpointsPayload {
  ownerAccountId: string;
  vpcEndpointIds: string[];
  now: string;
}

/** ModifyVpcEndpoint (target = vpcEndpointId). */
export interface ModifyEndpointPayload {
  vpcEndpointId: string;
  ownerAccountId: string;
  changes: Record<string, unknown>;
  /** The endpoint's service and its stream version when the edge forwarded the change: the broker's view waits for it. */
  serviceId?: string;
  observedServiceVersion?: number;
  now: string;
}

/** One endpoint after a broker command: its state and its stream version (read-your-writes). */
export interface ConnectionItemResult {
  vpcEndpointId: string;
  version: number;
  endpoint: EndpointConnectionState;
}

export interface UnsuccessfulConnectionItem {
  resourceId: string;
  error: { code: string; message: string };
}

/** The answer to a batch: like AcceptVpcEndpointConnections, the ids that failed and why (and what the others became). */
export interface ConnectionBatchResult {
  succeeded: ConnectionItemResult[];
  unsuccessful: UnsuccessfulConnectionItem[];
}

/** openServiceConnection (target = serviceId, so one service's attachments are decided in order). */
export interface OpenServiceConnectionPayload {
  serviceId: string;
  vpcEndpointId: string;
  requesterPrincipal: string;
  availabilityZoneIds: string[];
}

/** The service's yes: attached, and whether the provider still has to accept. */
export interface OpenServiceConnectionResult {
  vpcEndpointId: string;
  acceptanceRequired: boolean;
}

/** closeServiceConnection (target = serviceId). Always succeeds: closing what is not open is a no-op. */
export interface CloseServiceConnectionPayload {
  serviceId: string;
  vpcEndpointId: string;
}

export interface CloseServiceConnectionResult {
  vpcEndpointId: string;
}

/**
 * The broker's commands to endpoint-api have ids derived from the endpoint: each happens once per endpoint,
 * so a redelivered or re-sent command is the same command to the owner's `processOnce`, and the broker
 * recognises its outcomes on the outcomes topic without keeping a table of what it sent.
 */
export const serviceAttachmentCommandId = {
  open: (vpcEndpointId: string) => `attach:${vpcEndpointId}`,
  close: (vpcEndpointId: string) => `detach:${vpcEndpointId}`,
  parse(commandId: string): { kind: 'open' | 'close'; vpcEndpointId: string } | null {
    const match = /^(attach|detach):(vpce-[0-9a-f]{17})$/.exec(commandId);
    return match ? { kind: match[1] === 'attach' ? 'open' : 'close', vpcEndpointId: match[2] } : null;
  },
};

/** The commands connection-broker owns (the HTTP edge forwards them). */
export const connectionBrokerCommands = ownedCommands(connectionBrokerService, {
  requestConnection: command<RequestConnectionPayload, ConnectionItemResult>((p) => p.vpcEndpointId),
  acceptConnections: command<ConnectionDecisionsPayload, ConnectionBatchResult>((p) => p.serviceId),
  rejectConnections: command<ConnectionDecisionsPayload, ConnectionBatchResult>((p) => p.serviceId),
  deleteEndpoints: command<DeleteEndpointsPayload, ConnectionBatchResult>((p) => p.ownerAccountId),
  modifyEndpoint: command<ModifyEndpointPayload, ConnectionItemResult>((p) => p.vpcEndpointId),
});

/** The commands endpoint-api owns that connection-broker sends (ids derived from the endpoint: each once). */
export const serviceAttachmentCommands = {
  open: defineCommand<'openServiceConnection', OpenServiceConnectionPayload, OpenServiceConnectionResult>('openServiceConnection', {
    service: endpointApiService,
    targetOf: (p) => p.serviceId,
    idOf: (p) => serviceAttachmentCommandId.open(p.vpcEndpointId),
  }),
  close: defineCommand<'closeServiceConnection', CloseServiceConnectionPayload, CloseServiceConnectionResult>('closeServiceConnection', {
    service: endpointApiService,
    targetOf: (p) => p.serviceId,
    idOf: (p) => serviceAttachmentCommandId.close(p.vpcEndpointId),
  }),
};
