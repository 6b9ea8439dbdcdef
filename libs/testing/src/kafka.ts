// Kafka for integration tests: PRIVATELINK_TEST_KAFKA_BROKERS, else testcontainers (Docker engine
// present), else scripts/infra/kafka.sh (Apache Kafka 3.9 broker jars, KRaft, 127.0.0.1:59092).
import { infraScript, useContainers } from './infra';

export interface KafkaInfo {
  /** Bootstrap addresses, e.g. ['127.0.0.1:59092'], for kafkajs `new Kafka({ brokers })`. */
  brokers: string[];
}

const KAFKA_IMAGE = process.env.PRIVATELINK_TEST_KAFKA_IMAGE ?? 'apache/kafka:3.9.1';

/**
 * Makes sure a single-node Kafka broker runs and answers (topics auto-create with 4 partitions;
 * consumer groups work at once) and returns its bootstrap addresses. Idempotent.
 */
export async function startKafka(): Promise<KafkaInfo> {
  const fromEnv = process.env.PRIVATELINK_TEST_KAFKA_BROKERS;
  if (fromEnv)
    return {
      brokers: fromEnv
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    };
  if (await useContainers()) return { brokers: [await startKafkaContainer()] };
  const broker = await infraScript('kafka', 'start');
  if (!/^[\w.-]+:\d+$/.test(broker)) throw new Error(`kafka.sh start printed no address: ${broker}`);
  return { brokers: [broker] };
}

async function startKafkaContainer(): Promise<string> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  // The broker must advertise an address the host can reach, so the host port is fixed
  // (KAFKA_PORT, default 59092) rather than random: reuse then finds the same container again.
  const port = Number(process.env.KAFKA_PORT ?? 59092);
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '4',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_NUM_PARTITIONS: '4',
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
    })
    .withExposedPorts({ container: 9092, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .withReuse()
    .start();
  return `${container.getHost()}:${port}`;
}
