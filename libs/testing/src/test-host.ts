import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { Host, loadConfig, PlatformConfig, startHost } from '@privatelink/platform';
import { MessageTransport } from '@privatelink/contracts';

export const demoKeys = {
  provider: 'demo-provider-key-0001',
  providerAdmin: 'demo-provider-admin-key-0001',
  otherProvider: 'other-provider-key-0001',
  consumer: 'demo-consumer-key-0001',
  consumerRole: 'demo-consumer-role-key-0001',
  otherConsumer: 'other-consumer-key-0001',
  ops: 'demo-ops-key-0001',
} as const;

/** A Kafka namespace of its own, so test files sharing one broker never see each other's messages. */
export function uniqueNamespace(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

export interface TestHostOptions {
  processName: string;
  services: Array<Type<unknown> | DynamicModule>;
  databaseUrl: string;
  /** Kafka brokers; omit for the in-process transport. */
  brokers?: string[];
  namespace?: string;
  /** A transport to share between hosts (the in-process one of an embedded-like test). */
  transport?: MessageTransport;
  env?: Record<string, string>;
}

/** Starts a real Nest application (HTTP on a free loopback port) the way `main.ts` does, for integration tests. */
export async function startTestHost(options: TestHostOptions): Promise<Host & { config: PlatformConfig }> {
  const config = loadConfig({
    PRIVATELINK_HTTP_PORT: '0',
    PRIVATELINK_DATABASE_URL: options.databaseUrl,
    PRIVATELINK_TRANSPORT: options.brokers ? 'kafka' : 'in-process',
    ...(options.brokers ? { PRIVATELINK_KAFKA_BROKERS: options.brokers.join(',') } : {}),
    ...(options.namespace ? { PRIVATELINK_KAFKA_NAMESPACE: options.namespace } : {}),
    PRIVATELINK_PRINCIPALS_FILE: resolve(__dirname, '../../../config/principals.demo.json'),
    PRIVATELINK_LOG_LEVEL: process.env.PRIVATELINK_TEST_LOG_LEVEL ?? 'silent',
    PRIVATELINK_DB_POOL_SIZE: '5',
    ...options.env,
  });
  const host = await startHost({ processName: options.processName, config, services: options.services, transport: options.transport });
  return { ...host, config };
}
