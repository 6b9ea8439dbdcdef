// Quotas: the catalog (DESIGN.md section 5, the guide's "AWS PrivateLink quotas" plus the provider's own),
// the QuotaLedger (usage and limit of one quota in one scope) and the QuotaIncreaseRequest. Pure: limits
// that come from configuration, the clock and the ids are passed in with the commands.
//
// The guide: "Interface and Gateway Load Balancer endpoints per VPC 50 Yes (adjustable). This is the
// combined quota for interface endpoints and Gateway Load Balancer endpoints for a VPC"; "VPC endpoint
// policy size 20,480 characters No. The size of a VPC endpoint policy includes white spaces".
//
// A ledger is one stream per (quota code, scope key). Capacity is held by *holders* (a connection, a
// service, an allowed principal), each with a number of units:
//   reserve (checks the limit) → reserved → confirm → confirmed (permanent until released)
//   reserved past its time → expired (capacity given back); a late confirm reinstates it (the resource is live)
//   release → gone (a no-op when absent); recordUsage → confirmed at once (a fact its owner already checked)
// Every event carries the ledger's code, scope, own limit and usage after it, so a read model needs
// nothing but the last event.
import { Decider, StateSnapshots } from './decider';
import { DomainError, invalid } from './errors';
import { MAX_POLICY_LENGTH } from './endpoint-connection';
import { ALL_PRINCIPALS, accountOf, parsePrincipal } from './principal';

// ── catalog ──────────────────────────────────────────────────────────────────────────────────────

export const QUOTA_CODES = [
  'vpc-endpoints-per-vpc',
  'gwlb-endpoints-per-zone-per-service-per-vpc',
  'endpoint-policy-size',
  'endpoint-services-per-account',
  'allowed-principals-per-service',
  'connections-per-consumer-per-service',
] as const;
export type QuotaCode = (typeof QUOTA_CODES)[number];

/**
 * What a ledger's scope is made of:
 * - `vpc`: a consumer account's VPC; `vpcServiceZone`: one VPC, one service, one zone;
 * - `endpoint`: one endpoint (a property checked on the request, no ledger);
 * - `providerAccount`: a provider account; `service`: one endpoint service;
 * - `serviceConsumer`: one consumer account (or `*`, the default of every account) of one service.
 */
export type QuotaScopeKind = 'vpc' | 'vpcServiceZone' | 'endpoint' | 'providerAccount' | 'service' | 'serviceConsumer';

export interface QuotaDefinition {
  code: QuotaCode;
  name: string;
  scopeKind: QuotaScopeKind;
  /** The limit when the scope has none of its own; null means unlimited. */
  defaultLimit: number | null;
  /** Whether a quota increase request may change it. */
  adjustable: boolean;
  /** Who may ask to change it (null: nobody, it is fixed). */
  requestableBy: 'consumer' | 'provider' | null;
  /** Whether the default comes from the configuration (`QuotaDefaults`). */
  configurable: boolean;
  /** Whether usage is counted in a ledger (the policy size is checked on each request instead). */
  ledger: boolean;
  unit: string;
}

export const QUOTA_CATALOG: Readonly<Record<QuotaCode, QuotaDefinition>> = {
  'vpc-endpoints-per-vpc': {
    code: 'vpc-endpoints-per-vpc',
    name: 'Interface and Gateway Load Balancer endpoints per VPC',
    scopeKind: 'vpc',
    defaultLimit: 50,
    adjustable: true,
    requestableBy: 'consumer',
    configurable: false,
    ledger: true,
    unit: 'endpoints',
  },
  'gwlb-endpoints-per-zone-per-service-per-vpc': {
    code: 'gwlb-endpoints-per-zone-per-service-per-vpc',
    name: 'Gateway Load Balancer endpoints per Availability Zone per service per VPC',
    scopeKind: 'vpcServiceZone',
    defaultLimit: 1,
    adjustable: false,
    requestableBy: null,
    configurable: false,
    ledger: true,
    unit: 'endpoints',
  },
  'endpoint-policy-size': {
    code: 'endpoint-policy-size',
    name: 'VPC endpoint policy size',
    scopeKind: 'endpoint',
    defaultLimit: MAX_POLICY_LENGTH,
    adjustable: false,
    requestableBy: null,
    configurable: false,
    ledger: false,
    unit: 'characters',
  },
  'endpoint-services-per-account': {
    code: 'endpoint-services-per-account',
    name: 'Endpoint services per provider account',
    scopeKind: 'providerAccount',
    defaultLimit: 20,
    adjustable: true,
    requestableBy: 'provider',
    configurable: true,
    ledger: true,
    unit: 'services',
  },
  'allowed-principals-per-service': {
    code: 'allowed-principals-per-service',
    name: 'Allowed principals per endpoint service',
    scopeKind: 'service',
    defaultLimit: 1000,
    adjustable: true,
    requestableBy: 'provider',
    configurable: true,
    ledger: true,
    unit: 'principals',
  },
  'connections-per-consumer-per-service': {
    code: 'connections-per-consumer-per-service',
    name: 'Connections per consumer account per endpoint service',
    scopeKind: 'serviceConsumer',
    defaultLimit: null,
    adjustable: true,
    requestableBy: 'consumer',
    configurable: false,
    ledger: true,
    unit: 'endpoints',
  },
};

