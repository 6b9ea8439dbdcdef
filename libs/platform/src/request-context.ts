import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { DomainError } from '@privatelink/domain';
import { Caller, PrincipalDirectory, Role } from './auth';
import { requestIdOf } from './http-errors';

const PUBLIC = 'privatelink:public';
const ROLES = 'privatelink:roles';

/** Health, metrics and the API document need no key. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Which roles may call a controller or route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface RequestContext {
  caller: Caller;
  requestId: string;
  correlationId: string;
}

type RequestWithCaller = Request & { caller?: Caller };

/** Authenticates every request (401) and checks its role against the route's (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalDirectory,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<RequestWithCaller>();
    const caller = this.principals.authenticate(req.headers.authorization);
    req.caller = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new DomainError('UnauthorizedOperation', `a ${caller.role} principal may not call this operation`);
    }
    return true;
  }
}

/** The caller, request id and correlation id of the current request. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const req = context.switchToHttp().getRequest<RequestWithCaller>();
  if (!req.caller) throw new DomainError('AuthFailure', 'not authenticated');
  const requestId = requestIdOf(req);
  const header = req.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : requestId;
  return { caller: req.caller, requestId, correlationId };
});
