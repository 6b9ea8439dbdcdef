// A set of servers of one's own (PostgreSQL, Kafka, moto) for fault tests that stop, restart and pause
// them: the same scripts/infra/*.sh as the shared test servers, on other ports and another runtime folder
// (PRIVATELINK_INFRA_DIR), so the shared servers other test runs use are never touched.
import { rm } from 'node:fs/promises';
import { infraScriptWith } from './infra';
import { pauseSns, resumeSns } from './sns-outage';
import type { SnsInfo } from './sns';

export interface OwnInfraOptions {
  /** Runtime folder (data, pid files, logs); wiped by `reset()`. */
  dir: string;
  pgPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  motoPort: number;
}

export type OwnServer = 'postgres' | 'kafka' | 'moto';

export class OwnInfra {
  constructor(readonly options: OwnInfraOptions) {}

  /** What the scripts need to find this set instead of the shared one. */
  env(): NodeJS.ProcessEnv {
    const o = this.options;
    return {
      ...process.env,
      PRIVATELINK_INFRA_DIR: o.dir,
      PG_PORT: String(o.pgPort),
      KAFKA_PORT: String(o.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(o.kafkaControllerPort),
      MOTO_PORT: String(o.motoPort),
    };
  }

  /** Starts one server (idempotent) and returns what its script prints: URL, broker address or endpoint. */
  start(server: OwnServer): Promise<string> {
    return infraScriptWith(this.env(), server, 'start');
  }

  async stop(server: OwnServer): Promise<void> {
    await infraScriptWith(this.env(), server, 'stop');
  }

  /**
   * Stops whatever a previous run left in the folder and deletes it, so every run starts from clean state
   * (a Kafka data folder from an earlier run with other ports keeps the broker from starting).
   */
  async reset(): Promise<void> {
    await Promise.allSettled((['kafka', 'moto', 'postgres'] as const).map((s) => this.stop(s)));
    await rm(this.options.dir, { recursive: true, force: true });
  }

  /** moto's SNS/SQS endpoint of this set, with the credentials the helpers use. */
  sns(region = 'us-east-1'): SnsInfo {
    return { endpoint: `http://127.0.0.1:${this.options.motoPort}`, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  }

  /** SNS unreachable (SIGSTOP of this set's moto; its topics and queues stay), and back. */
  pauseSns(): void {
    pauseSns(this.options.dir);
  }

  resumeSns(): void {
    resumeSns(this.options.dir);
  }
}