/** Defaults the configuration sets (PRIVATELINK_QUOTA_*); the catalog's own otherwise. */
export type QuotaDefaults = Partial<Record<QuotaCode, number>>;

export function isQuotaCode(value: unknown): value is QuotaCode {
  return typeof value === 'string' && (QUOTA_CODES as readonly string[]).includes(value);
}

/** The quota a code names, or InvalidParameterValue naming `field`. */
export function quotaDefinition(code: unknown, field = 'code'): QuotaDefinition {
  if (!isQuotaCode(code)) throw invalid(field, `${field}: '${String(code)}' is not a quota code (known: ${QUOTA_CODES.join(', ')})`);
  return QUOTA_CATALOG[code];
}

/** The default limit of a quota, with the configuration's defaults applied (null: unlimited). */
export function defaultQuotaLimit(code: QuotaCode, defaults: QuotaDefaults = {}): number | null {
  const definition = QUOTA_CATALOG[code];
  return definition.configurable && defaults[code] !== undefined ? defaults[code]! : definition.defaultLimit;
}

// ── scopes ───────────────────────────────────────────────────────────────────────────────────────

/** The parts of a scope (which ones depend on the quota's scope kind). */
export interface LedgerScope {
  consumerAccountId?: string;
  vpcId?: string;
  serviceId?: string;
  /** The service's owner: who sees service-scoped ledgers. */
  providerAccountId?: string;
  availabilityZoneId?: string;
}

const REQUIRED_PARTS: Record<QuotaScopeKind, Array<keyof LedgerScope>> = {
  vpc: ['consumerAccountId', 'vpcId'],
  vpcServiceZone: ['consumerAccountId', 'vpcId', 'serviceId', 'availabilityZoneId'],
  endpoint: [],
  providerAccount: ['providerAccountId'],
  service: ['serviceId', 'providerAccountId'],
  serviceConsumer: ['serviceId', 'providerAccountId', 'consumerAccountId'],
};

const KEY_PARTS: Record<QuotaScopeKind, Array<keyof LedgerScope>> = {
  vpc: ['consumerAccountId', 'vpcId'],
  vpcServiceZone: ['consumerAccountId', 'vpcId', 'serviceId', 'availabilityZoneId'],
  endpoint: [],
  providerAccount: ['providerAccountId'],
  service: ['serviceId'],
  serviceConsumer: ['serviceId', 'consumerAccountId'],
};

/** The scope's key within its quota: its identifying parts joined by `/` (e.g. `444455556666/vpc-1a2b3c4d`). */
export function quotaScopeKey(code: QuotaCode, scope: LedgerScope): string {
  const kind = QUOTA_CATALOG[code].scopeKind;
  for (const part of REQUIRED_PARTS[kind]) {
    const value = scope[part];
    if (typeof value !== 'string' || value.length === 0 || value.includes('/')) {
      throw invalid(`scope.${part}`, `scope.${part}: the ${code} quota is scoped by ${REQUIRED_PARTS[kind].join(', ')}`);
    }
  }
  return KEY_PARTS[kind].map((part) => scope[part]).join('/');
}

/** The ledger's aggregate id: `<code>/<scope key>`. */
export function quotaLedgerId(code: QuotaCode, scope: LedgerScope): string {
  return `${code}/${quotaScopeKey(code, scope)}`;
}

/** Only the parts a quota's scope is made of (and the provider, who sees service-scoped ledgers). */
export function normalizeScope(code: QuotaCode, scope: LedgerScope): LedgerScope {
  const out: LedgerScope = {};
  for (const part of REQUIRED_PARTS[QUOTA_CATALOG[code].scopeKind]) if (scope[part] !== undefined) out[part] = scope[part];
  return out;
}

