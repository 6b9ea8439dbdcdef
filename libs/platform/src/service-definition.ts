import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { MigrationInterface } from 'typeorm';
import { PlatformConfig } from './config';
import { ReadinessRegistry } from './health';
import { Logger } from './logger';
import { Metrics } from './metrics';
import { PLATFORM_CONFIG, ROOT_LOGGER, TRANSPORT } from './platform.module';
import { Clock, ServiceRuntime, systemClock } from './service-runtime';

/** What every service is opened with (the Nest module passes the platform's; tests and the benchmark their own). */
export interface ServiceDeps {
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  logger: Logger;
  /** The service's clock (tests move it); real time when absent. */
  clock?: Clock;
}

/** What `wire` gets: the service's runtime (its store, the write path) and the platform's parts, named. */
export interface ServiceWiring<Options> {
  name: string;
  /** The write path and the service's schema: `handle`, `load`, `queue`, `transact`, projections, consumers. */
  runtime: ServiceRuntime;
  config: PlatformConfig;
  transport: MessageTransport;
  metrics: Metrics;
  readiness: ReadinessRegistry;
  /** The service's logger (`service: <name>`). */
  logger: Logger;
  clock: Clock;
  /** What the module or `open` was given for this instance (a test's adapter, randomness...). */
  options: Partial<Options>;
}

/** What `wire` may add: its parts (exposed on the service) and what starts after the runtime and stops before it. */
export interface ServiceParts {
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A running service: its parts, its runtime and clock, and its start and stop. */
export type Service<Parts> = Omit<Parts, 'start' | 'stop'> & {
  readonly name: string;
  readonly runtime: ServiceRuntime;
  readonly clock: Clock;
  now(): Date;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** The running service of a definition: `ServiceOf<typeof notifier>`. */
export type ServiceOf<D> = D extends ServiceDefinition<infer _O, infer P> ? Service<P> : never;

export interface ServiceSpec<Options, Parts extends ServiceParts> {
  /** The service (Nx app) name; its schema is the name with `_` for `-`. */
  name: string;
  /** Migrations of the service's own tables (the event store's and the platform's come first). */
  migrations?: Array<new () => MigrationInterface>;
  /** Builds the service's parts on its runtime: registers projections, consumers, command handlers. */
  wire(wiring: ServiceWiring<Options>): Parts;
  /** For a service with an HTTP edge: its controllers and providers (they may inject `definition.token`). */
  controllers?: Type<unknown>[];
  providers?: Provider[];
  imports?: DynamicModule['imports'];
}

/** The Nest token of a running service (`app.get(token)` is typed), which also opens it without the framework. */
export interface ServiceToken<Options, Parts extends ServiceParts> {
  new (): Service<Parts>;
  readonly service: string;
  open(deps: ServiceDeps, options?: Partial<Options>): Promise<Service<Parts>>;
}

export interface ServiceDefinition<Options, Parts extends ServiceParts> {
  readonly name: string;
  /** The Nest token of the running service: `app.get(definition.token)`, `@Inject(definition.token)`. */
  readonly token: ServiceToken<Options, Parts>;
  /** The service without the framework (tests, the benchmark): opened, wired, not started. */
  open(deps: ServiceDeps, options?: Partial<Options>): Promise<Service<Parts>>;
  /** The Nest module that opens the service with the platform's parts and starts and stops it with the application. */
  module(options?: Partial<Options> & { clock?: Clock }): DynamicModule;
}

/**
 * Writes once what every service's `*.core.ts` and `*.module.ts` had: the deps, `open` (the runtime on the
 * service's schema with its migrations), start (the runtime, then the parts), stop (the parts, then the
 * runtime) and the Nest module factory.
 */
export function defineService<Options = object, Parts extends ServiceParts = ServiceParts>(
  spec: ServiceSpec<Options, Parts>,
): ServiceDefinition<Options, Parts> {
  // A class only as a typed Nest token (never constructed): `app.get(token)` answers the Service.
  const token = class {
    static readonly service = spec.name;
    static open(deps: ServiceDeps, options?: Partial<Options>): Promise<Service<Parts>> {
      return open(deps, options);
    }
  } as unknown as ServiceToken<Options, Parts>;
  Object.defineProperty(token, 'name', { value: pascal(spec.name) });

  async function open(deps: ServiceDeps, options: Partial<Options> = {}): Promise<Service<Parts>> {
    const logger = deps.logger.child({ service: spec.name });
    const runtime = await ServiceRuntime.open({
      service: spec.name,
      config: deps.config,
      transport: deps.transport,
      metrics: deps.metrics,
      readiness: deps.readiness,
      logger,
      migrations: spec.migrations,
    });
    const clock = deps.clock ?? systemClock;
    let parts: Parts;
    try {
      parts = spec.wire({
        name: spec.name,
        runtime,
        config: deps.config,
        transport: deps.transport,
        metrics: deps.metrics,
        readiness: deps.readiness,
        logger,
        clock,
        options,
      });
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    const { start, stop, ...rest } = parts;
    return Object.assign(rest, {
      name: spec.name,
      runtime,
      clock,
      now: () => clock(),
      start: async () => {
        await runtime.start();
        await start?.call(parts);
      },
      stop: async () => {
        await stop?.call(parts);
        await runtime.stop();
      },
    }) as unknown as Service<Parts>;
  }

  class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
    constructor(@Inject(token) private readonly service: Service<Parts>) {}
    onApplicationBootstrap(): Promise<void> {
      return this.service.start();
    }
    onApplicationShutdown(): Promise<void> {
      return this.service.stop();
    }
  }

  @Module({})
  class ServiceModule {}
  Object.defineProperty(ServiceModule, 'name', { value: `${pascal(spec.name)}Module` });

  return {
    name: spec.name,
    token,
    open,
    module: (options: Partial<Options> & { clock?: Clock } = {}) => ({
      module: ServiceModule,
      imports: spec.imports ?? [],
      controllers: spec.controllers ?? [],
      providers: [
        {
          provide: token,
          inject: [PLATFORM_CONFIG, TRANSPORT, Metrics, ReadinessRegistry, ROOT_LOGGER],
          useFactory: (
            config: PlatformConfig,
            transport: MessageTransport,
            metrics: Metrics,
            readiness: ReadinessRegistry,
            logger: Logger,
          ) => open({ config, transport, metrics, readiness, logger, clock: options.clock }, options),
        },
        Lifecycle,
        ...(spec.providers ?? []),
      ],
      exports: [token],
    }),
  };
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase());
}
