import { validateEndpointChanges } from '.';
import { caught } from '../spec-support';

/** The rules of a ModifyVpcEndpoint change that need no state: the edge checks them before queueing the change. */
describe('an endpoint change checked without its endpoint', () => {
  it('well-formed changes pass', () => {
    expect(() =>
      validateEndpointChanges({
        addSubnets: [{ subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' }],
        removeSubnetIds: ['subnet-cdcdcdcd'],
        addSecurityGroupIds: ['sg-12345678'],
        privateDnsEnabled: true,
        policyDocument: '{"Statement":[{"Principal":"*","Effect":"Allow","Action":"*","Resource":"*"}]}',
        addTags: [{ key: 'team', value: 'a' }],
        removeTagKeys: ['old'],
      }),
    ).not.toThrow();
    expect(() => validateEndpointChanges({})).not.toThrow();
  });

  it('a malformed subnet or security group id is refused naming it', () => {
    expect(
      caught(() => validateEndpointChanges({ addSubnets: [{ subnetId: 'subnet-zz', availabilityZoneId: 'use1-az1' }] })),
    ).toMatchObject({ field: 'addSubnets[0].subnetId' });
    expect(caught(() => validateEndpointChanges({ addSubnets: [{ subnetId: 'subnet-abababab' }] }))).toMatchObject({
      code: 'MissingParameter',
      field: 'addSubnets[0].availabilityZoneId',
    });
    expect(caught(() => validateEndpointChanges({ removeSecurityGroupIds: ['sg-1', 'sg-1'] }))).toMatchObject({
      field: 'removeSecurityGroupIds[0]',
    });
    expect(caught(() => validateEndpointChanges({ removeSubnetIds: [''] }))).toMatchObject({ field: 'removeSubnetIds[0]' });
  });

  it('a policy without a Principal, or set and reset at once, is refused', () => {
    expect(caught(() => validateEndpointChanges({ policyDocument: '{"Statement":[{"Effect":"Allow"}]}' }))).toMatchObject({
      field: 'policyDocument',
    });
    expect(caught(() => validateEndpointChanges({ resetPolicy: true, policyDocument: '{"Statement":[{"Principal":"*"}]}' }))).toMatchObject(
      {
        code: 'InvalidParameterCombination',
        field: 'resetPolicy',
      },
    );
  });

  it('a reserved tag key or a flag that is not a boolean is refused naming it', () => {
    expect(caught(() => validateEndpointChanges({ addTags: [{ key: 'aws:x', value: '' }] }))).toMatchObject({ field: 'addTags[0].key' });
    expect(caught(() => validateEndpointChanges({ removeTagKeys: [''] }))).toMatchObject({ field: 'removeTagKeys[0]' });
    expect(caught(() => validateEndpointChanges({ privateDnsEnabled: 'yes' }))).toMatchObject({ field: 'privateDnsEnabled' });
  });
});