/** The connections-per-consumer scope a provider's per-principal limit applies to: the principal's account, or `*` for every account. */
export function consumerOfPrincipal(principal: unknown, field = 'principal'): string {
  const parsed = parsePrincipal(principal, field);
  if (parsed.principal === ALL_PRINCIPALS) return ALL_PRINCIPALS;
  return accountOf(parsed.principal)!;
}

// ── the ledger ───────────────────────────────────────────────────────────────────────────────────

export interface QuotaHolding {
  units: number;
  status: 'reserved' | 'confirmed';
  /** When an unconfirmed reservation lapses; null once confirmed. */
  expiresAt: string | null;
  since: string;
}

export interface QuotaLedgerState {
  code: QuotaCode;
  scopeKey: string;
  scope: LedgerScope;
  /** The scope's own limit (an approved increase, a provider's setting); null: the default applies. */
  limit: number | null;
  /** Units held: reserved and confirmed. */
  usage: number;
  holdings: Record<string, QuotaHolding>;
  /** Holders whose capacity went back, and how: a late confirm of an expired one reinstates it, of a released one does nothing. */
  closed: Record<string, { how: 'released' | 'expired'; units: number }>;
}

export type QuotaLimitSource =
  | { kind: 'increaseRequest'; requestId: string; decidedBy: string }
  | { kind: 'provider'; principal: string; setBy: string }
  | { kind: 'ops'; setBy: string };

interface LedgerIdentity {
  code: QuotaCode;
  scope: LedgerScope;
}

export type QuotaLedgerCommand =
  | (LedgerIdentity & {
      type: 'reserve';
      holderId: string;
      units: number;
      /** The effective limit now (the scope's own, else the default); null: unlimited. */
      limit: number | null;
      now: string;
      expiresAt: string;
    })
  | { type: 'confirm'; holderId: string; now: string }
  | { type: 'release'; holderIds: string[]; now: string }
  | { type: 'expire'; now: string; holderIds?: string[] }
  | (LedgerIdentity & { type: 'recordUsage'; holderId: string; units: number; now: string })
  | (LedgerIdentity & { type: 'setLimit'; limit: number | null; source: QuotaLimitSource; now: string });

interface LedgerEventBase {
  code: QuotaCode;
  scopeKey: string;
  scope: LedgerScope;
  /** The scope's own limit after the event (null: the default applies). */
  limit: number | null;
  /** Units held after the event. */
  usage: number;
  at: string;
}

export type QuotaLedgerEvent =
  | (LedgerEventBase & { type: 'quotaReserved'; holderId: string; units: number; effectiveLimit: number | null; expiresAt: string })
  | (LedgerEventBase & { type: 'quotaReservationConfirmed'; holderId: string })
  | (LedgerEventBase & { type: 'quotaReservationReinstated'; holderId: string; units: number })
  | (LedgerEventBase & { type: 'quotaUsageRecorded'; holderId: string; units: number })
  | (LedgerEventBase & { type: 'quotaReleased'; holderIds: string[]; units: number })
  | (LedgerEventBase & { type: 'quotaReservationsExpired'; holderIds: string[]; units: number })
  | (LedgerEventBase & { type: 'quotaLimitSet'; previousLimit: number | null; source: QuotaLimitSource });

export const QUOTA_LEDGER_EVENT_TYPES: ReadonlyArray<QuotaLedgerEvent['type']> = [
  'quotaReserved',
  'quotaReservationConfirmed',
  'quotaReservationReinstated',
  'quotaUsageRecorded',
  'quotaReleased',
  'quotaReservationsExpired',
  'quotaLimitSet',
];

export const initialQuotaLedgerState: QuotaLedgerState | null = null;

const MAX_LIMIT = 1_000_000_000;

function requireUnits(units: unknown): number {
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
    throw invalid('units', `units: ${String(units)} must be a positive integer`);
  return units;
}

/** A limit value: a non-negative integer (or null where allowed), refused naming `field`. */
export function validateLimitValue(value: unknown, field: string, allowNull = false): number | null {
  if (value === null && allowNull) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(field, `${field}: ${JSON.stringify(value ?? null)} is not a number${allowNull ? ' (or null)' : ''}`);
  }
  if (!Number.isInteger(value)) throw invalid(field, `${field}: ${value} must be a whole number`);
  if (value < 0) throw invalid(field, `${field}: ${value} must not be negative`);
  if (value > MAX_LIMIT) throw invalid(field, `${field}: ${value} is larger than ${MAX_LIMIT}`);
  return value;
}

