import { EndpointServiceCommand, EndpointServiceState, decideEndpointService } from '.';
import { servicePermissionId } from '../ids';
import { caught } from '../spec-support';
import { createdService, serviceSpec } from './spec-fixtures';

// The allowed-principals-per-service quota, decided on the service's own stream with the limit the caller
// passes in (endpoint-api learns it from quota-guard's limit events).

const ACCOUNT = '111122223333';
const NOW = '2026-11-27T10:00:00.000Z';

const created = (): EndpointServiceState => createdService(ACCOUNT, NOW);

let serial = 0;
const add = (principals: string[], maxAllowedPrincipals?: number | null): EndpointServiceCommand => ({
  type: 'addAllowedPrincipals',
  principals,
  servicePermissionIds: principals.map(() => servicePermissionId((++serial).toString(16).padStart(17, '0'))),
  maxAllowedPrincipals,
  now: NOW,
});
const apply = (state: EndpointServiceState, command: EndpointServiceCommand) => serviceSpec.after(state, command)!;
const account = (n: number) => `arn:aws:iam::${String(444455550000 + n)}:root`;

describe('EndpointService allowed-principals-per-service quota', () => {
  it('principals are added up to the limit; one more is LimitExceeded naming the field, and nothing changes', () => {
    const service = apply(created(), add([account(1), account(2)], 3));
    expect(decideEndpointService(add([account(3)], 3), service)).toHaveLength(1);
    const error = caught(() => decideEndpointService(add([account(3), account(4)], 3), service));
    expect(error).toMatchObject({ code: 'LimitExceeded', field: 'addAllowedPrincipals', details: { limit: 3, usage: 2 } });
  });

  it('principals already allowed do not count again, so re-adding them at the limit is fine', () => {
    const service = apply(created(), add([account(1), account(2)], 2));
    expect(decideEndpointService(add([account(1), account(2)], 2), service)).toEqual([]);
  });

  it('without a limit (absent or null) nothing is checked', () => {
    const service = apply(created(), add([account(1), account(2), account(3)]));
    expect(decideEndpointService(add([account(4)], null), service)).toHaveLength(1);
  });
});
