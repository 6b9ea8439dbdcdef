import { LoadBalancerState } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import { StreamVersion, answer } from '../http/consistency';
import { errorResponse } from '../http/openapi-helpers';
import { LoadBalancerView, loadBalancerView } from '../http/load-balancers.schemas';

export function toLoadBalancerView(s: LoadBalancerState): LoadBalancerView {
  return {
    loadBalancerArn: s.arn,
    loadBalancerType: s.loadBalancerType,
    loadBalancerName: s.name,
    region: s.region,
    ownerId: s.ownerAccountId,
    availabilityZones: s.availabilityZones,
    ipAddressType: s.ipAddressType,
    state: s.status,
    usedByServiceIds: s.usedByServiceIds,
    tags: s.tags,
    registeredAt: s.registeredAt,
  };
}

/** The answer of a write of a load balancer: the load balancer after it, and where it wrote. */
export function loadBalancerAnswer(result: StreamVersion & { state: LoadBalancerState }) {
  return answer({ loadBalancer: toLoadBalancerView(result.state) }, result);
}

// ── what the routes on load balancers share in the API document ─────────────────────────────────

export const LOAD_BALANCERS_TAG = 'provider: load balancers';
export const loadBalancerArnParam = {
  schema: z.string().openapi({
    description: 'The load balancer ARN, URL-encoded (its slashes as %2F)',
    example: 'arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A111122223333%3Aloadbalancer%2Fnet%2Fmy-nlb%2Fe94221227f1ba532',
  }),
};
export const loadBalancerResponse = z.object({ loadBalancer: loadBalancerView }).openapi('LoadBalancerResponse');
export const loadBalancerNotFoundResponse = errorResponse(
  'InvalidLoadBalancerArn.NotFound: not registered in the caller’s account (another account’s answers the same)',
);