function identityOf(command: LedgerIdentity, state: QuotaLedgerState | null): { code: QuotaCode; scopeKey: string; scope: LedgerScope } {
  if (state) return { code: state.code, scopeKey: state.scopeKey, scope: state.scope };
  const definition = quotaDefinition(command.code);
  if (!definition.ledger) throw invalid('code', `code: ${command.code} is checked on each request and has no ledger`);
  return {
    code: definition.code,
    scopeKey: quotaScopeKey(definition.code, command.scope),
    scope: normalizeScope(definition.code, command.scope),
  };
}

function baseOf(state: QuotaLedgerState, at: string, change: { usage?: number; limit?: number | null } = {}): LedgerEventBase {
  return {
    code: state.code,
    scopeKey: state.scopeKey,
    scope: { ...state.scope },
    limit: change.limit !== undefined ? change.limit : state.limit,
    usage: change.usage ?? state.usage,
    at,
  };
}

function emptyLedger(identity: { code: QuotaCode; scopeKey: string; scope: LedgerScope }): QuotaLedgerState {
  return { ...identity, limit: null, usage: 0, holdings: {}, closed: {} };
}

/** The limit that applies: the scope's own, else `fallback` (the default, or for a consumer of a service the provider's `*` limit). */
export function effectiveQuotaLimit(state: QuotaLedgerState | null, fallback: number | null): number | null {
  return state && state.limit !== null ? state.limit : fallback;
}

export function decideQuotaLedger(command: QuotaLedgerCommand, state: QuotaLedgerState | null): QuotaLedgerEvent[] {
  switch (command.type) {
    case 'reserve': {
      const ledger = state ?? emptyLedger(identityOf(command, state));
      const units = requireUnits(command.units);
      if (ledger.holdings[command.holderId]) return []; // idempotent per holder: the first reservation stands
      const limit = command.limit === null ? null : validateLimitValue(command.limit, 'limit');
      if (limit !== null && ledger.usage + units > limit) {
        throw new DomainError(
          'LimitExceeded',
          `the ${QUOTA_CATALOG[ledger.code].name} quota (${ledger.code}) of ${ledger.scopeKey} is ${limit}; ${ledger.usage} ${QUOTA_CATALOG[ledger.code].unit} are in use`,
          'code',
          { quotaCode: ledger.code, scopeKey: ledger.scopeKey, limit, usage: ledger.usage },
        );
      }
      return [
        {
          type: 'quotaReserved',
          ...baseOf(ledger, command.now, { usage: ledger.usage + units }),
          holderId: command.holderId,
          units,
          effectiveLimit: limit,
          expiresAt: command.expiresAt,
        },
      ];
    }
    case 'confirm': {
      if (!state) return [];
      const holding = state.holdings[command.holderId];
      if (holding)
        return holding.status === 'reserved'
          ? [{ type: 'quotaReservationConfirmed', ...baseOf(state, command.now), holderId: command.holderId }]
          : [];
      const closed = state.closed[command.holderId];
      // Its reservation lapsed, but the resource did go live: it holds capacity again (even beyond the limit: it exists).
      if (closed?.how === 'expired') {
        return [
          {
            type: 'quotaReservationReinstated',
            ...baseOf(state, command.now, { usage: state.usage + closed.units }),
            holderId: command.holderId,
            units: closed.units,
          },
        ];
      }
      return []; // released first (messages of two topics may cross), or never held: nothing to confirm
    }
    case 'release': {
      if (!state) return [];
      const holderIds = [...new Set(command.holderIds)].filter((id) => state.holdings[id]);
      if (holderIds.length === 0) return [];
      const units = holderIds.reduce((sum, id) => sum + state.holdings[id].units, 0);
      return [{ type: 'quotaReleased', ...baseOf(state, command.now, { usage: state.usage - units }), holderIds, units }];
    }
    case 'expire': {
      if (!state) return [];
      const now = Date.parse(command.now);
      const wanted = command.holderIds ? new Set(command.holderIds) : null;
      const due = Object.entries(state.holdings)
        .filter(
          ([id, h]) => h.status === 'reserved' && h.expiresAt !== null && Date.parse(h.expiresAt) <= now && (!wanted || wanted.has(id)),
        )
        .map(([id]) => id)
        .sort();
      if (due.length === 0) return [];
      const units = due.reduce((sum, id) => sum + state.holdings[id].units, 0);
      return [{ type: 'quotaReservationsExpired', ...baseOf(state, command.now, { usage: state.usage - units }), holderIds: due, units }];
    }
    case 'recordUsage': {
      const ledger = state ?? emptyLedger(identityOf(command, state));
      const units = requireUnits(command.units);
      if (ledger.holdings[command.holderId]) return [];
      return [
        { type: 'quotaUsageRecorded', ...baseOf(ledger, command.now, { usage: ledger.usage + units }), holderId: command.holderId, units },
      ];
    }
    case 'setLimit': {
      const ledger = state ?? emptyLedger(identityOf(command, state));
      const definition = QUOTA_CATALOG[ledger.code];
      if (!definition.adjustable) throw invalid('code', `code: ${ledger.code} (${definition.name}) is not adjustable`);
      const limit = validateLimitValue(command.limit, 'limit', true);
      if (state && limit === state.limit) return [];
      if (!state && limit === null) return [];
      return [{ type: 'quotaLimitSet', ...baseOf(ledger, command.now, { limit }), previousLimit: ledger.limit, source: command.source }];
    }
  }
}

