import {
  connectionNotificationDecider as d,
  ConnectionNotification,
  ConnectionNotificationEvent,
  notificationWants,
  validateConnectionEvents,
} from './connection-notification';
import { DomainError } from './errors';
import { deciderSpec } from './spec-support';

const topic = 'arn:aws:sns:us-east-1:111122223333:connection-alerts';
const now = '2026-11-27T10:00:00.000Z';
const create = (
  events: string[] = ['Connect', 'Accept'],
  scope = { kind: 'service' as const, serviceId: 'vpce-svc-0123456789abcdef0' },
) => ({
  type: 'createConnectionNotification' as const,
  connectionNotificationId: 'vpce-nfn-0123456789abcdef0',
  scope,
  connectionNotificationArn: topic,
  connectionEvents: events,
  ownerAccountId: '111122223333',
  now,
});
const given = (...events: ConnectionNotificationEvent[]): ConnectionNotification | null => deciderSpec(d).stateOf(events);

describe('connection notifications', () => {
  it('a notification names an SNS topic and a non-empty subset of Connect, Accept, Reject, Delete, and starts Enabled', () => {
    const [created] = d.decide(create(['Reject', 'Connect']), null);
    expect(created).toMatchObject({
      type: 'connectionNotificationCreated',
      connectionEvents: ['Connect', 'Reject'],
      connectionNotificationState: 'Enabled',
    });
  });

  it.each([[[]], [['Connect', 'Connect']], [['Connected']], [['connect']]])('refuses the event list %j naming the field', (events) => {
    expect(() => d.decide(create(events), null)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue', field: expect.stringMatching(/^connectionEvents/) }),
    );
  });

  it('refuses a malformed topic ARN', () => {
    expect(() => d.decide({ ...create(), connectionNotificationArn: 'arn:aws:sqs:us-east-1:111122223333:q' }, null)).toThrow(
      expect.objectContaining({ field: 'connectionNotificationArn' }),
    );
  });

  it('modify changes the topic and the events; a modify that changes nothing decides nothing', () => {
    const state = given(...d.decide(create(), null));
    const [modified] = d.decide({ type: 'modifyConnectionNotification', connectionEvents: ['Delete'], now }, state);
    expect(modified).toMatchObject({ connectionEvents: ['Delete'], connectionNotificationArn: topic });
    expect(d.decide({ type: 'modifyConnectionNotification', connectionEvents: ['Accept', 'Connect'], now }, state)).toEqual([]);
  });

  it('a deleted notification is NotFound to every later command', () => {
    const state = given(...d.decide(create(), null), { type: 'connectionNotificationDeleted', connectionNotificationId: 'x', at: now });
    expect(() => d.decide({ type: 'deleteConnectionNotification', now }, state)).toThrow(DomainError);
    expect(() => d.decide({ type: 'modifyConnectionNotification', connectionEvents: ['Delete'], now }, state)).toThrow(
      expect.objectContaining({ code: 'InvalidConnectionNotificationId.NotFound' }),
    );
  });

  it('a service-scoped notification wants its service’s events; an endpoint-scoped one only its endpoint’s', () => {
    const service = given(...d.decide(create(['Connect']), null))!;
    expect(notificationWants(service, 'Connect', 'vpce-svc-0123456789abcdef0', 'vpce-1')).toBe(true);
    expect(notificationWants(service, 'Accept', 'vpce-svc-0123456789abcdef0', 'vpce-1')).toBe(false);
    expect(notificationWants(service, 'Connect', 'vpce-svc-other', 'vpce-1')).toBe(false);
    const endpoint = given(
      ...d.decide(
        create(['Accept'], { kind: 'endpoint', vpcEndpointId: 'vpce-1', serviceId: 'vpce-svc-0123456789abcdef0' } as never),
        null,
      ),
    )!;
    expect(notificationWants(endpoint, 'Accept', 'vpce-svc-0123456789abcdef0', 'vpce-1')).toBe(true);
    expect(notificationWants(endpoint, 'Accept', 'vpce-svc-0123456789abcdef0', 'vpce-2')).toBe(false);
  });

  it('a Disabled notification wants nothing', () => {
    const state = given(...d.decide(create(['Connect']), null));
    const disabled = given(
      ...d.decide(create(['Connect']), null),
      ...d.decide({ type: 'modifyConnectionNotification', connectionNotificationState: 'Disabled', now }, state),
    )!;
    expect(notificationWants(disabled, 'Connect', 'vpce-svc-0123456789abcdef0', 'x')).toBe(false);
  });

  it('events come back in the guide’s order', () => {
    expect(validateConnectionEvents(['Delete', 'Connect'])).toEqual(['Connect', 'Delete']);
  });
});
