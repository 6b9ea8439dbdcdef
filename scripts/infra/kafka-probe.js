// scripts/infra/kafka-probe.js: readiness probe used by kafka.sh when kafkajs is in node_modules.
// Exits 0 once the broker at $KAFKA_BROKER answers metadata, has a leader for a probe topic, and
// its group coordinator answers (which creates __consumer_offsets, so the first consumer group of
// a test joins at once). Exits 1 on any failure; kafka.sh retries until its deadline.
'use strict';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { Kafka, logLevel } = require(process.env.KAFKAJS_PATH || 'kafkajs');

const broker = process.env.KAFKA_BROKER || '127.0.0.1:59092';
const topic = 'privatelink-infra-ready';

async function main() {
  const kafka = new Kafka({
    clientId: 'infra-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 3, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const p = meta.topics[0].partitions[0];
    if (!p || p.leader < 0) throw new Error('no leader yet');
    await admin.describeGroups(['privatelink-infra-ready']);
  } finally {
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    if (process.env.KAFKA_PROBE_VERBOSE) console.error(String(err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