/** A ledger's copy whose maps may be changed in place (the holding objects are replaced, never changed). */
function ownCopy(ledger: QuotaLedgerState): QuotaLedgerState {
  return { ...ledger, scope: { ...ledger.scope }, holdings: { ...ledger.holdings }, closed: { ...ledger.closed } };
}

/** Applies one event to a ledger this fold owns (see `ownCopy`). */
function applyInPlace(ledger: QuotaLedgerState, event: QuotaLedgerEvent): void {
  ledger.limit = event.limit;
  ledger.usage = event.usage;
  switch (event.type) {
    case 'quotaReserved':
      delete ledger.closed[event.holderId];
      ledger.holdings[event.holderId] = { units: event.units, status: 'reserved', expiresAt: event.expiresAt, since: event.at };
      return;
    case 'quotaReservationConfirmed': {
      const holding = ledger.holdings[event.holderId];
      if (holding) ledger.holdings[event.holderId] = { ...holding, status: 'confirmed', expiresAt: null };
      return;
    }
    case 'quotaReservationReinstated':
    case 'quotaUsageRecorded':
      delete ledger.closed[event.holderId];
      ledger.holdings[event.holderId] = { units: event.units, status: 'confirmed', expiresAt: null, since: event.at };
      return;
    case 'quotaReleased':
    case 'quotaReservationsExpired': {
      const how = event.type === 'quotaReleased' ? 'released' : 'expired';
      for (const id of event.holderIds) {
        const holding = ledger.holdings[id];
        if (holding) ledger.closed[id] = { how, units: holding.units };
        delete ledger.holdings[id];
      }
      return;
    }
    case 'quotaLimitSet':
      return;
  }
}

function ledgerOf(event: QuotaLedgerEvent): QuotaLedgerState {
  return emptyLedger({ code: event.code, scopeKey: event.scopeKey, scope: { ...event.scope } });
}

export function evolveQuotaLedger(state: QuotaLedgerState | null, event: QuotaLedgerEvent): QuotaLedgerState | null {
  const ledger = state ? ownCopy(state) : ledgerOf(event);
  applyInPlace(ledger, event);
  return ledger;
}

/** The fold of many events: one copy of the ledger, then each event in place (not a copy of its maps per event). */
export function replayQuotaLedger(state: QuotaLedgerState | null, events: Iterable<QuotaLedgerEvent>): QuotaLedgerState | null {
  let ledger = state ? ownCopy(state) : null;
  for (const event of events) {
    ledger ??= ledgerOf(event);
    applyInPlace(ledger, event);
  }
  return ledger;
}

/**
 * The holders a ledger command reads (its decision depends on no other): a reservation, a confirm or a
 * release needs the summary and its own holders' entries, so its cost does not grow with the ledger.
 * Expiring without naming holders looks at every reservation.
 */
export function quotaLedgerKeysOf(command: QuotaLedgerCommand): string[] | 'all' {
  switch (command.type) {
    case 'reserve':
    case 'confirm':
    case 'recordUsage':
      return [command.holderId];
    case 'release':
      return [...command.holderIds];
    case 'expire':
      return command.holderIds ? [...command.holderIds] : 'all';
    case 'setLimit':
      return [];
  }
}

/** A holder's entry in a ledger snapshot: holding capacity now, or given back (and how). */
type LedgerEntry = { holding: QuotaHolding } | { closed: QuotaLedgerState['closed'][string] };
type LedgerSummary = Omit<QuotaLedgerState, 'holdings' | 'closed'>;

