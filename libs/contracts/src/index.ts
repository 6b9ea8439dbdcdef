export * from './envelope';
export * from './streams';
export * from './transport';
export * from './private-dns-verification';
export * from './connection-commands';
export * from './quota-commands';
export * from './trace-context';
