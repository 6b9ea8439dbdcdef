// The write helpers of endpoint services live with their use cases (src/endpoint-services); this path is
// kept for the suites and the benchmark outside endpoint-api that import them from here.
export { endpointServiceStream, loadBalancerStream, recordLoadBalancerUse } from '../endpoint-services/service-writes';
