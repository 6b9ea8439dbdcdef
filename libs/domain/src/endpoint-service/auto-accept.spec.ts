import { EndpointServiceCommand, EndpointServiceState, decideEndpointService } from '.';
import { caught } from '../spec-support';
import { createdService, serviceSpec } from './spec-fixtures';

// Beyond the guide: per-service autoAcceptPrincipals (principals accepted without the provider even when
// acceptance is required), changed through ModifyEndpointService like the other settings.

const ACCOUNT = '111122223333';
const NOW = '2026-11-27T10:00:00.000Z';
const ROOT = 'arn:aws:iam::444455556666:root';
const ROLE = 'arn:aws:iam::444455556666:role/portal';

const created = (): EndpointServiceState => createdService(ACCOUNT, NOW);

const modify = (fields: Record<string, unknown>): EndpointServiceCommand =>
  ({ type: 'modifyEndpointService', now: NOW, ...fields }) as EndpointServiceCommand;
const apply = (state: EndpointServiceState, command: EndpointServiceCommand) => serviceSpec.after(state, command)!;

describe('EndpointService autoAcceptPrincipals', () => {
  it('a new service auto-accepts nobody', () => {
    expect(created().autoAcceptPrincipals).toEqual([]);
  });

  it('principals are added and removed, each once, in the order added', () => {
    let s = apply(created(), modify({ addAutoAcceptPrincipals: [ROOT, ROLE, ROOT] }));
    expect(s.autoAcceptPrincipals).toEqual([ROOT, ROLE]);
    s = apply(s, modify({ removeAutoAcceptPrincipals: [ROOT] }));
    expect(s.autoAcceptPrincipals).toEqual([ROLE]);
  });

  it('auto-accept principals are validated like allowed principals (paths refused, * allowed)', () => {
    expect(
      caught(() => decideEndpointService(modify({ addAutoAcceptPrincipals: ['arn:aws:iam::444455556666:role/a/b'] }), created())).field,
    ).toBe('addAutoAcceptPrincipals[0]');
    expect(caught(() => decideEndpointService(modify({ addAutoAcceptPrincipals: [] }), created())).code).toBe('MissingParameter');
    expect(apply(created(), modify({ addAutoAcceptPrincipals: ['*'] })).autoAcceptPrincipals).toEqual(['*']);
  });

  it('adding and removing the same principal at once is refused', () => {
    expect(
      caught(() => decideEndpointService(modify({ addAutoAcceptPrincipals: [ROOT], removeAutoAcceptPrincipals: [ROOT] }), created())).code,
    ).toBe('InvalidParameterCombination');
  });

  it('a change that changes nothing records nothing', () => {
    expect(decideEndpointService(modify({ removeAutoAcceptPrincipals: [ROOT] }), created())).toEqual([]);
    const s = apply(created(), modify({ addAutoAcceptPrincipals: [ROOT] }));
    expect(decideEndpointService(modify({ addAutoAcceptPrincipals: [ROOT] }), s)).toEqual([]);
  });
});
