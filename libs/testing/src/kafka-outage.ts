import { infraScript, useContainers } from './infra';

/**
 * Stops the local Kafka broker for an outage test (scripts/infra/kafka.sh); `startKafka()` brings it back
 * with its data. An external broker (PRIVATELINK_TEST_KAFKA_BROKERS) or a container cannot be stopped from here.
 */
export async function stopKafka(): Promise<void> {
  if (process.env.PRIVATELINK_TEST_KAFKA_BROKERS || (await useContainers())) {
    throw new Error('stopKafka needs the broker started by scripts/infra/kafka.sh (unset PRIVATELINK_TEST_KAFKA_BROKERS)');
  }
  await infraScript('kafka', 'stop');
}
