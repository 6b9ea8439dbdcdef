import { deserializeInput, ec2Model, elbv2Model, modelOf, readWireCall, wireParameters, WireCallError, WireError } from './index';
import type { Ec2, Elbv2 } from './index';

const form = (text: string) => wireParameters('', text);

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    const e = error instanceof WireCallError ? (error.cause as WireError) : (error as WireError);
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('EC2 query deserializer', () => {
  it('reads flattened lists under their locationName, booleans and tag specifications', () => {
    const input = deserializeInput<Ec2.CreateVpcEndpointServiceConfigurationRequest>(
      ec2Model,
      'CreateVpcEndpointServiceConfiguration',
      form(
        'Action=CreateVpcEndpointServiceConfiguration&Version=2016-11-15&AcceptanceRequired=true' +
          '&NetworkLoadBalancerArn.1=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A111122223333%3Aloadbalancer%2Fnet%2Fa%2F1' +
          '&NetworkLoadBalancerArn.2=arn%3Ab&PrivateDnsName=api.example.test&ClientToken=tok-1' +
          '&TagSpecification.1.ResourceType=vpc-endpoint-service&TagSpecification.1.Tag.1.Key=team&TagSpecification.1.Tag.1.Value=blue' +
          '&TagSpecification.1.Tag.2.Key=env&TagSpecification.1.Tag.2.Value=',
      ),
    );
    expect(input).toEqual({
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/a/1', 'arn:b'],
      PrivateDnsName: 'api.example.test',
      ClientToken: 'tok-1',
      TagSpecifications: [
        {
          ResourceType: 'vpc-endpoint-service',
          Tags: [
            { Key: 'team', Value: 'blue' },
            { Key: 'env', Value: '' },
          ],
        },
      ],
    });
  });

  it('orders list items by their index, not by their order in the body', () => {
    const input = deserializeInput<Ec2.AcceptVpcEndpointConnectionsRequest>(
      ec2Model,
      'AcceptVpcEndpointConnections',
      form('ServiceId=vpce-svc-1&VpcEndpointId.10=vpce-c&VpcEndpointId.2=vpce-b&VpcEndpointId.1=vpce-a'),
    );
    expect(input.VpcEndpointIds).toEqual(['vpce-a', 'vpce-b', 'vpce-c']);
  });

  it('reads Filter.N.Name / Filter.N.Value.M, integers and the next token', () => {
    const input = deserializeInput<Ec2.DescribeVpcEndpointConnectionsRequest>(
      ec2Model,
      'DescribeVpcEndpointConnections',
      wireParameters(
        'Action=DescribeVpcEndpointConnections&Version=2016-11-15&MaxResults=5&NextToken=abc',
        'Filter.1.Name=service-id&Filter.1.Value.1=vpce-svc-1&Filter.1.Value.2=vpce-svc-2&Filter.2.Name=vpc-endpoint-state&Filter.2.Value.1=pendingAcceptance',
      ),
    );
    expect(input).toEqual({
      MaxResults: 5,
      NextToken: 'abc',
      Filters: [
        { Name: 'service-id', Values: ['vpce-svc-1', 'vpce-svc-2'] },
        { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
      ],
    });
  });

  it('names members by locationName with the first letter upper-cased (DescribeTags dryRun → DryRun, Filter)', () => {
    const input = deserializeInput<Ec2.DescribeTagsRequest>(
      ec2Model,
      'DescribeTags',
      form('DryRun=false&Filter.1.Name=resource-id&Filter.1.Value.1=vpce-1'),
    );
    expect(input).toEqual({ DryRun: false, Filters: [{ Name: 'resource-id', Values: ['vpce-1'] }] });
  });

  it('refuses a missing required member with MissingParameter naming it', () => {
    expect(refusal(() => deserializeInput(ec2Model, 'CreateVpcEndpoint', form('ServiceName=x')))).toEqual({
      code: 'MissingParameter',
      message: 'The request must contain the parameter VpcId',
    });
    expect(refusal(() => deserializeInput(ec2Model, 'CreateTags', form('ResourceId.1=vpce-1')))).toMatchObject({
      code: 'MissingParameter',
      message: expect.stringContaining('Tag'),
    });
  });

  it('refuses malformed values with InvalidParameterValue naming the parameter', () => {
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('MaxResults=ten')))).toEqual({
      code: 'InvalidParameterValue',
      message: 'Value (ten) for parameter MaxResults is invalid. It must be an integer',
    });
    expect(
      refusal(() => deserializeInput(ec2Model, 'CreateVpcEndpointServiceConfiguration', form('AcceptanceRequired=yes'))),
    ).toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('parameter AcceptanceRequired'),
    });
    expect(refusal(() => deserializeInput(ec2Model, 'CreateVpcEndpoint', form('VpcId=vpc-1&VpcEndpointType=Bridge')))).toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('parameter VpcEndpointType is invalid. It must be one of: Interface, Gateway,'),
    });
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('MaxResults=99999999999')))).toMatchObject({
      code: 'InvalidParameterValue',
    });
    expect(
      refusal(() => deserializeInput(ec2Model, 'AcceptVpcEndpointConnections', form('ServiceId=s&VpcEndpointId=vpce-1'))),
    ).toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('parameter VpcEndpointId is invalid. It is a list'),
    });
  });

  it('refuses a parameter the model does not have with UnknownParameter', () => {
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('Colour=blue')))).toEqual({
      code: 'UnknownParameter',
      message: 'The parameter Colour is not recognized',
    });
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('Filter.1.Colour=x')))).toMatchObject({
      code: 'UnknownParameter',
      message: expect.stringContaining('Filter.1.Colour'),
    });
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('VpcEndpointId.first=x')))).toMatchObject({
      code: 'UnknownParameter',
      message: expect.stringContaining('VpcEndpointId.first'),
    });
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('VpcEndpointId.0=x')))).toMatchObject({
      code: 'UnknownParameter',
    });
  });

  it('reads an enum value whatever its case, as the model spells it', () => {
    expect(deserializeInput(ec2Model, 'CreateVpcEndpoint', form('VpcId=vpc-1&VpcEndpointType=interface'))).toEqual({
      VpcId: 'vpc-1',
      VpcEndpointType: 'Interface',
    });
  });

  it('refuses a parameter given twice', () => {
    expect(refusal(() => deserializeInput(ec2Model, 'DescribeVpcEndpoints', form('MaxResults=5&MaxResults=6')))).toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});

