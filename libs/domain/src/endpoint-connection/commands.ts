// What the EndpointConnection aggregate is asked to do.
import { EndpointServiceState } from '../endpoint-service';
import { ConnectionServiceFacts, ConnectionStateReason, PrivateDnsFacts, WorkflowStep } from './state';

export interface EndpointRequestInput {
  serviceName?: string;
  vpcEndpointType?: unknown;
  vpcId?: unknown;
  subnets?: unknown;
  securityGroupIds?: unknown;
  privateDnsEnabled?: unknown;
  policyDocument?: unknown;
  ipAddressType?: unknown;
  tags?: unknown;
  requestMessage?: unknown;
  clientToken?: unknown;
}

export interface ModifyEndpointInput {
  addSubnets?: unknown;
  removeSubnetIds?: unknown;
  addSecurityGroupIds?: unknown;
  removeSecurityGroupIds?: unknown;
  privateDnsEnabled?: unknown;
  policyDocument?: unknown;
  resetPolicy?: unknown;
  addTags?: unknown;
  removeTagKeys?: unknown;
}

export type EndpointConnectionCommand =
  | {
      type: 'requestConnection';
      vpcEndpointId: string;
      /** 8 lower-case letters or digits: the `-<suffix>` of the endpoint's DNS names. */
      dnsSuffix: string;
      requesterPrincipal: string;
      input: EndpointRequestInput;
      service: ConnectionServiceFacts;
      /** The version of the service's stream the facts were taken at (0 when unknown). */
      observedServiceVersion?: number;
      now: string;
    }
  | {
      /** The workflow's checks, on what connection-broker knows of the service and its private DNS verification. */
      type: 'evaluateRequest';
      service: EndpointServiceState | null;
      privateDnsVerified: boolean;
      /**
       * False when the view of the service has not reached the version the edge validated the request
       * against: then it must not refuse what the service's stream allowed (the service's own stream decides
       * the principal, the state and the zones when the connection attaches). Default true.
       */
      serviceViewCurrent?: boolean;
      now: string;
    }
  | { type: 'recordQuotaDecision'; granted: boolean; message?: string; now: string }
  | {
      /** The service's answer to the attach request (decided on the service's own stream). */
      type: 'recordAttachment';
      outcome: { attached: true; acceptanceRequired: boolean } | { attached: false; reason: ConnectionStateReason; message: string };
      dns: PrivateDnsFacts;
      now: string;
    }
  | { type: 'recordDetachment'; now: string }
  | {
      /** The pending step's deadline passed: re-send its command, or give up after `maxTries` sends in all. */
      type: 'reconcileStep';
      step: WorkflowStep;
      maxTries: number;
      now: string;
    }
  | { type: 'acceptConnection'; serviceId: string; providerAccountId: string; dns: PrivateDnsFacts; now: string }
  | { type: 'rejectConnection'; serviceId: string; providerAccountId: string; now: string }
  | { type: 'deleteEndpoint'; ownerAccountId: string; now: string }
  | {
      type: 'modifyEndpoint';
      ownerAccountId: string;
      changes: ModifyEndpointInput;
      service: ConnectionServiceFacts | null;
      dns: PrivateDnsFacts;
      now: string;
    };
