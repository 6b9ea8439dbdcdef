export * from './retry';
export * from './kafka-transport';
export * from './in-process-transport';
export * from './idempotent-consumer';
export * from './consumer-lag';
export * from './failure';
export * from './dead-letters';
export * from './kafkajs-idle-fix';
