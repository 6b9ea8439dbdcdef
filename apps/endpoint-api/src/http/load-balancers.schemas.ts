import { nameString, z } from '@privatelink/platform';

export const zoneSchema = z
  .object({
    zoneName: nameString().openapi({ example: 'us-east-1a' }),
    zoneId: nameString().openapi({ example: 'use1-az1' }),
  })
  .strict();

export const tagSchema = z.object({ key: nameString(), value: nameString() }).strict().openapi('Tag');

export const registerLoadBalancerBody = z
  .object({
    loadBalancerArn: nameString()
      .max(2048)
      .openapi({ example: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/my-nlb/e94221227f1ba532' }),
    availabilityZones: z.array(zoneSchema).max(64),
    ipAddressType: z.enum(['ipv4', 'dualstack']).optional(),
    tags: z.array(tagSchema).max(100).optional(),
  })
  .strict()
  .openapi('RegisterLoadBalancerRequest');

export const loadBalancerView = z
  .object({
    loadBalancerArn: z.string(),
    loadBalancerType: z.enum(['network', 'gateway']),
    loadBalancerName: z.string(),
    region: z.string(),
    ownerId: z.string(),
    availabilityZones: z.array(zoneSchema),
    ipAddressType: z.enum(['ipv4', 'dualstack']),
    state: z.enum(['registered', 'deregistered']),
    usedByServiceIds: z.array(z.string()),
    tags: z.array(tagSchema),
    registeredAt: z.string(),
  })
  .openapi('LoadBalancer');

export type LoadBalancerView = z.infer<typeof loadBalancerView>;

export type RegisterLoadBalancerInput = z.infer<typeof registerLoadBalancerBody>;
