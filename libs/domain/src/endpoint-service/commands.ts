// What the EndpointService aggregate is asked to do (typed: the HTTP edge parsed the raw input).
import { LoadBalancerDescription } from '../load-balancer';
import { Tag } from '../tags';
import { SupportedIpAddressType } from './state';

export type EndpointServiceCommand =
  | {
      type: 'createEndpointService';
      serviceId: string;
      ownerAccountId: string;
      region: string;
      baseDomain: string;
      networkLoadBalancers?: LoadBalancerDescription[];
      gatewayLoadBalancers?: LoadBalancerDescription[];
      /** Default true, as the CLI. */
      acceptanceRequired?: boolean;
      privateDnsName?: string;
      /** At most 255 characters of text. */
      description?: string;
      /** Default ['ipv4']. */
      supportedIpAddressTypes?: SupportedIpAddressType[];
      tags?: Tag[];
      clientToken?: string;
      now: string;
    }
  | { type: 'markAvailable'; now: string }
  | { type: 'markFailed'; reason: string; now: string }
  | {
      type: 'modifyEndpointService';
      addNetworkLoadBalancers?: LoadBalancerDescription[];
      removeNetworkLoadBalancerArns?: string[];
      addGatewayLoadBalancers?: LoadBalancerDescription[];
      removeGatewayLoadBalancerArns?: string[];
      acceptanceRequired?: boolean;
      privateDnsName?: string;
      removePrivateDnsName?: boolean;
      addSupportedIpAddressTypes?: SupportedIpAddressType[];
      removeSupportedIpAddressTypes?: SupportedIpAddressType[];
      payerResponsibility?: string;
      /** A new description; '' removes it. */
      description?: string;
      addAutoAcceptPrincipals?: string[];
      removeAutoAcceptPrincipals?: string[];
      now: string;
    }
  | {
      type: 'addAllowedPrincipals';
      principals: string[];
      /** One fresh id per requested principal, same order; ids of principals already present go unused. */
      servicePermissionIds: string[];
      /** The allowed-principals-per-service quota of the service now (absent or null: not checked). */
      maxAllowedPrincipals?: number | null;
      now: string;
    }
  | { type: 'removeAllowedPrincipals'; principals: string[]; now: string }
  | { type: 'createTags'; tags: Tag[] }
  | { type: 'deleteTags'; tagKeys: string[] }
  | {
      /** connection-broker attaches a connection: the service's own stream decides (see attachmentRefusal). */
      type: 'recordConnectionOpened';
      vpcEndpointId: string;
      /** Who connects and from which zones; when given, the attachment rules are decided on this stream. */
      requester?: { principal: string; availabilityZoneIds: string[] };
    }
  | { type: 'recordConnectionClosed'; vpcEndpointId: string }
  | { type: 'deleteEndpointService'; now: string }
  | { type: 'completeDeletion'; now: string };
