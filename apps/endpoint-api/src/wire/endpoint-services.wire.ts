// The EC2 actions of endpoint service configurations, on the use cases of src/endpoint-services (the same
// handlers, request schemas and EndpointServiceQueries as the REST routes).
import { Inject, Injectable } from '@nestjs/common';
import type { Ec2 } from '@privatelink/aws-wire';
import { assertServiceId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, z } from '@privatelink/platform';
import { AddAllowedPrincipalsHandler } from '../endpoint-services/add-allowed-principals/add-allowed-principals.handler';
import { addPermissionsBody } from '../endpoint-services/add-allowed-principals/add-allowed-principals.route';
import { CreateEndpointServiceHandler } from '../endpoint-services/create/create-endpoint-service.handler';
import { createEndpointServiceBody } from '../endpoint-services/create/create-endpoint-service.schema';
import { DeleteEndpointServiceHandler } from '../endpoint-services/delete/delete-endpoint-service.handler';
import { DescribePermissionsRoute } from '../endpoint-services/describe-permissions/describe-permissions.route';
import { DescribeEndpointServicesRoute } from '../endpoint-services/describe/describe-endpoint-services.route';
import { DiscoverEndpointServicesRoute } from '../endpoint-services/discover/discover-endpoint-services.route';
import { EndpointServiceQueries } from '../endpoint-services/endpoint-service.queries';
import { EndpointServiceView, toConsumerServiceView } from '../endpoint-services/endpoint-service.view';
import { ModifyEndpointServiceHandler } from '../endpoint-services/modify/modify-endpoint-service.handler';
import { modifyEndpointServiceBody } from '../endpoint-services/modify/modify-endpoint-service.schema';
import { RemoveAllowedPrincipalsHandler } from '../endpoint-services/remove-allowed-principals/remove-allowed-principals.handler';
import { SetPayerResponsibilityHandler } from '../endpoint-services/set-payer-responsibility/set-payer-responsibility.handler';
import { VerifyPrivateDnsRoute } from '../private-dns/verify/verify-private-dns.route';
import { parseBody } from '../http/validation';
import { EC2, WireActions, WireResolver, actionsOf, runRoute } from './wire-action';
import { listQueryOf, serviceConfigurationOf, tagSpecificationsIn, unsuccessfulOf } from './ec2-mapping';

type ConsumerServiceView = ReturnType<typeof toConsumerServiceView>;

