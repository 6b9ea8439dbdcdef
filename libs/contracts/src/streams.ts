/**
 * Stream ids are `<family>-<aggregate id>`; the family names the Kafka topic the stream's events go to,
 * and the aggregate id is the Kafka key, so one aggregate's events stay ordered on one partition.
 */
export const streamFamilies = {
  loadBalancer: 'load-balancer',
  endpointService: 'endpoint-service',
  endpointConnection: 'endpoint-connection',
  privateDnsVerification: 'private-dns-verification',
  connectionNotification: 'connection-notification',
  notificationDelivery: 'notification-delivery',
  quotaLedger: 'quota-ledger',
  quotaIncreaseRequest: 'quota-increase-request',
  // The network inventory: one stream per VPC, subnet and security group (`network-vpc-…`, `network-subnet-…`, `network-sg-…`).
  network: 'network',
} as const;

export type StreamFamily = (typeof streamFamilies)[keyof typeof streamFamilies];

const TOPIC_PREFIX = 'privatelink';

export function streamIdFor(family: StreamFamily, aggregateId: string): string {
  return `${family}-${aggregateId}`;
}

/** Splits `endpoint-service-vpce-svc-0123...` into its family and aggregate id. */
export function parseStreamId(streamId: string): { family: StreamFamily; aggregateId: string } {
  for (const family of Object.values(streamFamilies)) {
    if (streamId.startsWith(`${family}-`)) return { family, aggregateId: streamId.slice(family.length + 1) };
  }
  throw new Error(`stream id ${streamId} names no known stream family`);
}

export function eventTopicFor(family: StreamFamily): string {
  return `${TOPIC_PREFIX}.${family}.events`;
}

export function commandTopicFor(service: string): string {
  return `${TOPIC_PREFIX}.${service}.commands`;
}

export function deadLetterTopicFor(topic: string): string {
  return `${topic}.dead-letter`;
}

export const allEventTopics: string[] = Object.values(streamFamilies).map(eventTopicFor);

/** Where owners answer forwarded commands; every edge instance reads all of it (a group of its own). */
export const commandOutcomeTopic = `${TOPIC_PREFIX}.command-outcomes`;
