// The one error hierarchy of the domain. The HTTP layer maps `code` to a status (httpStatusFor) and to
// the error shape `{code, message, requestId}`; `field` names the offending request field (JSON path
// such as `tags[2].key`), `details` carries structured extras (e.g. the blocking connection ids).

export const ERROR_CODES = [
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'InvalidPaginationToken',
  'InvalidVpcEndpointServiceId.NotFound',
  'InvalidLoadBalancerArn.NotFound',
  'InvalidVpcEndpointId.NotFound',
  'InvalidConnectionNotificationId.NotFound',
  'InvalidQuotaIncreaseRequestId.NotFound',
  'InvalidResourceId.NotFound',
  'InvalidDeadLetterId.NotFound',
  // The network inventory (VPCs, subnets, security groups): EC2's codes.
  'InvalidVpcID.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidGroup.NotFound',
  'InvalidGroup.Duplicate',
  'InvalidGroup.Reserved',
  'InvalidVpc.Range',
  'InvalidSubnet.Range',
  'InvalidSubnet.Conflict',
  'DependencyViolation',
  'CannotDelete',
  'InvalidServiceName',
  'IncorrectState',
  'AuthFailure',
  'UnauthorizedOperation',
  'LimitExceeded',
  'TagLimitExceeded',
  'ConcurrentModification',
  'IdempotentParameterMismatch',
  'DuplicateLoadBalancer',
  'ResourceInUse',
  'InternalError',
  'Unavailable',
  'ServiceUnavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/**
 * HTTP status for an error code. Client errors are 400 like EC2's (LimitExceeded included: it is the
 * caller's request that exceeds a quota, and EC2 answers 400); *.NotFound 404; state conflicts 409;
 * AuthFailure 401; UnauthorizedOperation 403; InternalError 500; Unavailable 503 (an owning service did not
 * answer in time: EC2's code for a request to retry later); ServiceUnavailable 503 (the database or the
 * broker is down; the answer carries Retry-After).
 */
export function httpStatusFor(code: ErrorCode): number {
  if (code.endsWith('.NotFound')) return 404;
  switch (code) {
    case 'AuthFailure':
      return 401;
    case 'UnauthorizedOperation':
      return 403;
    case 'IncorrectState':
    case 'ConcurrentModification':
    case 'IdempotentParameterMismatch':
    case 'ResourceInUse':
    case 'DuplicateLoadBalancer':
    case 'InvalidGroup.Duplicate':
    case 'InvalidSubnet.Conflict':
    case 'DependencyViolation':
    case 'CannotDelete':
      return 409;
    case 'InternalError':
      return 500;
    case 'Unavailable':
    case 'ServiceUnavailable':
      return 503;
    default:
      return 400;
  }
}

/** Shorthand for the most common error: a field's value breaks a validation rule. */
export function invalid(field: string, message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('InvalidParameterValue', message, field, details);
}

/** Whether `check` accepts `value`: it returns instead of throwing (the `is…` forms of the validators). */
export function accepts(check: (value: unknown) => unknown, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}
