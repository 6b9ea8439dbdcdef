import { isIP } from 'node:net';
import { z } from 'zod';
import type { QuotaDefaults } from '@privatelink/domain';

/**
 * The one config loader. Every setting is an environment variable, validated at start-up; a bad value
 * stops the process with a message naming the variable (see `loadConfigOrExit`).
 */

/** A comma-separated list: its entries trimmed, empty ones dropped. */
const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const csv = commaList.pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port')).min(1));

/** A DNS server: `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353` (addresses only: the port defaults to 53). */
export interface DnsServerAddress {
  host: string;
  port: number;
}

export function parseDnsServer(value: string): DnsServerAddress | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(value);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : v4 ? [v4[1], v4[2]] : [value, undefined];
  const p = port === undefined ? 53 : Number(port);
  if (!isIP(host) || (v4 && isIP(host) !== 4) || p < 1 || p > 65535) return undefined;
  return { host, port: p };
}

const dnsServers = commaList
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (s) => parseDnsServer(s) !== undefined,
          'each DNS server must be an IP address with an optional port: 1.2.3.4, 1.2.3.4:5353, [::1]:5353',
        ),
    ),
  )
  .transform((list) => list.map((s) => parseDnsServer(s)!));

/** `name=http://host:port,…`: where the console finds the services this process does not host. */
const serviceUrls = commaList
  .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,62}=https?:\/\/[^\s,]+$/, 'each entry must be name=http(s)://host:port')))
  .transform(
    (list) =>
      Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1).replace(/\/+$/, '')])) as Record<
        string,
        string
      >,
  );

/** An integer setting between `min` and `max`. */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like us-east-1');

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** An OpenTelemetry endpoint variable: an http(s) URL, or unset (an empty value counts as unset). */
const otlpEndpoint = httpUrl.optional().or(z.literal('').transform(() => undefined));

