import { ec2Model, elbv2Model, serializeOutput, wireFailure, wireStatusFor } from './index';
import type { Ec2, Elbv2 } from './index';

describe('EC2 response serializer', () => {
  it('writes members under their locationName, lists as item elements, with the namespace and requestId', () => {
    const output: Ec2.CreateVpcEndpointServiceConfigurationResult = {
      ClientToken: 'tok-1',
      ServiceConfiguration: {
        ServiceId: 'vpce-svc-0123456789abcdef0',
        ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
        ServiceType: [{ ServiceType: 'Interface' }],
        ServiceState: 'Available',
        AcceptanceRequired: true,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        NetworkLoadBalancerArns: [],
        Tags: [{ Key: 'team', Value: 'a<b & "c"' }],
      },
    };
    expect(serializeOutput(ec2Model, 'CreateVpcEndpointServiceConfiguration', output, 'req-1')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<CreateVpcEndpointServiceConfigurationResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>' +
        '<clientToken>tok-1</clientToken><serviceConfiguration>' +
        '<serviceId>vpce-svc-0123456789abcdef0</serviceId><serviceName>com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0</serviceName>' +
        '<serviceType><item><serviceType>Interface</serviceType></item></serviceType><serviceState>Available</serviceState>' +
        '<acceptanceRequired>true</acceptanceRequired><availabilityZoneSet><item>us-east-1a</item><item>us-east-1b</item></availabilityZoneSet>' +
        '<networkLoadBalancerArnSet/><tagSet><item><key>team</key><value>a&lt;b &amp; &quot;c&quot;</value></item></tagSet>' +
        '</serviceConfiguration></CreateVpcEndpointServiceConfigurationResponse>',
    );
  });

  it('writes timestamps as ISO 8601, integers, and skips undefined members', () => {
    const xml = serializeOutput(
      ec2Model,
      'DescribeVpcEndpointConnections',
      {
        VpcEndpointConnections: [
          {
            VpcEndpointId: 'vpce-1',
            CreationTimestamp: new Date(Date.UTC(2026, 11, 3, 17, 0, 0)),
            VpcEndpointState: 'pendingAcceptance',
            ServiceId: undefined,
          },
        ],
        NextToken: undefined,
      } satisfies Ec2.DescribeVpcEndpointConnectionsResult,
      'r',
    );
    expect(xml).toContain(
      '<vpcEndpointConnectionSet><item><vpcEndpointId>vpce-1</vpcEndpointId><creationTimestamp>2026-12-03T17:00:00.000Z</creationTimestamp>' +
        '<vpcEndpointState>pendingAcceptance</vpcEndpointState></item></vpcEndpointConnectionSet>',
    );
    expect(xml).not.toContain('nextToken');
  });

  it('answers <return>true</return> for an action without output (DeleteVpc)', () => {
    expect(serializeOutput(ec2Model, 'DeleteVpc', undefined, 'r')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><return>true</return></DeleteVpcResponse>',
    );
  });

  it('throws on a member the model does not have or a value of the wrong type (a programming error)', () => {
    expect(() => serializeOutput(ec2Model, 'DescribeVpcs', { Vpcs: [{ VpcId: 'vpc-1', Colour: 'blue' }] }, 'r')).toThrow(
      'shape Vpc has no member Colour',
    );
    expect(() => serializeOutput(ec2Model, 'DescribeVpcs', { Vpcs: [{ VpcId: 7 }] }, 'r')).toThrow('Vpcs[0].VpcId: expected a string');
    expect(() => serializeOutput(ec2Model, 'DescribeVpcs', { Vpcs: [{ State: 'sleeping' }] }, 'r')).toThrow('is not one of');
    expect(() => serializeOutput(ec2Model, 'DescribeVpcs', { Vpcs: { VpcId: 'x' } }, 'r')).toThrow('expected an array');
  });
});

describe('ELBv2 response serializer', () => {
  it('wraps the members in <XxxResult> and the request id in <ResponseMetadata>, lists as member elements', () => {
    const output: Elbv2.DescribeLoadBalancersOutput = {
      LoadBalancers: [
        {
          LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/web/1',
          LoadBalancerName: 'web',
          Type: 'network',
          State: { Code: 'active' },
          AvailabilityZones: [{ ZoneName: 'us-east-1a', SubnetId: 'subnet-1' }],
          CreatedTime: new Date(Date.UTC(2026, 0, 1)),
        },
      ],
    };
    expect(serializeOutput(elbv2Model, 'DescribeLoadBalancers', output, 'req-2')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeLoadBalancersResult>' +
        '<LoadBalancers><member><LoadBalancerArn>arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/web/1</LoadBalancerArn>' +
        '<LoadBalancerName>web</LoadBalancerName><Type>network</Type><State><Code>active</Code></State>' +
        '<AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-1</SubnetId></member></AvailabilityZones>' +
        '<CreatedTime>2026-01-01T00:00:00.000Z</CreatedTime></member></LoadBalancers>' +
        '</DescribeLoadBalancersResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>',
    );
  });

  it('writes an empty result element for an empty output (AddTags)', () => {
    expect(serializeOutput(elbv2Model, 'AddTags', {}, 'r')).toContain('<AddTagsResult/><ResponseMetadata>');
  });
});

describe('error documents', () => {
  it('EC2: <Response><Errors><Error> with RequestID and EC2 statuses', () => {
    const answer = wireFailure(ec2Model, 'InvalidVpcEndpointServiceId.NotFound', 'The service vpce-svc-1 does not exist', 'req-3');
    expect(answer).toEqual({
      status: 400,
      contentType: 'text/xml;charset=UTF-8',
      body:
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcEndpointServiceId.NotFound</Code>' +
        '<Message>The service vpce-svc-1 does not exist</Message></Error></Errors><RequestID>req-3</RequestID></Response>',
    });
  });

  it('ELBv2: <ErrorResponse> with Type Sender / Receiver', () => {
    expect(wireFailure(elbv2Model, 'LoadBalancerNotFound', 'no <such> load balancer', 'req-4').body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type>' +
        '<Code>LoadBalancerNotFound</Code><Message>no &lt;such&gt; load balancer</Message></Error><RequestId>req-4</RequestId></ErrorResponse>',
    );
    expect(wireFailure(elbv2Model, 'InternalError', 'x', 'r').body).toContain('<Type>Receiver</Type>');
  });

  it('maps codes to the statuses EC2 answers', () => {
    expect(
      Object.fromEntries(
        [
          'AuthFailure',
          'SignatureDoesNotMatch',
          'UnauthorizedOperation',
          'DryRunOperation',
          'RequestExpired',
          'IncorrectState',
          'InvalidVpcEndpointId.NotFound',
          'InternalError',
          'ServiceUnavailable',
        ].map((c) => [c, wireStatusFor(c)]),
      ),
    ).toEqual({
      AuthFailure: 401,
      SignatureDoesNotMatch: 403,
      UnauthorizedOperation: 403,
      DryRunOperation: 412,
      RequestExpired: 400,
      IncorrectState: 400,
      'InvalidVpcEndpointId.NotFound': 400,
      InternalError: 500,
      ServiceUnavailable: 503,
    });
    expect(wireStatusFor('InvalidParameterValue', 413)).toBe(413);
  });
});
