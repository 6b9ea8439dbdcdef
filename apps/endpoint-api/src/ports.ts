/**
 * The ports of endpoint-api that are no class of their own. Handlers and routes ask Nest for what they use
 * (`ServiceRuntime` for the store and the database, `Clock`, `QuotaEdge`, `CommandGateway`, a query
 * module, `PageTokens`), never for the whole core; endpoint-api.module.ts provides each from the core.
 */
export abstract class Clock {
  abstract now(): Date;
}
