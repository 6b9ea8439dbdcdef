import { z } from '@privatelink/platform';
import { tagSchema } from './load-balancers.schemas';

export const createEndpointServiceBody = z
  .object({
    networkLoadBalancerArns: z.array(z.string().max(2048)).max(50).optional(),
    gatewayLoadBalancerArns: z.array(z.string().max(2048)).max(50).optional(),
    acceptanceRequired: z.boolean().optional().openapi({ description: 'Default true, as the CLI' }),
    privateDnsName: z.string().max(300).optional().openapi({ example: 'api.example.com' }),
    supportedIpAddressTypes: z.array(z.enum(['ipv4', 'ipv6'])).min(1).max(2).optional(),
    tags: z.array(tagSchema).max(100).optional(),
    clientToken: z.string().min(1).max(64).optional(),
  })
  .strict()
  .openapi('CreateEndpointServiceRequest');

export const endpointServiceView = z
  .object({
    serviceId: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }),
    serviceName: z.string(),
    serviceType: z.enum(['Interface', 'GatewayLoadBalancer']),
    serviceState: z.enum(['Pending', 'Available', 'Deleting', 'Deleted', 'Failed']),
    owner: z.string(),
    acceptanceRequired: z.boolean(),
    networkLoadBalancerArns: z.array(z.string()),
    gatewayLoadBalancerArns: z.array(z.string()),
    availabilityZones: z.array(z.string()),
    availabilityZoneIds: z.array(z.string()),
    baseEndpointDnsNames: z.array(z.string()),
    privateDnsName: z.string().optional(),
    supportedIpAddressTypes: z.array(z.enum(['ipv4', 'ipv6'])),
    payerResponsibility: z.string().optional(),
    tags: z.array(tagSchema),
    createdAt: z.string(),
  })
  .openapi('ServiceConfiguration');

export type EndpointServiceView = z.infer<typeof endpointServiceView>;
