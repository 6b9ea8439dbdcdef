import {
  EndpointConnectionCommand,
  EndpointConnectionEvent,
  WorkflowStep,
  connectionServiceFactsOf,
  decideEndpointConnection,
  pendingStepOf,
} from '.';
import { EndpointServiceState } from '../endpoint-service';
import { CONSUMER, CONSUMER_ROOT, EP, PROVIDER, SVC, connectionSpec, serviceState } from './spec-fixtures';

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────────

const NOW = '2026-12-03T10:00:00.000Z';

const service = (principals: string[] = [CONSUMER_ROOT]): EndpointServiceState =>
  serviceState({ serviceId: SVC, provider: PROVIDER, now: NOW, zones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }], principals });

const request: EndpointConnectionCommand = {
  type: 'requestConnection',
  vpcEndpointId: EP,
  dnsSuffix: 'ks83awe7',
  requesterPrincipal: CONSUMER_ROOT,
  input: {
    vpcEndpointType: 'Interface',
    vpcId: 'vpc-ec43eb89',
    subnets: [{ subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' }],
  },
  service: connectionServiceFactsOf(service()),
  now: NOW,
};
const evaluate: EndpointConnectionCommand = { type: 'evaluateRequest', service: service(), privateDnsVerified: false, now: NOW };
const grant: EndpointConnectionCommand = { type: 'recordQuotaDecision', granted: true, now: NOW };
const attached: EndpointConnectionCommand = {
  type: 'recordAttachment',
  outcome: { attached: true, acceptanceRequired: true },
  dns: { privateDnsName: null, verified: false },
  now: NOW,
};
const remove: EndpointConnectionCommand = { type: 'deleteEndpoint', ownerAccountId: CONSUMER, now: NOW };
const reconcile = (step: WorkflowStep, maxTries = 3): EndpointConnectionCommand => ({ type: 'reconcileStep', step, maxTries, now: NOW });

const { run } = connectionSpec;

const types = (events: EndpointConnectionEvent[]) => events.map((e) => e.type);
const lastEvents = (...commands: EndpointConnectionCommand[]) => {
  const before = run(...commands.slice(0, -1));
  return decideEndpointConnection(commands[commands.length - 1], before.state);
};

// ── rules ────────────────────────────────────────────────────────────────────────────────────────

describe('EndpointConnection workflow deadlines', () => {
  describe('the pending step', () => {
    it('a new request waits on its own checks, then on the quota, then on attaching; a settled one waits on nobody', () => {
      expect(pendingStepOf(run(request).state)).toBe('evaluate');
      expect(pendingStepOf(run(request, evaluate).state)).toBe('quota');
      expect(pendingStepOf(run(request, evaluate, grant).state)).toBe('attach');
      expect(pendingStepOf(run(request, evaluate, grant, attached).state)).toBeNull(); // pendingAcceptance: the provider's turn
      expect(pendingStepOf(run(request, { ...evaluate, service: service([]) }).state)).toBeNull(); // failed
      expect(pendingStepOf(null)).toBeNull();
    });

    it('a deleting endpoint waits on detaching until the service let it go, then it is deleted and waits on nobody', () => {
      const deleting = run(request, evaluate, grant, attached, remove).state;
      expect(deleting?.vpcEndpointState).toBe('deleting');
      expect(pendingStepOf(deleting)).toBe('detach');
      expect(pendingStepOf(run(request, evaluate, grant, attached, remove, { type: 'recordDetachment', now: NOW }).state)).toBeNull();
    });

    it('an endpoint deleted while its quota answer is outstanding keeps waiting on the quota', () => {
      const { state } = run(request, evaluate, remove);
      expect(state).toMatchObject({ vpcEndpointState: 'deleting', quota: 'requested' });
      expect(pendingStepOf(state)).toBe('quota');
    });
  });

  describe('reconcileStep', () => {
    it('before the last try, the step is sent again and counted', () => {
      const events = lastEvents(request, evaluate, reconcile('quota'));
      expect(events).toEqual([expect.objectContaining({ type: 'connectionStepRetried', step: 'quota', attempt: 2, vpcEndpointId: EP })]);
      const { state } = run(request, evaluate, reconcile('quota'));
      expect(state).toMatchObject({ stepRetries: 1, vpcEndpointState: 'pending', quota: 'requested' });
    });

    it('a step that is no longer pending (its answer came) decides nothing', () => {
      expect(lastEvents(request, evaluate, grant, reconcile('quota'))).toEqual([]);
      expect(lastEvents(request, evaluate, grant, attached, reconcile('attach'))).toEqual([]);
      expect(lastEvents(request, reconcile('evaluate'))).toEqual([]); // its own checks run again through evaluateRequest
    });

    it('after maxTries sends a pending quota step fails the request with InternalFailure and gives the reservation back', () => {
      const { state, events } = run(request, evaluate, reconcile('quota'), reconcile('quota'), reconcile('quota'));
      expect(types(events)).toEqual([
        'connectionRequested',
        'connectionQuotaRequested',
        'connectionStepRetried',
        'connectionStepRetried',
        'connectionStepAbandoned',
        'connectionFailed',
      ]);
      expect(events[4]).toMatchObject({ step: 'quota', tries: 3 });
      expect(events[5]).toMatchObject({
        stateBefore: 'pending',
        stateAfter: 'failed',
        stateReason: 'InternalFailure',
        message: expect.stringContaining('quota-guard'),
      });
      expect(state).toMatchObject({ vpcEndpointState: 'failed', stateReason: 'InternalFailure', quota: 'released' });
      expect(pendingStepOf(state)).toBeNull();
    });

    it('a late quota grant after the step was abandoned changes nothing', () => {
      expect(lastEvents(request, evaluate, reconcile('quota', 1), grant)).toEqual([]);
    });

    it('an abandoned attach step fails the request, detaches what may have been attached and releases the granted quota', () => {
      const { state, events } = run(request, evaluate, grant, reconcile('attach', 1));
      expect(types(events).slice(4)).toEqual(['connectionStepAbandoned', 'connectionFailed', 'connectionQuotaReleased']);
      expect(state).toMatchObject({
        vpcEndpointState: 'failed',
        stateReason: 'InternalFailure',
        quota: 'released',
        attachment: 'detachRequested',
        stepRetries: 0,
      });
      expect(pendingStepOf(state)).toBe('detach');
      // The service's late yes is not taken: the detach already sent undoes it.
      expect(lastEvents(request, evaluate, grant, reconcile('attach', 1), attached)).toEqual([]);
    });

    it('a deleting endpoint whose quota answer never comes reaches deleted', () => {
      const { state, events } = run(request, evaluate, remove, reconcile('quota', 2), reconcile('quota', 2));
      expect(types(events).slice(-3)).toEqual(['connectionStepRetried', 'connectionStepAbandoned', 'connectionDeleted']);
      expect(state).toMatchObject({ vpcEndpointState: 'deleted', quota: 'released' });
    });

    it('a deleting endpoint whose detachment is never answered reaches deleted', () => {
      const { state, events } = run(request, evaluate, grant, attached, remove, reconcile('detach', 1));
      expect(types(events).slice(-2)).toEqual(['connectionStepAbandoned', 'connectionDeleted']);
      expect(events[events.length - 1]).toMatchObject({ stateBefore: 'deleting', stateAfter: 'deleted', connectionEvent: 'Delete' });
      expect(state?.vpcEndpointState).toBe('deleted');
    });

    it('a deleting endpoint stuck in attaching detaches, then reaches deleted once that step ends too', () => {
      const steps = [request, evaluate, grant, remove, reconcile('attach', 1)];
      const { state } = run(...steps);
      expect(state).toMatchObject({ vpcEndpointState: 'deleting', attachment: 'detachRequested' });
      expect(run(...steps, reconcile('detach', 1)).state?.vpcEndpointState).toBe('deleted');
    });

    it('the retries of one step do not count against the next', () => {
      const { state } = run(request, evaluate, reconcile('quota'), reconcile('quota'), grant);
      expect(state).toMatchObject({ quota: 'granted', attachment: 'requested', stepRetries: 0 });
      expect(types(lastEvents(request, evaluate, reconcile('quota'), reconcile('quota'), grant, reconcile('attach')))).toEqual([
        'connectionStepRetried',
      ]);
    });
  });

  describe('checks on a view that lags the service stream', () => {
    it('a view behind the version the edge validated against does not refuse the principal; the request goes on to the quota', () => {
      const lagging = service([]); // the view has not seen the principal being allowed yet
      expect(types(lastEvents(request, { ...evaluate, service: lagging, serviceViewCurrent: false }))).toEqual([
        'connectionQuotaRequested',
      ]);
      expect(lastEvents(request, { ...evaluate, service: lagging })).toEqual([
        expect.objectContaining({ type: 'connectionFailed', stateReason: 'PrincipalNotAllowed' }),
      ]);
    });
  });
});