/**
 * A ledger's snapshot: the summary (scope, limit, usage) and one entry per holder, so a command loads the
 * summary and its own holders' entries only. Bump the schema version when the state or its fold changes.
 */
export const quotaLedgerSnapshots: StateSnapshots<QuotaLedgerState | null, QuotaLedgerEvent> = {
  schemaVersion: 1,
  keyed: {
    keysOf: (event) => ('holderId' in event ? [event.holderId] : 'holderIds' in event ? event.holderIds : []),
    split(state, keys) {
      const { holdings, closed, ...summary } = state!;
      const wanted = keys === 'all' ? new Set([...Object.keys(holdings), ...Object.keys(closed)]) : keys;
      const entries: Array<[string, LedgerEntry | null]> = [];
      for (const key of wanted) {
        entries.push([key, holdings[key] ? { holding: holdings[key] } : closed[key] ? { closed: closed[key] } : null]);
      }
      return { summary, entries };
    },
    join(summary, entries) {
      const ledger: QuotaLedgerState = { ...(summary as LedgerSummary), holdings: {}, closed: {} };
      for (const [key, entry] of entries as Array<[string, LedgerEntry]>) {
        if ('holding' in entry) ledger.holdings[key] = entry.holding;
        else ledger.closed[key] = entry.closed;
      }
      return ledger;
    },
  },
};

export const quotaLedgerDecider: Decider<QuotaLedgerCommand, QuotaLedgerEvent, QuotaLedgerState | null> = {
  decide: decideQuotaLedger,
  evolve: evolveQuotaLedger,
  initialState: initialQuotaLedgerState,
  replay: replayQuotaLedger,
  snapshots: quotaLedgerSnapshots,
};

/** Whether a scope is at or beyond `ratio` of its limit (ops' "near the limit": 0.8). */
export function isNearLimit(usage: number, limit: number | null, ratio = 0.8): boolean {
  if (limit === null) return false;
  if (limit === 0) return true;
  return usage >= ratio * limit;
}

// ── quota increase requests ──────────────────────────────────────────────────────────────────────

export type QuotaIncreaseRequestStatus = 'pending' | 'approved' | 'denied';
export type QuotaRequesterRole = 'consumer' | 'provider';

export const MAX_QUOTA_REQUEST_REASON_LENGTH = 1_000;
const QUOTA_REQUEST_ID = /^qir-[0-9a-f]{17}$/;

/** `qir-` + 17 hex (the caller brings the randomness). */
export function quotaIncreaseRequestId(hex: string): string {
  if (!/^[0-9a-f]{17}$/.test(hex)) throw invalid('hex', `a quota increase request id needs 17 lower-case hex characters, got '${hex}'`);
  return `qir-${hex}`;
}

export function assertQuotaIncreaseRequestId(value: unknown, field = 'requestId'): string {
  if (typeof value !== 'string' || !QUOTA_REQUEST_ID.test(value)) {
    throw invalid(field, `${field}: '${String(value)}' is not a quota increase request id (qir- and 17 hex characters)`);
  }
  return value;
}

/** The scope fields a requester names (the rest comes from who the requester is). */
export interface QuotaRequestScopeInput {
  vpcId?: unknown;
  serviceId?: unknown;
}

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SERVICE_ID = /^vpce-svc-[0-9a-f]{17}$/;

/**
 * Which ledger a requester's quota increase request is about: the code must be known and adjustable, the
 * requester's role the one that may ask (consumers for their VPCs and their connections to a service,
 * providers for their account and their services), and the scope fields those the quota needs. The
 * service's owner is filled in by the caller, who knows the service (`providerAccountId`).
 */