/** Drops the members left undefined, so a strict REST schema sees only what the request gave. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const serviceDetailOf = (v: ConsumerServiceView, region: string): Ec2.ServiceDetail => ({
  ServiceName: v.serviceName,
  ServiceId: v.serviceId,
  ServiceType: [{ ServiceType: v.serviceType }],
  ServiceRegion: region,
  AvailabilityZoneIds: v.availabilityZoneIds,
  Owner: v.owner,
  BaseEndpointDnsNames: v.baseEndpointDnsNames,
  PrivateDnsName: v.privateDnsName ?? undefined,
  VpcEndpointPolicySupported: v.serviceType === 'Interface',
  AcceptanceRequired: v.acceptanceRequired,
  ManagesVpcEndpoints: false,
  PayerResponsibility: v.payerResponsibility as Ec2.PayerResponsibility | undefined,
  PrivateDnsNameVerificationState: v.privateDnsNameVerificationState ?? undefined,
  SupportedIpAddressTypes: v.supportedIpAddressTypes,
});

@Injectable()
export class Ec2EndpointServiceActions {
  constructor(
    private readonly resolver: WireResolver,
    private readonly queries: EndpointServiceQueries,
    private readonly create: CreateEndpointServiceHandler,
    private readonly modify: ModifyEndpointServiceHandler,
    private readonly remove: DeleteEndpointServiceHandler,
    private readonly addPrincipals: AddAllowedPrincipalsHandler,
    private readonly removePrincipals: RemoveAllowedPrincipalsHandler,
    private readonly payer: SetPayerResponsibilityHandler,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  actions(): WireActions {
    const a = actionsOf(EC2);
    return Object.fromEntries([
      a(
        'CreateVpcEndpointServiceConfiguration',
        ['provider'],
        async (i: Ec2.CreateVpcEndpointServiceConfigurationRequest, { ctx, written }) => {
          const input = parseBody(
            createEndpointServiceBody,
            defined({
              networkLoadBalancerArns: i.NetworkLoadBalancerArns,
              gatewayLoadBalancerArns: i.GatewayLoadBalancerArns,
              acceptanceRequired: i.AcceptanceRequired,
              privateDnsName: i.PrivateDnsName,
              supportedIpAddressTypes: i.SupportedIpAddressTypes,
              tags: tagSpecificationsIn(i.TagSpecifications, 'vpc-endpoint-service'),
              clientToken: i.ClientToken,
            }),
          );
          const result = await this.create.execute(input, ctx);
          written.push(result);
          const { serviceConfiguration } = await this.queries.answer(result.state);
          return { ServiceConfiguration: serviceConfigurationOf(serviceConfiguration), ClientToken: i.ClientToken };
        },
      ),
      a(
        'DescribeVpcEndpointServiceConfigurations',
        ['provider', 'ops'],
        async (i: Ec2.DescribeVpcEndpointServiceConfigurationsRequest, { ctx }) => {
          const query = listQueryOf(i);
          if (i.ServiceIds?.length) query['filter.service-id'] = [...((query['filter.service-id'] as string[]) ?? []), ...i.ServiceIds];
          const page: { serviceConfigurations: EndpointServiceView[]; nextToken?: string } = await this.resolver
            .get(DescribeEndpointServicesRoute)
            .list({ query } as never, ctx);
          return { ServiceConfigurations: page.serviceConfigurations.map(serviceConfigurationOf), NextToken: page.nextToken };
        },
      ),
      a(
        'ModifyVpcEndpointServiceConfiguration',
        ['provider'],
        async (i: Ec2.ModifyVpcEndpointServiceConfigurationRequest, { ctx, written }) => {
          const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
          const input = parseBody(
            modifyEndpointServiceBody,
            defined({
              addNetworkLoadBalancerArns: i.AddNetworkLoadBalancerArns,
              removeNetworkLoadBalancerArns: i.RemoveNetworkLoadBalancerArns,
              addGatewayLoadBalancerArns: i.AddGatewayLoadBalancerArns,
              removeGatewayLoadBalancerArns: i.RemoveGatewayLoadBalancerArns,
              acceptanceRequired: i.AcceptanceRequired,
              privateDnsName: i.PrivateDnsName,
              removePrivateDnsName: i.RemovePrivateDnsName,
              addSupportedIpAddressTypes: i.AddSupportedIpAddressTypes,
              removeSupportedIpAddressTypes: i.RemoveSupportedIpAddressTypes,
            }),
          );
          written.push(await this.modify.execute(serviceId, input, ctx));
          return { Return: true };
        },
      ),
      a(
        'DeleteVpcEndpointServiceConfigurations',
        ['provider'],
        async (i: Ec2.DeleteVpcEndpointServiceConfigurationsRequest, { ctx, written }) => {
          const { unsuccessful, written: streams } = await this.remove.executeMany(i.ServiceIds ?? [], ctx);
          written.push(...streams);
          return { Unsuccessful: unsuccessfulOf(unsuccessful) };
        },
      ),
      a(
        'ModifyVpcEndpointServicePermissions',
        ['provider'],
        async (i: Ec2.ModifyVpcEndpointServicePermissionsRequest, { ctx, written }) => {
          const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
          const added: Ec2.AddedPrincipalSet = [];
          if (i.AddAllowedPrincipals?.length) {
            const { addAllowedPrincipals } = parseBody(addPermissionsBody, { addAllowedPrincipals: i.AddAllowedPrincipals });
            const result = await this.addPrincipals.execute(serviceId, addAllowedPrincipals, ctx);
            written.push(result);
            for (const p of result.state.allowedPrincipals.filter((p) => addAllowedPrincipals.includes(p.principal))) {
              added.push({
                PrincipalType: p.principalType,
                Principal: p.principal,
                ServicePermissionId: p.servicePermissionId,
                ServiceId: serviceId,
              });
            }
          }
          if (i.RemoveAllowedPrincipals?.length) {
            const removeAllowedPrincipals = parseBody(z.array(z.string()).min(1).max(100), i.RemoveAllowedPrincipals);
            written.push(await this.removePrincipals.execute(serviceId, removeAllowedPrincipals, ctx));
          }
          return { AddedPrincipals: i.AddAllowedPrincipals?.length ? added : undefined, ReturnValue: true };
        },
      ),
      a(
        'DescribeVpcEndpointServicePermissions',
        ['provider', 'ops'],
        async (i: Ec2.DescribeVpcEndpointServicePermissionsRequest, { ctx }) => {
          const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
          const page = await this.resolver
            .get(DescribePermissionsRoute)
            .handle({ params: { serviceId }, query: listQueryOf(i) } as never, ctx);
          return {
            AllowedPrincipals: page.allowedPrincipals.map((p) => ({
              PrincipalType: p.principalType,
              Principal: p.principal,
              ServicePermissionId: p.servicePermissionId,
              ServiceId: serviceId,
            })),
            NextToken: page.nextToken,
          };
        },
      ),
      a(
        'ModifyVpcEndpointServicePayerResponsibility',
        ['provider'],
        async (i: Ec2.ModifyVpcEndpointServicePayerResponsibilityRequest, { ctx, written }) => {
          const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
          written.push(await this.payer.execute(serviceId, String(i.PayerResponsibility ?? ''), ctx));
          return { ReturnValue: true };
        },
      ),
      a('DescribeVpcEndpointServices', ['consumer'], async (i: Ec2.DescribeVpcEndpointServicesRequest, { ctx }) => {
        const query = listQueryOf(i);
        if (i.ServiceNames?.length)
          query['filter.service-name'] = [...((query['filter.service-name'] as string[]) ?? []), ...i.ServiceNames];
        const page: { serviceDetails: ConsumerServiceView[]; nextToken?: string } = await this.resolver
          .get(DiscoverEndpointServicesRoute)
          .list({ query } as never, ctx);
        const region = this.config.region;
        return {
          ServiceNames: page.serviceDetails.map((s) => s.serviceName),
          ServiceDetails: page.serviceDetails.map((s) => serviceDetailOf(s, region)),
          NextToken: page.nextToken,
        };
      }),
      a(
        'StartVpcEndpointServicePrivateDnsVerification',
        ['provider'],
        async (i: Ec2.StartVpcEndpointServicePrivateDnsVerificationRequest, { ctx, written }) => {
          const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
          await runRoute(this.resolver.get(VerifyPrivateDnsRoute), 'handle', { params: { serviceId } }, { ctx, written });
          return { ReturnValue: true };
        },
      ),
    ]);
  }
}
