import { randomBytes } from 'node:crypto';
import { Host, PlatformConfig } from '@privatelink/platform';
import { DnsServer, startDns } from '@privatelink/testing';
import { DnsVerifierModule } from '../../dns-verifier/src/dns-verifier.service';
import { ProviderService, World, demoKeys, eventually, servicePath, startWorld, stepsOf } from './support';

/**
 * Private DNS names and connections with the real dns-verifier (a third application) checking TXT records
 * on the real DNS server: its `private-dns-verification` facts are all connection-broker knows of them.
 */
describe('connections to a service with a private DNS name, verified by the real dns-verifier', () => {
  let world: World;
  let verifier: Host & { config: PlatformConfig };
  let dns: DnsServer;
  let service: ProviderService;
  let record: { name: string; value: string };
  const zone = `cb-${randomBytes(4).toString('hex')}.test`;
  const privateDnsName = `api.${zone}`;
  const { provider, providerService, endpointIn } = stepsOf(() => world);

  beforeAll(async () => {
    world = await startWorld('cb-private-dns');
    dns = await startDns();
    await dns.addZone(zone);
    verifier = await world.api.scope.startHost('dns-verifier-cb-private-dns', [DnsVerifierModule], {
      PRIVATELINK_DNS_RESOLVERS: `${dns.host}:${dns.port}`,
      PRIVATELINK_DNS_NAMESERVER_PORT: String(dns.port),
      PRIVATELINK_DNS_TIMEOUT_MS: '300',
      PRIVATELINK_DNS_TRIES: '2',
    });
    service = await providerService({ privateDnsName, acceptanceRequired: false });
    await eventually(async () => {
      const view = await provider().get(servicePath(service.serviceId)).expect(200);
      record = view.body.serviceConfiguration.privateDnsNameConfiguration;
      expect(record?.name).toEqual(expect.any(String));
    }, 30_000);
  }, 180_000);

  afterAll(async () => {
    await verifier?.close();
    await world?.close();
    await dns?.removeZone(zone).catch(() => undefined);
  });

  /** Asks for a check now and waits until connection-broker's own view has dns-verifier's verdict. */
  async function checkedAs(verified: boolean): Promise<void> {
    await provider().post(`${servicePath(service.serviceId)}/private-dns:verify`);
    await eventually(async () => {
      const facts = await world.brokerCore.privateDnsFacts(await world.brokerCore.serviceView(service.serviceId));
      expect(facts).toEqual({ privateDnsName, verified });
    }, 30_000);
  }

  it('not verified yet: new requests are denied (PrivateDnsNotVerified)', async () => {
    const { endpoint } = await endpointIn(service, 'failed', { privateDnsEnabled: true });
    expect(endpoint.stateReason).toBe('PrivateDnsNotVerified');
  });

  it('verified: requests pass, and an endpoint with private DNS enabled gets the private DNS name among its DNS entries', async () => {
    await dns.setTxt(record.name, [record.value]);
    await checkedAs(true);
    const named = await endpointIn(service, 'available', { privateDnsEnabled: true });
    expect(named.endpoint.dnsEntries.map((d: { dnsName: string }) => d.dnsName)).toEqual([
      expect.stringMatching(new RegExp(`^${named.vpcEndpointId}-[a-z0-9]{8}\\.${service.serviceId}\\.`)),
      expect.stringMatching(/-us-east-1a\./),
      expect.stringMatching(/-us-east-1b\./),
      privateDnsName,
    ]);
    const plain = await endpointIn(service, 'available');
    expect(plain.endpoint.dnsEntries.map((d: { dnsName: string }) => d.dnsName)).not.toContain(privateDnsName);
  });

  it('no longer verified (the record is gone): existing connections stay, new requests are denied', async () => {
    const existing = await endpointIn(service, 'available', { privateDnsEnabled: true });
    await dns.removeTxt(record.name);
    await checkedAs(false);
    const denied = await endpointIn(service, 'failed', { privateDnsEnabled: true });
    expect(denied.endpoint.stateReason).toBe('PrivateDnsNotVerified');
    const still = await world.api.as(demoKeys.consumer).get(`/v1/consumer/endpoints/${existing.vpcEndpointId}`).expect(200);
    expect(still.body.vpcEndpoint.vpcEndpointState).toBe('available');
    expect((await world.connectionEvents(existing.vpcEndpointId)).map((e) => e.type)).not.toContain('connectionRejected');
  });
});
