// What happened to a VPC endpoint and its connection: the facts its stream records.
import { ConnectionEvent } from '../connection-notification';
import { Tag } from '../tags';
import {
  ConnectionStateReason,
  DnsEntry,
  EndpointRequest,
  EndpointSubnet,
  SecurityGroupRef,
  VpcEndpointState,
  WorkflowStep,
} from './state';

export interface ConnectionEventBase {
  vpcEndpointId: string;
  serviceId: string;
  /** The consumer's account. */
  vpcEndpointOwner: string;
  /** The provider's account. */
  serviceOwner: string;
  at: string;
}

/** A change of `vpcEndpointState`: before and after, and the guide's notification event when it is one. */
export interface ConnectionTransition extends ConnectionEventBase {
  stateBefore: VpcEndpointState | null;
  stateAfter: VpcEndpointState;
  connectionEvent?: ConnectionEvent;
}

export interface QuotaScope {
  consumerAccountId: string;
  serviceId: string;
  vpcId: string;
}

export type EndpointConnectionEvent =
  | (ConnectionTransition &
      EndpointRequest & {
        type: 'connectionRequested';
        serviceName: string;
        requesterPrincipal: string;
        baseEndpointDnsName: string;
        dnsSuffix: string;
        createdAt: string;
        /** The service stream version the edge validated against: the workflow's view of the service waits for it. */
        observedServiceVersion: number;
      })
  | (ConnectionEventBase & { type: 'connectionQuotaRequested'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionQuotaGranted'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionQuotaRefused'; scope: QuotaScope; message: string })
  | (ConnectionEventBase & { type: 'connectionQuotaReleased'; scope: QuotaScope })
  | (ConnectionEventBase & { type: 'connectionAttachRequested'; requesterPrincipal: string; availabilityZoneIds: string[] })
  | (ConnectionEventBase & { type: 'connectionAttached' })
  | (ConnectionEventBase & { type: 'connectionDetachRequested' })
  | (ConnectionEventBase & { type: 'connectionDetached' })
  /** The pending step's deadline passed and its command was sent again (`attempt`: the how-manieth send). */
  | (ConnectionEventBase & { type: 'connectionStepRetried'; step: WorkflowStep; attempt: number })
  /** The step's owner never answered after `tries` sends: the workflow stops waiting for it. */
  | (ConnectionEventBase & { type: 'connectionStepAbandoned'; step: WorkflowStep; tries: number })
  | (ConnectionTransition & { type: 'connectionPendingAcceptance'; requestMessage: string | null })
  | (ConnectionTransition & { type: 'connectionAccepted'; dnsEntries: DnsEntry[] })
  | (ConnectionTransition & { type: 'connectionAutoAccepted'; dnsEntries: DnsEntry[] })
  | (ConnectionTransition & { type: 'connectionRejected' })
  | (ConnectionTransition & { type: 'connectionFailed'; stateReason: ConnectionStateReason; message: string })
  | (ConnectionTransition & { type: 'connectionDeleting' })
  | (ConnectionTransition & { type: 'connectionDeleted' })
  | (ConnectionEventBase & {
      type: 'connectionModified';
      subnets: EndpointSubnet[];
      groups: SecurityGroupRef[];
      privateDnsEnabled: boolean;
      policyDocument: string | null;
      tags: Tag[];
      dnsEntries: DnsEntry[];
    });
