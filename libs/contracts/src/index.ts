export * from './envelope';
export * from './streams';
export * from './transport';
