import { NextFunction, Request, Response } from 'express';

/**
 * A second edge on a service's HTTP listener (endpoint-api's EC2 Query and ELBv2 wire APIs on `POST /` and
 * `GET /?Action=`): a module that provides WIRE_EDGE gets every request first, before the JSON-only body
 * rules and the routes, and passes on (`next`) the ones that are not its own.
 */
export const WIRE_EDGE = Symbol('privatelink:wire-edge');

export interface WireEdge {
  handle(req: Request, res: Response, next: NextFunction): void;
}
