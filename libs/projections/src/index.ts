export * from './connection-notifications';
export * from './document-table';
export * from './projection';
export * from './projection-runner';
export * from './rebuild';
