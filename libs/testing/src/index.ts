// @privatelink/testing: real servers for integration tests (never mocks), see DESIGN.md section 8.
//
//   const { url } = await startPostgres();          // postgres://privatelink:privatelink@127.0.0.1:55432/privatelink
//   const dbUrl = await freshDatabase(url, 'eventstore'); // an empty database of this test file's own
//   const { brokers } = await startKafka();          // ['127.0.0.1:59092']
//   const sns = await startSns();                    // { endpoint: 'http://127.0.0.1:54566', region, credentials }
//   const dns = await startDns();                    // Knot on 127.0.0.1:55353, zone example.test.
//   await dns.setTxt('_privatelink.svc.example.test', ['token']);
//
// Each start* is idempotent: it runs scripts/infra/<service>.sh start, which returns at once when
// the server already runs (call them in beforeAll with a generous timeout: the very first start on
// a fresh machine installs packages). Overrides: PRIVATELINK_TEST_PG_URL, PRIVATELINK_TEST_KAFKA_BROKERS,
// PRIVATELINK_TEST_SNS_ENDPOINT use a server you run yourself; PRIVATELINK_TEST_INFRA=scripts|containers
// forces the scripts or testcontainers for Postgres and Kafka (default: testcontainers only when
// `docker info` answers). OwnInfra starts a set of servers of one's own (other ports and runtime folder)
// that a fault test may stop, restart and pause.
export { startPostgres, freshDatabase, dropDatabase } from './postgres';
export type { PostgresInfo } from './postgres';
export { startKafka } from './kafka';
export type { KafkaInfo } from './kafka';
export { startSns, snsEnv, awsCli, TopicWithQueue } from './sns';
export type { SnsInfo } from './sns';
export { startDns } from './dns';
export type { DnsServer } from './dns';
export { pgQuery, withDatabase, quoteIdent } from './pg';
export { repoRoot, useContainers } from './infra';
export { OwnInfra } from './own-infra';
export type { OwnInfraOptions, OwnServer } from './own-infra';
export { startTestHost, demoKeys, uniqueNamespace } from './test-host';
export type { TestHostOptions } from './test-host';
export { freshScope } from './scope';
export { readThrough } from './read-through';
export type { TestHost, TestScope } from './scope';
export { stopKafka } from './kafka-outage';
export { pauseSns, resumeSns } from './sns-outage';
export { eventually, until } from './eventually';
export { clientAs } from './http';
export type { HttpClient } from './http';
export { chromiumPath } from './browser';
export { startPrometheus, checkPrometheusRules } from './prometheus';
export type { PrometheusInstance } from './prometheus';
export { botocoreModel, checkAgainstModel, parseXml, parseWireError } from './aws-wire-contract';
export type { BotocoreModel, ContractReport, XmlElement } from './aws-wire-contract';
