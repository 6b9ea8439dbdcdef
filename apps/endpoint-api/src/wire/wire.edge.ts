// The wire APIs on endpoint-api's HTTP listener: `POST /` (form body) and `GET /?Action=…` in EC2's Query
// protocol (Version 2016-11-15) and ELBv2's query protocol (Version 2015-12-01), signed with SigV4. The
// request is read and answered as botocore's models say (libs/aws-wire); the action runs on the REST API's
// handlers and queries (WireActions); errors are the protocol's XML error documents, never a 500 for bad input.
import { Inject, Injectable } from '@nestjs/common';
import { raw, NextFunction, Request, Response } from 'express';
import {
  ec2Model,
  elbv2Model,
  modelOf,
  readWireCall,
  ServiceModel,
  signingNameOf,
  verifySigV4,
  WireAnswer,
  WireCallError,
  WireError,
  wireFailure,
  wireParameters,
  wireStatusFor,
  wireSuccess,
} from '@privatelink/aws-wire';
import {
  Logger,
  PLATFORM_CONFIG,
  PlatformConfig,
  PrincipalDirectory,
  requestIdOf,
  ROOT_LOGGER,
  toErrorResponse,
  WireEdge,
} from '@privatelink/platform';
import { ConsistencyTokens, consistencyTokenOf } from '../http/consistency';
import { WireActions, WireCallContext } from './wire-action';
import { Ec2EndpointServiceActions } from './endpoint-services.wire';
import { Ec2ConnectionActions } from './connections.wire';
import { Ec2NetworkActions } from './network.wire';
import { Elbv2Actions } from './load-balancers.wire';

/** ELBv2 names some errors differently from EC2 (the REST API uses EC2's). */
const ELBV2_CODES: Record<string, string> = {
  'InvalidLoadBalancerArn.NotFound': 'LoadBalancerNotFound',
  DuplicateLoadBalancer: 'DuplicateLoadBalancerName',
  ResourceInUse: 'ResourceInUse',
  UnauthorizedOperation: 'AccessDenied',
  InvalidParameterValue: 'ValidationError',
  MissingParameter: 'ValidationError',
  UnknownParameter: 'ValidationError',
  InvalidParameterCombination: 'ValidationError',
};

/** The signing service named by an Authorization header's credential scope, if any (to pick the error shape). */
function signingServiceOf(req: Request): string | undefined {
  const auth = req.headers.authorization;
  return typeof auth === 'string' ? /Credential=[^/]*\/[^/]*\/[^/]*\/([^/,\s]*)/.exec(auth)?.[1] : undefined;
}

@Injectable()
export class EndpointApiWireEdge implements WireEdge {
  private readonly actions: WireActions;
  private readonly readBody: (req: Request, res: Response, next: NextFunction) => void;

  constructor(
    private readonly principals: PrincipalDirectory,
    private readonly consistency: ConsistencyTokens,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    services: Ec2EndpointServiceActions,
    connections: Ec2ConnectionActions,
    network: Ec2NetworkActions,
    loadBalancers: Elbv2Actions,
  ) {
    this.actions = { ...services.actions(), ...connections.actions(), ...network.actions(), ...loadBalancers.actions() };
    // Any content type: the Query protocol's body is a form; the raw bytes are what the signature covers.
    this.readBody = raw({ type: () => true, limit: config.http.bodyLimit });
  }

  /** Whether a request is the wire APIs': `POST /`, or `GET /` with an Action in the query string. */
  static isWireRequest(req: Request): boolean {
    if (req.path !== '/') return false;
    if (req.method === 'POST') return true;
    return req.method === 'GET' && /(^|&)Action=/.test(req.url.split('?')[1] ?? '');
  }

  handle(req: Request, res: Response, next: NextFunction): void {
    if (!EndpointApiWireEdge.isWireRequest(req)) return next();
    const requestId = requestIdOf(req);
    res.setHeader('x-amzn-requestid', requestId);
    const fallback = elbv2Model.metadata.endpointPrefix === signingServiceOf(req) ? elbv2Model : ec2Model;
    this.readBody(req, res, (error?: unknown) => {
      if (error) return this.send(res, this.failure(fallback, error, requestId));
      this.serve(req, requestId, fallback)
        .then((answer) => this.send(res, answer))
        .catch((e: unknown) => this.send(res, this.failure(fallback, e, requestId)));
    });
  }

  private async serve(req: Request, requestId: string, fallback: ServiceModel): Promise<WireAnswer> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const query = req.url.split('?')[1] ?? '';
    let model = fallback;
    try {
      const params = wireParameters(query, req.method === 'POST' ? body : undefined);
      model = modelOf(params, signingServiceOf(req));
      const { accessKeyId } = await verifySigV4(
        { method: req.method, path: req.path, query, headers: req.headers, body },
        {
          region: this.config.region,
          service: signingNameOf(model),
          secretOf: (id) => this.principals.accessKey(id)?.secretAccessKey,
          unknownKeyCode: model === ec2Model ? 'AuthFailure' : 'InvalidClientTokenId',
        },
      );
      const caller = this.principals.accessKey(accessKeyId)!.caller;
      const call = readWireCall(model, params);
      const action = this.actions[`${model.metadata.apiVersion}:${call.action}`];
      if (!action) throw new WireError('UnsupportedOperation', `${call.action} is not implemented by this system yet`);
      if (!action.roles.includes(caller.role)) {
        throw new WireError(
          'UnauthorizedOperation',
          `You are not authorized to perform this operation: a ${caller.role} principal may not call ${call.action}`,
        );
      }
      if (call.input.DryRun === true) throw new WireError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const header = req.headers['x-correlation-id'];
      const correlationId = typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : requestId;
      const context: WireCallContext = { ctx: { caller, requestId, correlationId }, written: [] };
      const output = await action.run(call.input, context);
      await this.readYourWrites(context);
      return wireSuccess(model, call.action, output, requestId);
    } catch (error) {
      return this.failure(model, error, requestId);
    }
  }

  /** An SDK reads right after it writes: the answer waits (bounded) until the read models have the write. */
  private async readYourWrites({ written, ctx }: WireCallContext): Promise<void> {
    if (written.length === 0) return;
    await this.consistency.awaitToken(consistencyTokenOf(written), ctx.caller);
  }

  private failure(model: ServiceModel, error: unknown, requestId: string): WireAnswer {
    if (error instanceof WireCallError) return this.failure(error.model, error.cause, requestId);
    if (error instanceof WireError) return wireFailure(model, this.codeIn(model, error.code), error.message, requestId, error.status);
    // Everything else is mapped as the REST API maps it (domain errors, conflicts, unavailability, 413, 500).
    const { status, body, unavailable } = toErrorResponse(error, requestId);
    if (status >= 500 && !unavailable) this.logger.error({ err: error, requestId }, 'wire API request failed');
    return wireFailure(model, this.codeIn(model, body.code), body.message, requestId, wireStatusFor(body.code, status));
  }

  private codeIn(model: ServiceModel, code: string): string {
    return model === elbv2Model ? (ELBV2_CODES[code] ?? code) : code;
  }

  private send(res: Response, answer: WireAnswer): void {
    if (res.headersSent) return;
    res.status(answer.status).setHeader('content-type', answer.contentType);
    res.end(answer.body);
  }
}
