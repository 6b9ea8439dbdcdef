import * as domain from '@privatelink/domain';

describe('@privatelink/domain', () => {
  it('exports the deciders, validators and errors under distinct names', () => {
    for (const name of [
      'DomainError',
      'httpStatusFor',
      'decideEndpointService',
      'evolveEndpointService',
      'decideLoadBalancer',
      'evolveLoadBalancer',
      'parseLoadBalancerArn',
      'parseSnsTopicArn',
      'parsePrincipal',
      'principalMatches',
      'validatePrivateDnsName',
      'validateTags',
      'applyTagChanges',
      'serviceId',
      'serviceNameFor',
      'validateAvailabilityZones',
      'fold',
    ]) {
      expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
    }
    expect(typeof domain.endpointServiceDecider.decide).toBe('function');
    expect(typeof domain.loadBalancerDecider.evolve).toBe('function');
    expect(domain.initialEndpointServiceState).toBeNull();
    expect(domain.initialLoadBalancerState).toBeNull();
  });
});
