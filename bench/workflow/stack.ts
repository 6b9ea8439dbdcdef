import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { allEventTopics, commandOutcomeTopic, commandTopicFor } from '@privatelink/contracts';
import { KafkaTransport } from '@privatelink/messaging';
import type { SnsInfo } from '@privatelink/testing';
import { ProcessSpec, ServiceProcesses, freePort } from './processes';

/** The five services, each its own process in the distributed shape. */
export const SERVICES = ['endpoint-api', 'connection-broker', 'dns-verifier', 'notifier', 'quota-guard'] as const;

export const REPO = resolve(__dirname.includes('/dist/') ? resolve(__dirname, '../../..') : resolve(__dirname, '../..'));

/**
 * Run from the sources (node -r scripts/ts-register.js bench/chaos.ts: no build), the services start from
 * their sources too; run from dist/ (the bench), from dist/.
 */
const FROM_SOURCES = __filename.endsWith('.ts');
const PRELOAD = FROM_SOURCES ? 'scripts/ts-register.js' : 'scripts/paths.js';
const entry = (app: string) => (FROM_SOURCES ? `apps/${app}/src/main.ts` : `dist/apps/${app}/src/main.js`);

function commonEnv(sns: SnsInfo | undefined, extra: Record<string, string>): Record<string, string> {
  return {
    PRIVATELINK_PRINCIPALS_FILE: join(REPO, 'config', 'principals.demo.json'),
    PRIVATELINK_LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
    // e.g. BENCH_SERVICE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/profiles": a CPU profile per service
    ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
    ...(sns
      ? {
          PRIVATELINK_SNS_ENDPOINT: sns.endpoint,
          PRIVATELINK_SNS_REGION: sns.region,
          PRIVATELINK_SNS_ACCESS_KEY_ID: sns.credentials.accessKeyId,
          PRIVATELINK_SNS_SECRET_ACCESS_KEY: sns.credentials.secretAccessKey,
        }
      : {}),
    ...extra,
  };
}

/**
 * Creates every topic the services use (and their dead-letter topics) before they start: services that
 * start at once and each create topics on first use fail with "This server does not host this
 * topic-partition" while the broker is still electing the new partitions' leaders.
 */
export async function createTopics(brokers: string[], namespace: string): Promise<void> {
  const transport = new KafkaTransport({ brokers, clientId: 'workflow-topics', namespace, logger: pino({ level: 'silent' }) });
  try {
    await transport.ensureTopics([...allEventTopics, commandOutcomeTopic, ...SERVICES.map(commandTopicFor)]);
  } finally {
    await transport.close();
  }
}

/** The distributed shape: the five services as OS processes on one database (a schema each) and Kafka. */
export async function distributedStack(o: {
  databaseUrl: string;
  brokers: string[];
  namespace: string;
  sns?: SnsInfo;
  logDir: string;
  env?: Record<string, string>;
  say: (m: string) => void;
}): Promise<ServiceProcesses> {
  mkdirSync(o.logDir, { recursive: true });
  await createTopics(o.brokers, o.namespace);
  const specs: ProcessSpec[] = [];
  for (const name of SERVICES) {
    const port = await freePort();
    specs.push({
      name,
      main: entry(name),
      port,
      env: commonEnv(o.sns, {
        PRIVATELINK_HTTP_PORT: String(port),
        PRIVATELINK_DATABASE_URL: o.databaseUrl,
        PRIVATELINK_TRANSPORT: 'kafka',
        PRIVATELINK_KAFKA_BROKERS: o.brokers.join(','),
        PRIVATELINK_KAFKA_NAMESPACE: o.namespace,
        ...o.env,
      }),
    });
  }
  return new ServiceProcesses(specs, { repo: REPO, preload: PRELOAD, logDir: o.logDir, say: o.say });
}

/** The embedded default (`npm start`): one process, its embedded PostgreSQL in `dataDir`, the in-process transport. */
export async function embeddedStack(o: {
  dataDir: string;
  sns?: SnsInfo;
  logDir: string;
  env?: Record<string, string>;
  say: (m: string) => void;
}): Promise<{ processes: ServiceProcesses; databaseUrl: string }> {
  mkdirSync(o.logDir, { recursive: true });
  const port = await freePort();
  const pgPort = await freePort();
  const spec: ProcessSpec = {
    name: 'embedded',
    main: entry('embedded'),
    port,
    env: commonEnv(o.sns, {
      PRIVATELINK_HTTP_PORT: String(port),
      PRIVATELINK_DATA_DIR: o.dataDir,
      PRIVATELINK_EMBEDDED_PG_PORT: String(pgPort),
      ...o.env,
    }),
  };
  return {
    processes: new ServiceProcesses([spec], { repo: REPO, preload: PRELOAD, logDir: o.logDir, say: o.say }),
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/privatelink`,
  };
}
