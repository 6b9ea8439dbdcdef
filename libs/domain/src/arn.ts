// Load balancer ARNs (Network and Gateway only: an endpoint service is backed by one of those) and
// SNS topic ARNs (targets of connection notifications).
import { isRegion } from './availability-zones';
import { accepts, invalid } from './errors';

export type LoadBalancerType = 'network' | 'gateway';

export interface LoadBalancerArn {
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  type: LoadBalancerType;
  name: string;
  id: string;
}

export interface SnsTopicArn {
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  topicName: string;
  fifo: boolean;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const ACCOUNT = /^\d{12}$/;
// "up to 32 alphanumeric characters or hyphens, must not begin or end with a hyphen"
const LB_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const LB_ID = /^[0-9a-f]{16}$/;
const TOPIC = /^[A-Za-z0-9_-]+(\.fifo)?$/;
const KIND_TO_TYPE: Record<string, LoadBalancerType> = { net: 'network', gwy: 'gateway' };

export const LOAD_BALANCER_ARN_EXAMPLE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/my-nlb/e94221227f1ba532';

/** Splits `arn:partition:service:region:account:resource`; the resource may contain ':' or '/'. */
function arnParts(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Parses a Network (`loadbalancer/net/<name>/<id>`) or Gateway (`loadbalancer/gwy/<name>/<id>`)
 * Load Balancer ARN. Application Load Balancers are refused: an endpoint service needs a Network or
 * Gateway Load Balancer (an ALB can only sit behind an NLB as its target).
 */
export function parseLoadBalancerArn(value: unknown, field = 'loadBalancerArn'): LoadBalancerArn {
  const bad = (why: string) => invalid(field, `${field}: '${String(value)}' ${why}`);
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, `${field}: a load balancer ARN is required`);
  const parts = arnParts(value);
  if (!parts) throw bad(`is not an ARN (expected a form like ${LOAD_BALANCER_ARN_EXAMPLE})`);
  const [, partition, service, region, accountId, resource] = parts;
  if (!PARTITION.test(partition)) throw bad(`has an unknown partition '${partition}'`);
  if (service !== 'elasticloadbalancing') throw bad('is not an Elastic Load Balancing ARN');
  if (!isRegion(region)) throw bad(`has an invalid Region '${region}'`);
  if (!ACCOUNT.test(accountId)) throw bad('must contain a 12-digit account id');
  const segments = resource.split('/');
  if (segments[0] !== 'loadbalancer') throw bad('is not a load balancer ARN (a target group or listener ARN was given?)');
  if (segments[1] === 'app') {
    throw bad('is an Application Load Balancer; an endpoint service needs a Network Load Balancer or a Gateway Load Balancer');
  }
  const type = KIND_TO_TYPE[segments[1] ?? ''];
  if (!type || segments.length !== 4) throw bad('must end in loadbalancer/net/<name>/<id> or loadbalancer/gwy/<name>/<id>');
  const [, , name, id] = segments;
  if (!LB_NAME.test(name)) throw bad(`has an invalid load balancer name '${name}'`);
  if (!LB_ID.test(id)) throw bad(`has an invalid load balancer id '${id}' (16 hex characters expected)`);
  return { arn: value, partition, region, accountId, type, name, id };
}

export function isLoadBalancerArn(value: unknown): boolean {
  return accepts(parseLoadBalancerArn, value);
}

/** `arn:<partition>:sns:<region>:<12 digits>:<topic>`: topic 1–256 of [A-Za-z0-9_-], `.fifo` allowed at the end. */
export function parseSnsTopicArn(value: unknown, field = 'connectionNotificationArn'): SnsTopicArn {
  const bad = (why: string) => invalid(field, `${field}: '${String(value)}' ${why}`);
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, `${field}: an SNS topic ARN is required`);
  const parts = arnParts(value);
  if (!parts) throw bad('is not an ARN (expected a form like arn:aws:sns:us-east-1:123456789012:my-topic)');
  const [, partition, service, region, accountId, topicName] = parts;
  if (!PARTITION.test(partition)) throw bad(`has an unknown partition '${partition}'`);
  if (service !== 'sns') throw bad('is not an SNS topic ARN');
  if (!isRegion(region)) throw bad(`has an invalid Region '${region}'`);
  if (!ACCOUNT.test(accountId)) throw bad('must contain a 12-digit account id');
  if (topicName.length < 1 || topicName.length > 256 || !TOPIC.test(topicName)) {
    throw bad('has an invalid topic name (1 to 256 letters, digits, hyphens or underscores, optionally ending in .fifo)');
  }
  return { arn: value, partition, region, accountId, topicName, fifo: topicName.endsWith('.fifo') };
}
