// A wire API request (`POST /` with a form body, or `GET /?Action=…`) → the service model, the action and its
// typed input; and the answers: the action's XML document or the protocol's error document.
import { errorXml, WireError, wireStatusFor } from './errors';
import { deserializeInput } from './deserialize';
import { ec2Model, elbv2Model, ServiceModel, signingNameOf, xmlNamespaceOf } from './model';
import { serializeOutput } from './serialize';

export const WIRE_MODELS: readonly ServiceModel[] = [ec2Model, elbv2Model];

/** The form parameters of a request: the query string's, then (POST) the body's. */
export function wireParameters(query: string, body: Buffer | string | undefined): Array<[string, string]> {
  const params = [...new URLSearchParams(query)];
  const text = body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
  if (text !== '') params.push(...new URLSearchParams(text));
  return params;
}

/**
 * The model a request is for: by its Version; without one, by the service its signature is scoped to (so the
 * error is in the shape the client reads). Unsupported Version → InvalidParameterValue.
 */
export function modelOf(params: ReadonlyArray<[string, string]>, signingService?: string): ServiceModel {
  const version = params.find(([k]) => k === 'Version')?.[1];
  if (version === undefined) {
    const byService = WIRE_MODELS.find((m) => signingNameOf(m) === signingService) ?? ec2Model;
    throw new WireCallError(byService, new WireError('MissingParameter', 'The request must contain the parameter Version'));
  }
  const model = WIRE_MODELS.find((m) => m.metadata.apiVersion === version);
  if (!model) {
    const byService = WIRE_MODELS.find((m) => signingNameOf(m) === signingService) ?? ec2Model;
    const supported = WIRE_MODELS.map((m) => `${m.metadata.apiVersion} (${m.metadata.serviceId})`).join(', ');
    throw new WireCallError(
      byService,
      new WireError('InvalidParameterValue', `Value (${version}) for parameter Version is invalid. Supported: ${supported}`),
    );
  }
  return model;
}

/** A refusal that already knows the shape of its answer (the model whose error document to write). */
export class WireCallError extends Error {
  override readonly name = 'WireCallError';
  constructor(
    readonly model: ServiceModel,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface WireCall<T = Record<string, unknown>> {
  model: ServiceModel;
  action: string;
  input: T;
}

/** The action and its input; refusals are WireErrors (MissingParameter, InvalidAction, InvalidParameterValue, …). */
export function readWireCall(model: ServiceModel, params: ReadonlyArray<[string, string]>): WireCall {
  const action = params.find(([k]) => k === 'Action')?.[1];
  if (action === undefined || action === '') throw new WireError('MissingParameter', 'The request must contain the parameter Action');
  if (!Object.hasOwn(model.operations, action)) {
    throw new WireError(
      'InvalidAction',
      `The action ${action} is not valid for this web service (${model.metadata.serviceId} ${model.metadata.apiVersion}).`,
    );
  }
  return { model, action, input: deserializeInput(model, action, params) };
}

export interface WireAnswer {
  status: number;
  contentType: string;
  body: string;
}

const XML = 'text/xml;charset=UTF-8';

export function wireSuccess(model: ServiceModel, action: string, output: unknown, requestId: string): WireAnswer {
  return { status: 200, contentType: XML, body: serializeOutput(model, action, output, requestId) };
}

/** The error document of `code` in the model's protocol, with EC2's status for the code (or `status`). */
export function wireFailure(
  model: ServiceModel,
  code: string,
  message: string,
  requestId: string,
  status = wireStatusFor(code),
): WireAnswer {
  return { status, contentType: XML, body: errorXml(model.metadata.protocol, code, message, requestId, status, xmlNamespaceOf(model)) };
}
