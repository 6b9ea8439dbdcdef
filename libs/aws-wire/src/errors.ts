// The error answers of the wire APIs: EC2's `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`
// and the query protocol's (ELBv2) `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
import { httpStatusFor, isErrorCode } from '@privatelink/domain';
import { Protocol } from './model';
import { escapeXml } from './xml';

/**
 * An error of the wire protocol itself (the request could not be read as an action of the model, or its
 * signature is not valid). Errors of the commands and queries are the domain's DomainError, as on REST.
 */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status; by default the one EC2 answers for the code (wireStatusFor). */
    readonly status: number = wireStatusFor(code),
  ) {
    super(message);
  }
}

/**
 * EC2's HTTP status for an error code: the domain's (httpStatusFor) but that every client error is 400
 * (`*.NotFound` and `IncorrectState` included, unlike the REST API's 404 / 409); the wire's own codes:
 * the signature's and IAM's 403, DryRunOperation 412; a REST status of 413, 415 or 5xx is kept (`restStatus`).
 */
export function wireStatusFor(code: string, restStatus?: number): number {
  if (restStatus !== undefined && (restStatus >= 500 || restStatus === 413 || restStatus === 415)) return restStatus;
  switch (code) {
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'AccessDenied':
      return 403;
    case 'DryRunOperation':
      return 412;
  }
  const status = isErrorCode(code) ? httpStatusFor(code) : 400;
  return status === 404 || status === 409 ? 400 : status;
}

export const missingParameter = (name: string) => new WireError('MissingParameter', `The request must contain the parameter ${name}`);

export const invalidParameterValue = (name: string, value: string, why: string) =>
  new WireError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. ${why}`);

/** EC2's error document. */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>`
  );
}

/** The query protocol's (ELBv2) error document; `Type` is Sender for 4xx, Receiver for 5xx. */
export function queryErrorXml(code: string, message: string, requestId: string, status: number, xmlNamespace: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

export function errorXml(
  protocol: Protocol,
  code: string,
  message: string,
  requestId: string,
  status: number,
  xmlNamespace: string,
): string {
  return protocol === 'ec2' ? ec2ErrorXml(code, message, requestId) : queryErrorXml(code, message, requestId, status, xmlNamespace);
}
