export * from './sql';
export * from './errors';
export * from './database';
export * from './migrations';
export * from './event-store';
export * from './outbox-relay';
export * from './snapshots';
export * from './trace-stats';
