import { DomainError, ERROR_CODES, httpStatusFor, isDomainError } from './errors';

describe('errors', () => {
  it('a DomainError carries its code, message, field and details and is an Error', () => {
    const error = new DomainError('IncorrectState', 'busy', 'serviceId', { vpcEndpointIds: ['vpce-1'] });
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'IncorrectState', message: 'busy', field: 'serviceId', details: { vpcEndpointIds: ['vpce-1'] } });
    expect(error.name).toBe('DomainError');
  });

  it.each([
    ['InvalidParameterValue', 400],
    ['InvalidParameterCombination', 400],
    ['MissingParameter', 400],
    ['InvalidServiceName', 400],
    ['LimitExceeded', 400],
    ['TagLimitExceeded', 400],
    ['InvalidVpcEndpointServiceId.NotFound', 404],
    ['InvalidLoadBalancerArn.NotFound', 404],
    ['InvalidVpcEndpointId.NotFound', 404],
    ['IncorrectState', 409],
    ['ConcurrentModification', 409],
    ['IdempotentParameterMismatch', 409],
    ['ResourceInUse', 409],
    ['DuplicateLoadBalancer', 409],
    ['AuthFailure', 401],
    ['UnauthorizedOperation', 403],
    ['InternalError', 500],
  ] as const)('%s maps to HTTP %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('every error code has a status', () => {
    for (const code of ERROR_CODES) expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
  });

  it('an ordinary Error is not a DomainError', () => {
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});
