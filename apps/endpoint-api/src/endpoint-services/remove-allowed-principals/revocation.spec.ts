import { EndpointConnectionState, VpcEndpointState } from '@privatelink/domain';
import { connectionsRevokedBy } from './revocation';

const ROOT = 'arn:aws:iam::444455556666:root';
const ROLE = 'arn:aws:iam::444455556666:role/portal';
const OTHER_ROOT = 'arn:aws:iam::777788889999:root';

const connection = (vpcEndpointId: string, requesterPrincipal: string, vpcEndpointState: VpcEndpointState) =>
  ({ vpcEndpointId, requesterPrincipal, vpcEndpointState }) as EndpointConnectionState;

const ids = (connections: EndpointConnectionState[]) => connections.map((c) => c.vpcEndpointId);

describe('which connections a revocation rejects', () => {
  const connections = [
    connection('vpce-1', ROOT, 'pendingAcceptance'),
    connection('vpce-2', ROLE, 'available'),
    connection('vpce-3', OTHER_ROOT, 'available'),
    connection('vpce-4', ROOT, 'rejected'),
    connection('vpce-5', ROOT, 'pending'),
    connection('vpce-6', ROLE, 'deleting'),
    connection('vpce-7', ROOT, 'failed'),
  ];

  it('an account root covers every principal of its account; only pendingAcceptance and available connections', () => {
    expect(ids(connectionsRevokedBy(connections, [ROOT]))).toEqual(['vpce-1', 'vpce-2']);
  });

  it('a role covers only itself', () => {
    expect(ids(connectionsRevokedBy(connections, [ROLE]))).toEqual(['vpce-2']);
  });

  it('* covers every requester', () => {
    expect(ids(connectionsRevokedBy(connections, ['*']))).toEqual(['vpce-1', 'vpce-2', 'vpce-3']);
  });

  it('a principal of no connection, or none, rejects nothing', () => {
    expect(connectionsRevokedBy(connections, ['arn:aws:iam::111111111111:root'])).toEqual([]);
    expect(connectionsRevokedBy(connections, [])).toEqual([]);
  });
});
