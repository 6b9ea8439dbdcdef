import { PrivateDnsVerificationFacts, privateDnsVerificationEventTypes } from '@privatelink/contracts';
import { PrivateDnsVerificationEvent, PrivateDnsVerificationEventType } from '@privatelink/domain';

// Compile-time half of the contract: every event the domain decides is a PrivateDnsVerificationFacts.
const asFacts = (event: PrivateDnsVerificationEvent): PrivateDnsVerificationFacts => event;

// Exhaustive over the domain's event types (a new type without an entry here does not compile).
const domainTypes: Record<PrivateDnsVerificationEventType, true> = {
  privateDnsVerificationStarted: true,
  privateDnsVerificationChecked: true,
  privateDnsNameVerified: true,
  privateDnsNameVerificationFailed: true,
  privateDnsNameVerificationPending: true,
  privateDnsVerificationRemoved: true,
};

describe('the private-dns-verification contract', () => {
  it('lists exactly the event types the domain decides', () => {
    expect(Object.keys(domainTypes).sort()).toEqual([...privateDnsVerificationEventTypes].sort());
  });

  it('facts are read from an event without knowing its type', () => {
    const event: PrivateDnsVerificationEvent = {
      type: 'privateDnsVerificationRemoved',
      serviceId: 'vpce-svc-0123456789abcdef0',
      privateDnsName: 'api.example.com',
      state: 'removed',
      recordName: '_abc.api.example.com',
      recordValue: 'vpce:Token1234',
      nextCheckAt: null,
      sourceVersion: 3,
      removedAt: '2026-11-27T10:00:00.000Z',
    };
    expect(asFacts(event)).toMatchObject({ serviceId: 'vpce-svc-0123456789abcdef0', state: 'removed' });
  });
});
