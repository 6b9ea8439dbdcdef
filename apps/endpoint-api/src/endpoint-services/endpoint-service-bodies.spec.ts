import { DomainError } from '@privatelink/domain';
import { parseBody } from '../http/validation';
import { createEndpointServiceBody } from './create/create-endpoint-service.schema';
import { modifyEndpointServiceBody } from './modify/modify-endpoint-service.schema';

// The form of an endpoint service request is checked here, at the edge; the domain takes typed commands
// and checks the guide's rules (moved from the domain's specs with the parsing).
function refusal(schema: Parameters<typeof parseBody>[0], body: unknown): DomainError {
  try {
    parseBody(schema, body);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

const create = { networkLoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/e94221227f1ba532'] };

describe('endpoint service request bodies', () => {
  it('acceptanceRequired must be a boolean', () => {
    expect(refusal(createEndpointServiceBody, { ...create, acceptanceRequired: 'yes' })).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'acceptanceRequired',
    });
    expect(refusal(modifyEndpointServiceBody, { acceptanceRequired: 'yes' })).toMatchObject({ field: 'acceptanceRequired' });
  });

  it('an unknown or empty list of IP address types is refused', () => {
    expect(refusal(createEndpointServiceBody, { ...create, supportedIpAddressTypes: ['ipv5'] })).toMatchObject({
      field: 'supportedIpAddressTypes[0]',
    });
    expect(refusal(createEndpointServiceBody, { ...create, supportedIpAddressTypes: [] })).toMatchObject({
      field: 'supportedIpAddressTypes',
    });
    expect(refusal(modifyEndpointServiceBody, { addSupportedIpAddressTypes: ['ipv5'] })).toMatchObject({
      field: 'addSupportedIpAddressTypes[0]',
    });
  });

  it('a well-formed body passes', () => {
    expect(parseBody(createEndpointServiceBody, { ...create, acceptanceRequired: false, supportedIpAddressTypes: ['ipv4'] })).toMatchObject(
      {
        acceptanceRequired: false,
      },
    );
  });
});