export function resolveRequestScope(
  code: unknown,
  requester: { role: QuotaRequesterRole; accountId: string },
  input: QuotaRequestScopeInput | undefined,
): { definition: QuotaDefinition; scope: LedgerScope } {
  const definition = quotaDefinition(code, 'code');
  if (!definition.adjustable || !definition.requestableBy) {
    throw invalid('code', `code: ${definition.code} (${definition.name}) is not adjustable; its limit is ${definition.defaultLimit}`);
  }
  if (definition.requestableBy !== requester.role) {
    throw new DomainError(
      'UnauthorizedOperation',
      `code: a ${requester.role} may not request a change of ${definition.code}; it is the ${definition.requestableBy}'s quota`,
      'code',
    );
  }
  const given = input ?? {};
  const need = (part: 'vpcId' | 'serviceId', pattern: RegExp, example: string): string => {
    const value = given[part];
    if (value === undefined || value === null)
      throw new DomainError(
        'MissingParameter',
        `scope.${part}: the ${definition.code} quota is per ${part === 'vpcId' ? 'VPC' : 'endpoint service'}`,
        `scope.${part}`,
      );
    if (typeof value !== 'string' || !pattern.test(value))
      throw invalid(`scope.${part}`, `scope.${part}: '${String(value)}' is not valid (expected a form like ${example})`);
    return value;
  };
  const refuseExtra = (allowed: Array<'vpcId' | 'serviceId'>) => {
    for (const part of ['vpcId', 'serviceId'] as const) {
      if (!allowed.includes(part) && given[part] !== undefined)
        throw invalid(`scope.${part}`, `scope.${part}: the ${definition.code} quota is not scoped by ${part}`);
    }
  };
  switch (definition.scopeKind) {
    case 'vpc':
      refuseExtra(['vpcId']);
      return { definition, scope: { consumerAccountId: requester.accountId, vpcId: need('vpcId', VPC_ID, 'vpc-1a2b3c4d') } };
    case 'providerAccount':
      refuseExtra([]);
      return { definition, scope: { providerAccountId: requester.accountId } };
    case 'service':
      refuseExtra(['serviceId']);
      return { definition, scope: { serviceId: need('serviceId', SERVICE_ID, 'vpce-svc-0123456789abcdef0') } };
    case 'serviceConsumer':
      refuseExtra(['serviceId']);
      return {
        definition,
        scope: { serviceId: need('serviceId', SERVICE_ID, 'vpce-svc-0123456789abcdef0'), consumerAccountId: requester.accountId },
      };
    default:
      throw invalid('code', `code: ${definition.code} cannot be requested`);
  }
}

/** A request as it was submitted (the requested event's facts). */
export interface QuotaIncreaseSubmission {
  requestId: string;
  code: QuotaCode;
  scopeKey: string;
  scope: LedgerScope;
  requester: string;
  requesterAccountId: string;
  requesterRole: QuotaRequesterRole;
  desiredValue: number;
  reason: string;
  /** The limit and usage when it was submitted. */
  limitAtRequest: number | null;
  usageAtRequest: number;
}

export interface QuotaIncreaseRequestState extends QuotaIncreaseSubmission {
  status: QuotaIncreaseRequestStatus;
  /** The value approved (the desired one unless ops chose another). */
  approvedValue: number | null;
  decidedBy: string | null;
  decisionReason: string | null;
  submittedAt: string;
  decidedAt: string | null;
}

export type QuotaIncreaseRequestCommand =
  | {
      type: 'submitQuotaIncreaseRequest';
      requestId: string;
      code: unknown;
      scope: LedgerScope;
      requester: { principal: string; accountId: string; role: QuotaRequesterRole };
      desiredValue: unknown;
      reason: unknown;
      /** The ledger's effective limit and usage now (the handler reads them). */
      currentLimit: number | null;
      usage: number;
      now: string;
    }
  | { type: 'approveQuotaIncreaseRequest'; value?: unknown; usage: number; decidedBy: string; now: string }
  | { type: 'denyQuotaIncreaseRequest'; reason: unknown; decidedBy: string; now: string };

export type QuotaIncreaseRequestEvent =
  | (QuotaIncreaseSubmission & { type: 'quotaIncreaseRequested'; at: string })
  | {
      type: 'quotaIncreaseApproved';
      requestId: string;
      code: QuotaCode;
      scopeKey: string;
      value: number;
      previousLimit: number | null;
      decidedBy: string;
      at: string;
    }
  | { type: 'quotaIncreaseDenied'; requestId: string; code: QuotaCode; scopeKey: string; reason: string; decidedBy: string; at: string };

export const initialQuotaIncreaseRequestState: QuotaIncreaseRequestState | null = null;

function validateReason(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new DomainError('MissingParameter', `${field}: say why`, field);
  if (Array.from(value).length > MAX_QUOTA_REQUEST_REASON_LENGTH)
    throw invalid(field, `${field}: at most ${MAX_QUOTA_REQUEST_REASON_LENGTH} characters`);
  return value;
}

function notBelowUsage(value: number, usage: number, field: string): void {
  if (value < usage) {
    throw invalid(field, `${field}: ${value} is below the current usage (${usage}); release capacity first or ask for at least ${usage}`, {
      usage,
    });
  }
}

