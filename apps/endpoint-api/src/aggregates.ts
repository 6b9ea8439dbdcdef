import { streamFamilies } from '@privatelink/contracts';
import { connectionNotificationDecider, endpointServiceDecider, loadBalancerDecider } from '@privatelink/domain';
import { defineAggregate } from '@privatelink/platform';

// The aggregates endpoint-api owns: each written only through `runtime.handle(aggregate, id, command, ctx)`.

export const endpointServices = defineAggregate(endpointServiceDecider, streamFamilies.endpointService);
export const loadBalancers = defineAggregate(loadBalancerDecider, streamFamilies.loadBalancer);
export const connectionNotifications = defineAggregate(connectionNotificationDecider, streamFamilies.connectionNotification);
