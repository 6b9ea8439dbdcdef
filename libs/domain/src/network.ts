// The network inventory: VPCs, subnets and security groups, event-sourced and owned per account (the
// consumer's, where endpoints go; the provider's, where load balancers are).
export * from './cidr';
export * from './network-ids';
export * from './vpc';
export * from './subnet';
export * from './security-group';
export * from './network-zones';
