// Load balancers' use cases live in src/load-balancers; this path is kept for the benchmark that imports it.
export { loadBalancerStream } from '../endpoint-services/service-writes';