const configSchema = z
  .object({
    PRIVATELINK_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    PRIVATELINK_HTTP_PORT: integer(0, 65535).default(8080),
    PRIVATELINK_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    PRIVATELINK_DB_POOL_SIZE: integer(1, 100).default(10),
    PRIVATELINK_DB_COMMAND_POOL_SIZE: integer(0, 100).default(3),
    PRIVATELINK_TRANSPORT: z.enum(['kafka', 'in-process']).default('kafka'),
    PRIVATELINK_KAFKA_BROKERS: csv.optional(),
    PRIVATELINK_KAFKA_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lower-case letters, digits, . _ -')
      .optional(),
    PRIVATELINK_KAFKA_PARTITIONS: integer(1, 256).default(4),
    PRIVATELINK_KAFKA_FETCH_MAX_WAIT_MS: integer(1, 5_000).default(5_000),
    PRIVATELINK_CONSUMER_RETRY_BASE_MS: integer(1, 60_000).default(100),
    PRIVATELINK_CONSUMER_RETRY_MAX_MS: integer(1, 300_000).default(5_000),
    PRIVATELINK_CONSUMER_DETERMINISTIC_ATTEMPTS: integer(1, 100).default(3),
    PRIVATELINK_OUTBOX_IDLE_POLL_MS: integer(10, 600_000).default(2_000),
    PRIVATELINK_RETRY_AFTER_SECONDS: integer(1, 3_600).default(5),
    PRIVATELINK_PRINCIPALS_FILE: z.string().min(1).default('config/principals.demo.json'),
    PRIVATELINK_REGION: region.default('us-east-1'),
    PRIVATELINK_BASE_DOMAIN: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a lower-case domain')
      .default('amazonaws.com'),
    PRIVATELINK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PRIVATELINK_DATA_DIR: z.string().min(1).default('.data'),
    PRIVATELINK_PAGINATION_SECRET: z.string().min(16, 'must be at least 16 characters').default('change-me-pagination-secret'),
    PRIVATELINK_READ_WAIT_MS: integer(0, 30_000).default(2_000),
    PRIVATELINK_SNS_ENDPOINT: httpUrl.optional(),
    PRIVATELINK_SNS_REGION: region.optional(),
    PRIVATELINK_SNS_ACCESS_KEY_ID: z.string().min(1).optional(),
    PRIVATELINK_SNS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    PRIVATELINK_SNS_REQUEST_TIMEOUT_MS: integer(1_000, 600_000).default(120_000),
    PRIVATELINK_NOTIFY_MAX_ATTEMPTS: integer(1, 100).default(8),
    PRIVATELINK_NOTIFY_BASE_DELAY_MS: integer(1, 3_600_000).default(500),
    PRIVATELINK_NOTIFY_MAX_DELAY_MS: integer(1, 86_400_000).default(60_000),
    PRIVATELINK_NOTIFY_POLL_MS: integer(5, 60_000).default(1_000),
    PRIVATELINK_DNS_RESOLVERS: dnsServers.optional(),
    PRIVATELINK_DNS_FALLBACK_RESOLVERS: dnsServers.optional(),
    PRIVATELINK_DNS_NAMESERVER_PORT: integer(1, 65535).default(53),
    PRIVATELINK_DNS_TIMEOUT_MS: integer(50, 30_000).default(2_000),
    PRIVATELINK_DNS_TRIES: integer(1, 10).default(2),
    PRIVATELINK_DNS_NS_CACHE_SECONDS: integer(0, 86_400).default(300),
    PRIVATELINK_DNS_CHECK_CONCURRENCY: integer(1, 512).default(32),
    PRIVATELINK_DNS_SCHEDULER_POLL_MS: integer(10, 600_000).default(5_000),
    PRIVATELINK_DNS_VERIFY_WAIT_MS: integer(0, 60_000).default(10_000),
    PRIVATELINK_BODY_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/, 'must look like 256kb')
      .default('256kb'),
    PRIVATELINK_SHUTDOWN_DRAIN_MS: integer(0, 600_000).default(10_000),
    PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: integer(0, 1_000_000).default(20),
    PRIVATELINK_QUOTA_ALLOWED_PRINCIPALS_PER_SERVICE: integer(0, 1_000_000).default(1_000),
    PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS: integer(1_000, 86_400_000).default(900_000),
    PRIVATELINK_QUOTA_SCHEDULER_POLL_MS: integer(10, 600_000).default(1_000),
    PRIVATELINK_QUOTA_EDGE_WAIT_MS: integer(100, 60_000).default(10_000),
    PRIVATELINK_CONSOLE_SERVICE_URLS: serviceUrls.optional(),
    PRIVATELINK_QUOTA_RECONCILE_POLL_MS: integer(10, 3_600_000).default(30_000),
    PRIVATELINK_WORKFLOW_STEP_DEADLINE_MS: integer(100, 3_600_000).default(30_000),
    PRIVATELINK_WORKFLOW_STEP_TRIES: integer(1, 100).default(5),
    PRIVATELINK_RECONCILER_POLL_MS: integer(10, 600_000).default(1_000),
    // OpenTelemetry's standard variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
    // Unlike the SDK's default, nothing is exported unless an exporter or an OTLP endpoint is named.
    OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
    OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpEndpoint,
    // The exporter speaks OTLP over HTTP with JSON bodies (collectors accept it on /v1/traces).
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json']).optional(),
    OTEL_TRACES_SAMPLER: z
      .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
      .default('parentbased_always_on'),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.PRIVATELINK_SNS_ACCESS_KEY_ID) !== Boolean(c.PRIVATELINK_SNS_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PRIVATELINK_SNS_SECRET_ACCESS_KEY'],
        message: 'give both PRIVATELINK_SNS_ACCESS_KEY_ID and PRIVATELINK_SNS_SECRET_ACCESS_KEY, or neither',
      });
    }
    if (c.PRIVATELINK_TRANSPORT === 'kafka' && !c.PRIVATELINK_KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['PRIVATELINK_KAFKA_BROKERS'], message: 'is required when PRIVATELINK_TRANSPORT=kafka' });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface PlatformConfig {
  /** `drainMs`: on SIGTERM/SIGINT, how long requests in flight may take to finish before the listener closes. */
  http: { host: string; port: number; bodyLimit: string; drainMs: number };
  databaseUrl?: string;
  dbPoolSize: number;
  /**
   * Connections of their own for the commands other services send (a step of someone's workflow), so they
   * do not queue behind the read models and HTTP reads in the main pool; 0 shares the main pool.
   */
  dbCommandPoolSize: number;
  transport: 'kafka' | 'in-process';
  /** fetchMaxWaitMs: how long an idle consumer's fetch waits on the broker (hand-over stays immediate). */
  kafka: { brokers: string[]; partitions: number; namespace?: string; fetchMaxWaitMs: number };
  /** How consumers retry a failing message (see libs/messaging/src/failure.ts for the kinds of failure). */
  consumerRetry: { deterministicAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** The outbox relay's safety-net poll when nothing woke it (appends wake it at once). */
  outboxIdlePollMs: number;
  /** The Retry-After of a 503 ServiceUnavailable answered while a dependency is down. */
  retryAfterSeconds: number;
  principalsFile: string;
  region: string;
  baseDomain: string;
  logLevel: RawConfig['PRIVATELINK_LOG_LEVEL'];
  dataDir: string;
  paginationSecret: string;
  readWaitMs: number;
  /** Where notifier publishes: AWS by default, or any SNS-compatible endpoint. */
  sns: { endpoint?: string; region: string; credentials?: { accessKeyId: string; secretAccessKey: string }; requestTimeoutMs: number };
  notify: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; pollMs: number };
  /** dns-verifier's resolution and schedule, and the edge's wait for a manual verification. */
  dns: DnsConfig;
  /** quota-guard's configurable defaults, its reservation timeout and scheduler, and the edge's wait for its answers. */
  quota: QuotaConfig;
  /** The ops console (endpoint-api): base URLs of the services not hosted in this process, for their readiness and outbox. */
  console: { serviceUrls: Record<string, string> };
  /** connection-broker's deadlines on the workflow's steps and the reconciler that enforces them. */
  workflow: WorkflowConfig;
  /** Trace export (tracing.ts); the trace context travels with every message whatever this says. */
  tracing: TracingConfig;
}

