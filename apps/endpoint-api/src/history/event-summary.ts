/**
 * One readable line per event for the history timelines (API and console). Known event types say what
 * happened in the words the API uses; any other type is spelled out from its name with the fields that
 * usually matter (state, reason, error), so a new event type still reads sensibly before it gets a line.
 */
type Payload = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

function principals(v: unknown): string {
  if (!Array.isArray(v)) return '';
  const names = v.map((p) => (typeof p === 'string' ? p : (str((p as Payload | null)?.principal) ?? ''))).filter(Boolean);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

const lines: Record<string, (p: Payload) => string> = {
  loadBalancerRegistered: (p) => `load balancer ${str(p.loadBalancerArn) ?? ''} registered`,
  loadBalancerDeregistered: () => 'load balancer deregistered',
  endpointServiceCreated: (p) =>
    `service created (${str(p.serviceType) ?? 'Interface'}, acceptance ${p.acceptanceRequired === false ? 'not required' : 'required'})`,
  endpointServiceAvailable: () => 'service Available',
  endpointServiceFailed: (p) => `service Failed${str(p.reason) ? `: ${str(p.reason)}` : ''}`,
  endpointServiceDeleting: () => 'service deletion started',
  endpointServiceDeleted: () => 'service Deleted',
  endpointServicePrincipalsAllowed: (p) => `principals allowed: ${principals(p.allowedPrincipals)}`,
  endpointServicePrincipalsRemoved: (p) => `principals removed: ${principals(p.removedPrincipals ?? p.principals ?? p.allowedPrincipals)}`,
  endpointServiceAcceptanceRequiredChanged: (p) => `acceptance ${p.acceptanceRequired ? 'required' : 'no longer required'}`,
  endpointServicePrivateDnsNameSet: (p) => `private DNS name set to ${str(p.privateDnsName) ?? '?'}`,
  endpointServicePrivateDnsNameRemoved: () => 'private DNS name removed',
  endpointServiceConnectionOpened: (p) => `connection ${str(p.vpcEndpointId) ?? ''} attached`,
  endpointServiceConnectionClosed: (p) => `connection ${str(p.vpcEndpointId) ?? ''} detached`,
  connectionRequested: (p) => `endpoint requested by ${str(p.requesterPrincipal) ?? '?'} in ${str(p.vpcId) ?? '?'}`,
  connectionQuotaRequested: () => 'quota asked for capacity',
  connectionQuotaGranted: () => 'quota granted',
  connectionQuotaRefused: (p) => `quota refused: ${str(p.message) ?? ''}`,
  connectionQuotaReleased: () => 'quota capacity given back',
  connectionPendingAcceptance: () => 'pendingAcceptance: waiting for the provider',
  connectionAccepted: () => 'accepted by the provider: available',
  connectionAutoAccepted: () => 'accepted automatically: available',
  connectionRejected: () => 'rejected by the provider',
  connectionFailed: (p) => `failed: ${str(p.stateReason) ?? ''}${str(p.message) ? ` (${str(p.message)})` : ''}`,
  connectionDeleting: () => 'deletion started by the consumer',
  connectionDeleted: () => 'deleted',
  privateDnsVerificationStarted: (p) => `verification of ${str(p.privateDnsName) ?? 'the name'} started: TXT ${str(p.recordName) ?? ''}`,
  privateDnsVerificationChecked: (p) =>
    `checked (${str(p.trigger) ?? 'check'}): ${str(p.result) ?? ''}${str(p.reasonCode) ? `, ${str(p.reasonCode)}` : ''}; still ${str(p.state) ?? ''}`,
  privateDnsNameVerified: (p) => `verified (${str(p.trigger) ?? 'check'})${str(p.reasonCode) ? `, note ${str(p.reasonCode)}` : ''}`,
  privateDnsNameVerificationFailed: (p) =>
    `verification failed (${str(p.trigger) ?? 'check'}): ${str(p.reasonCode) ?? ''}${str(p.reason) ? ` (${str(p.reason)})` : ''}`,
  privateDnsNameVerificationPending: (p) => `back to pendingVerification: ${str(p.reasonCode) ?? 'name servers did not answer'}`,
  privateDnsVerificationRemoved: () => 'verification removed (the name was removed or changed)',
  connectionNotificationCreated: (p) => `notification to ${str(p.connectionNotificationArn) ?? '?'} created`,
  connectionNotificationModified: () => 'notification modified',
  connectionNotificationDeleted: () => 'notification deleted',
  deliveryScheduled: (p) => `${str(p.connectionEvent) ?? ''} delivery to ${str(p.topicArn) ?? '?'} scheduled`,
  deliveryDelivered: (p) => `delivered${str(p.snsMessageId) ? ` (SNS message ${str(p.snsMessageId)})` : ''}`,
  deliveryAttemptFailed: (p) => `attempt ${str(p.attempt) ?? '?'} failed: ${str(p.error) ?? ''}; next at ${str(p.nextAttemptAt) ?? '?'}`,
  deliveryFailed: (p) => `delivery failed: ${str(p.error) ?? str(p.lastError) ?? ''}`,
  deliveryRedriven: (p) => `re-driven by ops${str(p.reason) ? `: ${str(p.reason)}` : ''}`,
  quotaIncreaseRequested: (p) =>
    `increase of ${str(p.code) ?? 'a quota'} to ${str(p.desiredValue) ?? '?'} requested${str(p.reason) ? `: ${str(p.reason)}` : ''}`,
  quotaIncreaseApproved: (p) => `increase approved: limit ${str(p.value) ?? str(p.approvedValue) ?? '?'}`,
  quotaIncreaseDenied: (p) => `increase denied${str(p.reason) ? `: ${str(p.reason)}` : ''}`,
  quotaReserved: (p) => `reserved ${str(p.units) ?? '1'} for ${str(p.holderId) ?? '?'}; usage ${str(p.usage) ?? '?'}`,
  quotaReleased: (p) => `released for ${str(p.holderId) ?? '?'}; usage ${str(p.usage) ?? '?'}`,
  quotaLimitSet: (p) => `limit set to ${p.limit === null ? 'none' : (str(p.limit) ?? '?')}`,
};

/** "endpointServiceTagsChanged" → "endpoint service tags changed". */
export function spellOut(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function summarizeEvent(type: string, payload: Payload): string {
  const line = lines[type];
  if (line) return line(payload).replace(/\s+/g, ' ').trim();
  const extras = ['state', 'vpcEndpointState', 'serviceState', 'reasonCode', 'reason', 'error']
    .map((k) => (str(payload[k]) ? `${k} ${str(payload[k])}` : undefined))
    .filter(Boolean);
  return extras.length > 0 ? `${spellOut(type)}: ${extras.join(', ')}` : spellOut(type);
}