function requirePending(state: QuotaIncreaseRequestState | null, action: string): QuotaIncreaseRequestState {
  if (!state) throw new DomainError('InvalidQuotaIncreaseRequestId.NotFound', 'requestId: no such quota increase request', 'requestId');
  if (state.status !== 'pending') {
    throw new DomainError(
      'IncorrectState',
      `quota increase request ${state.requestId} is already ${state.status}; it cannot be ${action}`,
      'requestId',
    );
  }
  return state;
}

export function decideQuotaIncreaseRequest(
  command: QuotaIncreaseRequestCommand,
  state: QuotaIncreaseRequestState | null,
): QuotaIncreaseRequestEvent[] {
  switch (command.type) {
    case 'submitQuotaIncreaseRequest': {
      if (state) throw new DomainError('IncorrectState', `quota increase request ${state.requestId} already exists`, 'requestId');
      const requestId = assertQuotaIncreaseRequestId(command.requestId);
      const definition = quotaDefinition(command.code, 'code');
      if (!definition.adjustable)
        throw invalid('code', `code: ${definition.code} (${definition.name}) is not adjustable; its limit is ${definition.defaultLimit}`);
      const desiredValue = validateLimitValue(command.desiredValue, 'desiredValue')!;
      const reason = validateReason(command.reason, 'reason');
      if (command.currentLimit === null)
        throw invalid('code', `code: ${definition.code} is not limited for this scope; there is nothing to increase`);
      if (desiredValue === command.currentLimit) throw invalid('desiredValue', `desiredValue: ${desiredValue} is already the limit`);
      notBelowUsage(desiredValue, command.usage, 'desiredValue');
      return [
        {
          type: 'quotaIncreaseRequested',
          requestId,
          code: definition.code,
          scopeKey: quotaScopeKey(definition.code, command.scope),
          scope: normalizeScope(definition.code, command.scope),
          requester: command.requester.principal,
          requesterAccountId: command.requester.accountId,
          requesterRole: command.requester.role,
          desiredValue,
          reason,
          limitAtRequest: command.currentLimit,
          usageAtRequest: command.usage,
          at: command.now,
        },
      ];
    }
    case 'approveQuotaIncreaseRequest': {
      const request = requirePending(state, 'approved');
      const value =
        command.value === undefined || command.value === null ? request.desiredValue : validateLimitValue(command.value, 'value')!;
      notBelowUsage(value, command.usage, command.value === undefined || command.value === null ? 'desiredValue' : 'value');
      return [
        {
          type: 'quotaIncreaseApproved',
          requestId: request.requestId,
          code: request.code,
          scopeKey: request.scopeKey,
          value,
          previousLimit: request.limitAtRequest,
          decidedBy: command.decidedBy,
          at: command.now,
        },
      ];
    }
    case 'denyQuotaIncreaseRequest': {
      const request = requirePending(state, 'denied');
      const reason = validateReason(command.reason, 'reason');
      return [
        {
          type: 'quotaIncreaseDenied',
          requestId: request.requestId,
          code: request.code,
          scopeKey: request.scopeKey,
          reason,
          decidedBy: command.decidedBy,
          at: command.now,
        },
      ];
    }
  }
}

export function evolveQuotaIncreaseRequest(
  state: QuotaIncreaseRequestState | null,
  event: QuotaIncreaseRequestEvent,
): QuotaIncreaseRequestState | null {
  switch (event.type) {
    case 'quotaIncreaseRequested':
      return {
        requestId: event.requestId,
        code: event.code,
        scopeKey: event.scopeKey,
        scope: { ...event.scope },
        requester: event.requester,
        requesterAccountId: event.requesterAccountId,
        requesterRole: event.requesterRole,
        desiredValue: event.desiredValue,
        reason: event.reason,
        limitAtRequest: event.limitAtRequest,
        usageAtRequest: event.usageAtRequest,
        status: 'pending',
        approvedValue: null,
        decidedBy: null,
        decisionReason: null,
        submittedAt: event.at,
        decidedAt: null,
      };
    case 'quotaIncreaseApproved':
      return state && { ...state, status: 'approved', approvedValue: event.value, decidedBy: event.decidedBy, decidedAt: event.at };
    case 'quotaIncreaseDenied':
      return state && { ...state, status: 'denied', decisionReason: event.reason, decidedBy: event.decidedBy, decidedAt: event.at };
  }
}

export const quotaIncreaseRequestDecider: Decider<
  QuotaIncreaseRequestCommand,
  QuotaIncreaseRequestEvent,
  QuotaIncreaseRequestState | null
> = {
  decide: decideQuotaIncreaseRequest,
  evolve: evolveQuotaIncreaseRequest,
  initialState: initialQuotaIncreaseRequestState,
};