export interface TracingConfig {
  /** `otlp` when OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint is set; `none` by default. */
  exporter: 'otlp' | 'console' | 'none';
  sampler: RawConfig['OTEL_TRACES_SAMPLER'];
  samplerArg?: number;
}

export interface WorkflowConfig {
  /** How long a step (quota answer, attach, detach, the broker's own checks) may stay unanswered before it is sent again. */
  stepDeadlineMs: number;
  /** Sends of a step in all (the first included) before the request fails with InternalFailure / the deletion goes on. */
  stepTries: number;
  /** How often the reconciler looks for steps past their deadline when none were due. */
  reconcilerPollMs: number;
}

export interface QuotaConfig {
  /** Default of endpoint-services-per-account. */
  servicesPerAccount: number;
  /** Default of allowed-principals-per-service. */
  allowedPrincipalsPerService: number;
  /** How long a reservation whose request never completed holds capacity before it is given back. */
  reservationTimeoutMs: number;
  /** How often the expiry scheduler looks for lapsed reservations. */
  schedulerPollMs: number;
  /** How long endpoint-api waits for quota-guard's answer (service reservation, increase requests, limits). */
  edgeWaitMs: number;
  /** How often quota-guard recounts its ledgers against the connections it knows of (lost releases and confirmations). */
  reconcilePollMs: number;
}

