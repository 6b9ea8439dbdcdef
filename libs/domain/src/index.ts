// @privatelink/domain: pure TypeScript domain of the PrivateLink provider control plane.
// No framework, no I/O, no clock, no randomness: ids and `now` come in with the commands.
export * from './errors';
export * from './decider';
export * from './ids';
export * from './arn';
export * from './principal';
export * from './dns-name';
export * from './tags';
export * from './availability-zones';
export * from './load-balancer';
export * from './endpoint-service';
export * from './connection-notification';
export * from './notification-delivery';
export * from './private-dns-diagnostics';
export * from './private-dns-verification';
export * from './endpoint-connection';
export * from './quota';
export * from './text';
export * from './network';
