import { streamFamilies } from '@privatelink/contracts';
import {
  connectionNotificationDecider,
  endpointServiceDecider,
  loadBalancerDecider,
  securityGroupDecider,
  subnetDecider,
  vpcDecider,
} from '@privatelink/domain';
import { defineAggregate } from '@privatelink/platform';

// The aggregates endpoint-api owns: each written only through `runtime.handle(aggregate, id, command, ctx)`.

export const endpointServices = defineAggregate(endpointServiceDecider, streamFamilies.endpointService);
export const loadBalancers = defineAggregate(loadBalancerDecider, streamFamilies.loadBalancer);
export const connectionNotifications = defineAggregate(connectionNotificationDecider, streamFamilies.connectionNotification);

// The network inventory: three deciders on one family of streams (`network-<resource id>`).
export const vpcs = defineAggregate(vpcDecider, streamFamilies.network);
export const subnets = defineAggregate(subnetDecider, streamFamilies.network);
export const securityGroups = defineAggregate(securityGroupDecider, streamFamilies.network);
