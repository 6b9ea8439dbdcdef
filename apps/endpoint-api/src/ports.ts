/**
 * The ports of endpoint-api that are no class of their own. Handlers and routes ask Nest for what they use
 * (`ServiceRuntime` for the store and the database, `Clock`, `QuotaEdge`, `CommandGateway`, a query
 * module, `PageTokens`), never for the whole core; endpoint-api.module.ts provides each from the core.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The projection runner of `rm_endpoint_connections` (to wait for a connection's version). */
export const ENDPOINT_CONNECTIONS = Symbol('ENDPOINT_CONNECTIONS');

/** The projection runner of `rm_private_dns_verifications` (to wait for a verification's version). */
export const PRIVATE_DNS_VERIFICATIONS = Symbol('PRIVATE_DNS_VERIFICATIONS');
