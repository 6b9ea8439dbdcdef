import { parseLoadBalancerArn, parseSnsTopicArn } from './arn';
import { caught } from './spec-support';

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb-vpce/e94221227f1ba532';
const GWLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/my-gwlb/0123456789abcdef';

describe('load balancer ARNs', () => {
  it('a Network Load Balancer ARN parses into its parts', () => {
    expect(parseLoadBalancerArn(NLB)).toEqual({
      arn: NLB,
      partition: 'aws',
      region: 'us-east-1',
      accountId: '123456789012',
      type: 'network',
      name: 'nlb-vpce',
      id: 'e94221227f1ba532',
    });
  });

  it('a Gateway Load Balancer ARN parses as gateway', () => {
    expect(parseLoadBalancerArn(GWLB)).toMatchObject({ type: 'gateway', region: 'eu-west-1', name: 'my-gwlb' });
  });

  it('other partitions are accepted', () => {
    expect(parseLoadBalancerArn(NLB.replace('arn:aws:', 'arn:aws-us-gov:').replace('us-east-1', 'us-gov-west-1'))).toMatchObject({
      partition: 'aws-us-gov',
    });
  });

  it('an Application Load Balancer ARN is refused with a message saying why', () => {
    const error = caught(() => parseLoadBalancerArn(NLB.replace('/net/', '/app/'), 'networkLoadBalancerArns[0]'));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'networkLoadBalancerArns[0]' });
    expect(error.message).toMatch(/Application Load Balancer/);
  });

  it('a target group ARN is not a load balancer ARN', () => {
    const error = caught(() => parseLoadBalancerArn('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef'));
    expect(error.message).toMatch(/not a load balancer ARN/);
  });

  it.each([
    ['not an ARN', 'nlb-vpce'],
    ['another service', NLB.replace('elasticloadbalancing', 'ec2')],
    ['a bad Region', NLB.replace('us-east-1', 'US-EAST-1')],
    ['an 11-digit account', NLB.replace('123456789012', '12345678901')],
    ['a missing id', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb-vpce'],
    ['a short id', NLB.replace('e94221227f1ba532', 'e94221227f1ba53')],
    ['a name ending in a hyphen', NLB.replace('nlb-vpce', 'nlb-')],
    ['a name of 33 characters', NLB.replace('nlb-vpce', 'a'.repeat(33))],
    ['an unknown partition', NLB.replace('arn:aws:', 'arn:gcp:')],
    ['an empty value', ''],
  ])('an ARN with %s is refused', (_why, arn) => {
    expect(caught(() => parseLoadBalancerArn(arn))).toMatchObject({ code: 'InvalidParameterValue', field: 'loadBalancerArn' });
  });

  it('a non-string is refused', () => {
    expect(caught(() => parseLoadBalancerArn(42))).toMatchObject({ code: 'InvalidParameterValue' });
  });
});

describe('SNS topic ARNs', () => {
  it('a topic ARN parses', () => {
    expect(parseSnsTopicArn('arn:aws:sns:us-east-2:123456789012:VpceNotification')).toEqual({
      arn: 'arn:aws:sns:us-east-2:123456789012:VpceNotification',
      partition: 'aws',
      region: 'us-east-2',
      accountId: '123456789012',
      topicName: 'VpceNotification',
      fifo: false,
    });
  });

  it('a FIFO topic is recognised', () => {
    expect(parseSnsTopicArn('arn:aws:sns:us-east-2:123456789012:orders.fifo').fifo).toBe(true);
  });

  it('a topic name of 256 characters is accepted, 257 refused', () => {
    expect(parseSnsTopicArn(`arn:aws:sns:us-east-2:123456789012:${'t'.repeat(256)}`).topicName).toHaveLength(256);
    expect(caught(() => parseSnsTopicArn(`arn:aws:sns:us-east-2:123456789012:${'t'.repeat(257)}`))).toMatchObject({
      field: 'connectionNotificationArn',
    });
  });

  it.each([
    ['a dot in the name', 'arn:aws:sns:us-east-2:123456789012:my.topic'],
    ['a subscription ARN', 'arn:aws:sns:us-east-2:123456789012:topic:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55'],
    ['another service', 'arn:aws:sqs:us-east-2:123456789012:queue'],
    ['no account', 'arn:aws:sns:us-east-2::topic'],
    ['no topic', 'arn:aws:sns:us-east-2:123456789012:'],
  ])('a topic ARN with %s is refused', (_why, arn) => {
    expect(caught(() => parseSnsTopicArn(arn))).toMatchObject({ code: 'InvalidParameterValue' });
  });
});