export interface DnsConfig {
  /** Servers NS discovery starts from (recursive resolvers); empty: the system's resolvers. */
  resolvers: DnsServerAddress[];
  /** Recursive resolvers asked when the authoritative name servers cannot be found or do not answer. */
  fallbackResolvers: DnsServerAddress[];
  /** The port authoritative name servers found by NS lookup are asked on (53; the tests' Knot is elsewhere). */
  nameServerPort: number;
  timeoutMs: number;
  tries: number;
  nsCacheSeconds: number;
  checkConcurrency: number;
  schedulerPollMs: number;
  verifyWaitMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])] ?? null)})`),
    );
  }
  const c = parsed.data;
  return {
    http: {
      host: c.PRIVATELINK_HTTP_HOST,
      port: c.PRIVATELINK_HTTP_PORT,
      bodyLimit: c.PRIVATELINK_BODY_LIMIT,
      drainMs: c.PRIVATELINK_SHUTDOWN_DRAIN_MS,
    },
    databaseUrl: c.PRIVATELINK_DATABASE_URL,
    dbPoolSize: c.PRIVATELINK_DB_POOL_SIZE,
    dbCommandPoolSize: c.PRIVATELINK_DB_COMMAND_POOL_SIZE,
    transport: c.PRIVATELINK_TRANSPORT,
    kafka: {
      brokers: c.PRIVATELINK_KAFKA_BROKERS ?? [],
      partitions: c.PRIVATELINK_KAFKA_PARTITIONS,
      namespace: c.PRIVATELINK_KAFKA_NAMESPACE,
      fetchMaxWaitMs: c.PRIVATELINK_KAFKA_FETCH_MAX_WAIT_MS,
    },
    consumerRetry: {
      deterministicAttempts: c.PRIVATELINK_CONSUMER_DETERMINISTIC_ATTEMPTS,
      baseDelayMs: c.PRIVATELINK_CONSUMER_RETRY_BASE_MS,
      maxDelayMs: c.PRIVATELINK_CONSUMER_RETRY_MAX_MS,
    },
    outboxIdlePollMs: c.PRIVATELINK_OUTBOX_IDLE_POLL_MS,
    retryAfterSeconds: c.PRIVATELINK_RETRY_AFTER_SECONDS,
    principalsFile: c.PRIVATELINK_PRINCIPALS_FILE,
    region: c.PRIVATELINK_REGION,
    baseDomain: c.PRIVATELINK_BASE_DOMAIN,
    logLevel: c.PRIVATELINK_LOG_LEVEL,
    dataDir: c.PRIVATELINK_DATA_DIR,
    paginationSecret: c.PRIVATELINK_PAGINATION_SECRET,
    readWaitMs: c.PRIVATELINK_READ_WAIT_MS,
    sns: {
      endpoint: c.PRIVATELINK_SNS_ENDPOINT,
      region: c.PRIVATELINK_SNS_REGION ?? c.PRIVATELINK_REGION,
      credentials:
        c.PRIVATELINK_SNS_ACCESS_KEY_ID && c.PRIVATELINK_SNS_SECRET_ACCESS_KEY
          ? { accessKeyId: c.PRIVATELINK_SNS_ACCESS_KEY_ID, secretAccessKey: c.PRIVATELINK_SNS_SECRET_ACCESS_KEY }
          : undefined,
      requestTimeoutMs: c.PRIVATELINK_SNS_REQUEST_TIMEOUT_MS,
    },
    notify: {
      maxAttempts: c.PRIVATELINK_NOTIFY_MAX_ATTEMPTS,
      baseDelayMs: c.PRIVATELINK_NOTIFY_BASE_DELAY_MS,
      maxDelayMs: c.PRIVATELINK_NOTIFY_MAX_DELAY_MS,
      pollMs: c.PRIVATELINK_NOTIFY_POLL_MS,
    },
    dns: {
      resolvers: c.PRIVATELINK_DNS_RESOLVERS ?? [],
      fallbackResolvers: c.PRIVATELINK_DNS_FALLBACK_RESOLVERS ?? [],
      nameServerPort: c.PRIVATELINK_DNS_NAMESERVER_PORT,
      timeoutMs: c.PRIVATELINK_DNS_TIMEOUT_MS,
      tries: c.PRIVATELINK_DNS_TRIES,
      nsCacheSeconds: c.PRIVATELINK_DNS_NS_CACHE_SECONDS,
      checkConcurrency: c.PRIVATELINK_DNS_CHECK_CONCURRENCY,
      schedulerPollMs: c.PRIVATELINK_DNS_SCHEDULER_POLL_MS,
      verifyWaitMs: c.PRIVATELINK_DNS_VERIFY_WAIT_MS,
    },
    quota: {
      servicesPerAccount: c.PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT,
      allowedPrincipalsPerService: c.PRIVATELINK_QUOTA_ALLOWED_PRINCIPALS_PER_SERVICE,
      reservationTimeoutMs: c.PRIVATELINK_QUOTA_RESERVATION_TIMEOUT_MS,
      schedulerPollMs: c.PRIVATELINK_QUOTA_SCHEDULER_POLL_MS,
      edgeWaitMs: c.PRIVATELINK_QUOTA_EDGE_WAIT_MS,
      reconcilePollMs: c.PRIVATELINK_QUOTA_RECONCILE_POLL_MS,
    },
    workflow: {
      stepDeadlineMs: c.PRIVATELINK_WORKFLOW_STEP_DEADLINE_MS,
      stepTries: c.PRIVATELINK_WORKFLOW_STEP_TRIES,
      reconcilerPollMs: c.PRIVATELINK_RECONCILER_POLL_MS,
    },
    console: { serviceUrls: c.PRIVATELINK_CONSOLE_SERVICE_URLS ?? {} },
    tracing: {
      exporter:
        c.OTEL_SDK_DISABLED === 'true'
          ? 'none'
          : (c.OTEL_TRACES_EXPORTER ?? (c.OTEL_EXPORTER_OTLP_ENDPOINT || c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none')),
      sampler: c.OTEL_TRACES_SAMPLER,
      samplerArg: c.OTEL_TRACES_SAMPLER_ARG,
    },
  };
}

/** For main(): print what is wrong and exit non-zero instead of starting half-configured. */
export function loadConfigOrExit(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<PlatformConfig> = {},
  databaseProvided = false,
): PlatformConfig {
  try {
    const config = { ...loadConfig(env), ...overrides };
    if (!config.databaseUrl && !databaseProvided)
      throw new ConfigError(['PRIVATELINK_DATABASE_URL: is required (postgres://user:password@host:port/database)']);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The catalog defaults the configuration sets (PRIVATELINK_QUOTA_*): quota-guard's ledgers and the edge read the same. */
export function quotaDefaultsOf(config: Pick<PlatformConfig, 'quota'>): QuotaDefaults {
  return {
    'endpoint-services-per-account': config.quota.servicesPerAccount,
    'allowed-principals-per-service': config.quota.allowedPrincipalsPerService,
  };
}