describe('ELBv2 (query protocol) deserializer', () => {
  it('reads member.N lists and structures in them', () => {
    const input = deserializeInput<Elbv2.CreateLoadBalancerInput>(
      elbv2Model,
      'CreateLoadBalancer',
      form(
        'Name=web&Type=network&Scheme=internal&SubnetMappings.member.1.SubnetId=subnet-1&SubnetMappings.member.2.SubnetId=subnet-2&Tags.member.1.Key=team&Tags.member.1.Value=blue',
      ),
    );
    expect(input).toEqual({
      Name: 'web',
      Type: 'network',
      Scheme: 'internal',
      SubnetMappings: [{ SubnetId: 'subnet-1' }, { SubnetId: 'subnet-2' }],
      Tags: [{ Key: 'team', Value: 'blue' }],
    });
  });

  it('reads an empty list sent as `Name=`', () => {
    expect(deserializeInput<Elbv2.DescribeLoadBalancersInput>(elbv2Model, 'DescribeLoadBalancers', form('Names=&PageSize=10'))).toEqual({
      Names: [],
      PageSize: 10,
    });
  });

  it('refuses EC2-style flattened lists and missing required members', () => {
    expect(refusal(() => deserializeInput(elbv2Model, 'RemoveTags', form('ResourceArns.1=arn:x&TagKeys.member.1=k')))).toMatchObject({
      code: 'UnknownParameter',
      message: expect.stringContaining('ResourceArns.1'),
    });
    expect(refusal(() => deserializeInput(elbv2Model, 'DeleteLoadBalancer', form('')))).toEqual({
      code: 'MissingParameter',
      message: 'The request must contain the parameter LoadBalancerArn',
    });
  });
});

describe('reading a call', () => {
  it('picks the model by Version and reads the action', () => {
    const params = form('Action=DescribeVpcEndpoints&Version=2016-11-15&VpcEndpointId.1=vpce-1');
    const call = readWireCall(modelOf(params), params);
    expect(call).toMatchObject({ action: 'DescribeVpcEndpoints', input: { VpcEndpointIds: ['vpce-1'] } });
    expect(call.model).toBe(ec2Model);
    const elb = form('Action=DescribeLoadBalancers&Version=2015-12-01');
    expect(modelOf(elb)).toBe(elbv2Model);
  });

  it('refuses an unknown action with InvalidAction, a missing one with MissingParameter', () => {
    const params = form('Action=LaunchRockets&Version=2016-11-15');
    expect(refusal(() => readWireCall(modelOf(params), params))).toMatchObject({
      code: 'InvalidAction',
      message: expect.stringContaining('LaunchRockets'),
    });
    const none = form('Version=2016-11-15');
    expect(refusal(() => readWireCall(modelOf(none), none))).toEqual({
      code: 'MissingParameter',
      message: 'The request must contain the parameter Action',
    });
    // An EC2 action under the ELBv2 version is not an action of that service.
    const crossed = form('Action=DescribeVpcs&Version=2015-12-01');
    expect(refusal(() => readWireCall(modelOf(crossed), crossed))).toMatchObject({ code: 'InvalidAction' });
  });

  it('refuses an unsupported Version with InvalidParameterValue, in the shape of the signed service', () => {
    const params = form('Action=DescribeVpcs&Version=2014-01-01');
    expect(refusal(() => modelOf(params))).toMatchObject({
      code: 'InvalidParameterValue',
      message: expect.stringContaining('parameter Version'),
    });
    try {
      modelOf(params, 'elasticloadbalancing');
    } catch (error) {
      expect((error as WireCallError).model).toBe(elbv2Model);
    }
    expect(refusal(() => modelOf(form('Action=DescribeVpcs')))).toEqual({
      code: 'MissingParameter',
      message: 'The request must contain the parameter Version',
    });
  });
});
