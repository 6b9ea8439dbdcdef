// The EC2 actions of connections, consumer endpoints and connection notifications. These use cases have
// not moved to use-case folders yet: the actions call the REST controllers' own methods (which validate the
// body with the route's schema, run the handler and read the read model), a thin adapter until they do.
import { Inject, Injectable } from '@nestjs/common';
import type { Ec2 } from '@privatelink/aws-wire';
import { WireError } from '@privatelink/aws-wire';
import { assertServiceId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext } from '@privatelink/platform';
import { VpcEndpointView, toConnectionView } from '../endpoint-connections/endpoint-connections.schemas';
import { DecideConnectionsRoute } from '../endpoint-connections/decide-connections.route';
import { DescribeConnectionsRoute } from '../endpoint-connections/describe-connections/describe-connections.route';
import { DescribeVpcEndpointsRoute } from '../endpoint-connections/describe-endpoints/describe-endpoints.route';
import { ModifyVpcEndpointRoute } from '../endpoint-connections/modify-endpoint/modify-endpoint.route';
import { EndpointConnectionQueries } from '../endpoint-connections/endpoint-connection.queries';
import { NetworkQueries } from '../network/network.queries';
import { DeleteVpcEndpointsRoute } from '../endpoint-connections/delete-endpoints/delete-endpoints.route';
import { CreateNotificationRoute } from '../connection-notifications/create/create-notification.route';
import { DescribeNotificationsRoute } from '../connection-notifications/describe/describe-notifications.route';
import { ModifyNotificationRoute } from '../connection-notifications/modify/modify-notification.route';
import { DeleteNotificationsRoute } from '../connection-notifications/delete/delete-notifications.route';
import { DescribeEndpointServicesRoute } from '../endpoint-services/describe/describe-endpoint-services.route';
import { EC2, WireActions, WireCallContext, WireResolver, actionsOf, notAnsweredInTime, runRoute } from './wire-action';
import { listQueryOf, tagsOut, unsuccessfulOf } from './ec2-mapping';

type ConnectionView = ReturnType<typeof toConnectionView>;
interface NotificationView {
  connectionNotificationId: string;
  connectionNotificationArn: string;
  connectionNotificationType: 'Topic';
  connectionEvents: string[];
  connectionNotificationState: 'Enabled' | 'Disabled';
  serviceId?: string;
  vpcEndpointId?: string;
}

const connectionOf = (c: ConnectionView): Ec2.VpcEndpointConnection => ({
  ServiceId: c.serviceId,
  VpcEndpointId: c.vpcEndpointId,
  VpcEndpointOwner: c.vpcEndpointOwner,
  VpcEndpointState: c.vpcEndpointState as Ec2.State,
  CreationTimestamp: new Date(c.creationTimestamp),
  DnsEntries: c.dnsEntries.map((d) => ({ DnsName: d.dnsName })),
  IpAddressType: c.ipAddressType as Ec2.IpAddressType,
});

export const endpointOf = (e: VpcEndpointView): Ec2.VpcEndpoint => ({
  VpcEndpointId: e.vpcEndpointId,
  VpcEndpointType: e.vpcEndpointType,
  VpcId: e.vpcId,
  ServiceName: e.serviceName,
  State: e.vpcEndpointState as Ec2.State,
  PolicyDocument: e.policyDocument,
  SubnetIds: e.subnetIds,
  Groups: e.groups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName })),
  IpAddressType: e.ipAddressType as Ec2.IpAddressType,
  PrivateDnsEnabled: e.privateDnsEnabled,
  RequesterManaged: e.requesterManaged,
  DnsEntries: e.dnsEntries.map((d) => ({ DnsName: d.dnsName })),
  CreationTimestamp: new Date(e.creationTimestamp),
  Tags: tagsOut(e.tags),
  OwnerId: e.ownerId,
  LastError: e.lastError ? { Code: e.lastError.code, Message: e.lastError.message } : undefined,
});

const notificationOf = (n: NotificationView, region: string): Ec2.ConnectionNotification => ({
  ConnectionNotificationId: n.connectionNotificationId,
  ServiceId: n.serviceId,
  VpcEndpointId: n.vpcEndpointId,
  ConnectionNotificationType: n.connectionNotificationType,
  ConnectionNotificationArn: n.connectionNotificationArn,
  ConnectionEvents: n.connectionEvents,
  ConnectionNotificationState: n.connectionNotificationState,
  ServiceRegion: region,
});

/** A batch answer of the REST API (`{unsuccessful}`, or 202 `inProgress` when the owner did not answer in time). */
function batchOf(body: { unsuccessful: Array<{ resourceId: string; error: { code: string; message: string } }>; inProgress?: string[] }) {
  if (body.inProgress) throw notAnsweredInTime();
  return { Unsuccessful: unsuccessfulOf(body.unsuccessful) };
}

@Injectable()
export class Ec2ConnectionActions {
  constructor(
    private readonly resolver: WireResolver,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** AcceptVpcEndpointConnections / RejectVpcEndpointConnections: the provider's decision on the named endpoints. */
  private async decide(decision: 'accept' | 'reject', i: { ServiceId: string; VpcEndpointIds?: string[] }, call: WireCallContext) {
    const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
    const { body } = await runRoute(
      this.resolver.get(DecideConnectionsRoute),
      decision,
      { params: { serviceId }, body: { vpcEndpointIds: i.VpcEndpointIds ?? [] } },
      call,
    );
    return batchOf(body);
  }

  actions(): WireActions {
    const a = actionsOf(EC2);
    const region = (_: RequestContext) => this.config.region;
    return Object.fromEntries([
      a('DescribeVpcEndpointConnections', ['provider', 'ops'], async (i: Ec2.DescribeVpcEndpointConnectionsRequest, call) => {
        const query = listQueryOf(i);
        const serviceIds = (query['filter.service-id'] as string[] | undefined) ?? (await this.ownServiceIds(call.ctx));
        delete query['filter.service-id'];
        const connections = this.resolver.get(DescribeConnectionsRoute);
        const list = async (serviceId: string, q: Record<string, unknown>) =>
          (await runRoute(connections, 'list', { params: { serviceId }, query: q }, call)).body as {
            vpcEndpointConnections: ConnectionView[];
            nextToken?: string;
          };
        if (serviceIds.length === 1) {
          const id = assertServiceId(serviceIds[0], 'Filter.service-id');
          const page = await list(id, query);
          return { VpcEndpointConnections: page.vpcEndpointConnections.map(connectionOf), NextToken: page.nextToken };
        }
        // Several services (or all of the caller's): every page of each, in one answer.
        if (i.NextToken !== undefined)
          throw new WireError('InvalidParameterValue', 'NextToken is only valid with a single service-id filter');
        const all: ConnectionView[] = [];
        for (const id of serviceIds) {
          let nextToken: string | undefined;
          do {
            const page = await list(assertServiceId(id, 'Filter.service-id'), {
              ...query,
              maxResults: '1000',
              ...(nextToken ? { nextToken } : {}),
            });
            all.push(...page.vpcEndpointConnections);
            nextToken = page.nextToken;
          } while (nextToken);
        }
        return { VpcEndpointConnections: all.map(connectionOf) };
      }),
      a('AcceptVpcEndpointConnections', ['provider'], (i: Ec2.AcceptVpcEndpointConnectionsRequest, call) => this.decide('accept', i, call)),
      a('RejectVpcEndpointConnections', ['provider'], (i: Ec2.RejectVpcEndpointConnectionsRequest, call) => this.decide('reject', i, call)),
      a('DescribeVpcEndpoints', ['consumer'], async (i: Ec2.DescribeVpcEndpointsRequest, call) => {
        const query = listQueryOf(i);
        if (i.VpcEndpointIds?.length)
          query['filter.vpc-endpoint-id'] = [...((query['filter.vpc-endpoint-id'] as string[]) ?? []), ...i.VpcEndpointIds];
        const { body: page } = await runRoute(this.resolver.get(DescribeVpcEndpointsRoute), 'list', { query }, call);
        return { VpcEndpoints: (page.vpcEndpoints as VpcEndpointView[]).map(endpointOf), NextToken: page.nextToken };
      }),
      a('ModifyVpcEndpoint', ['consumer'], async (i: Ec2.ModifyVpcEndpointRequest, call) => {
        const vpcEndpointId = String(i.VpcEndpointId ?? '');
        // Groups named on the wire are registered ones, in the endpoint's VPC (as CreateVpcEndpoint's).
        if (i.AddSecurityGroupIds?.length) {
          const { vpcId } = await this.resolver.get(EndpointConnectionQueries).consumerEndpoint(vpcEndpointId, call.ctx.caller);
          await this.resolver
            .get(NetworkQueries)
            .endpointGroups(i.AddSecurityGroupIds, call.ctx.caller.accountId, vpcId, (n) => `AddSecurityGroupId.${n + 1}`);
        }
        const body = Object.fromEntries(
          Object.entries({
            // Subnets by id alone: the route takes their zones from the network inventory.
            addSubnets: i.AddSubnetIds?.map((subnetId) => ({ subnetId })),
            removeSubnetIds: i.RemoveSubnetIds,
            addSecurityGroupIds: i.AddSecurityGroupIds,
            removeSecurityGroupIds: i.RemoveSecurityGroupIds,
            privateDnsEnabled: i.PrivateDnsEnabled,
            policyDocument: i.PolicyDocument,
            resetPolicy: i.ResetPolicy,
          }).filter(([, v]) => v !== undefined),
        );
        const { status } = await runRoute(this.resolver.get(ModifyVpcEndpointRoute), 'modify', { params: { vpcEndpointId }, body }, call);
        if (status === 202) throw notAnsweredInTime();
        return { Return: true };
      }),
      a('DeleteVpcEndpoints', ['consumer'], async (i: Ec2.DeleteVpcEndpointsRequest, call) => {
        const { body } = await runRoute(
          this.resolver.get(DeleteVpcEndpointsRoute),
          'deleteMany',
          { body: { vpcEndpointIds: i.VpcEndpointIds ?? [] } },
          call,
        );
        return batchOf(body);
      }),
      a(
        'CreateVpcEndpointConnectionNotification',
        ['provider', 'consumer'],
        async (i: Ec2.CreateVpcEndpointConnectionNotificationRequest, call) => {
          const body = { connectionNotificationArn: i.ConnectionNotificationArn, connectionEvents: i.ConnectionEvents ?? [] };
          let created: { connectionNotification: NotificationView };
          if (call.ctx.caller.role === 'provider') {
            if (!i.ServiceId) throw new WireError('MissingParameter', 'The request must contain the parameter ServiceId');
            created = (
              await runRoute(this.resolver.get(CreateNotificationRoute), 'forService', { params: { serviceId: i.ServiceId }, body }, call)
            ).body;
          } else {
            if (!i.VpcEndpointId) throw new WireError('MissingParameter', 'The request must contain the parameter VpcEndpointId');
            created = (
              await runRoute(
                this.resolver.get(CreateNotificationRoute),
                'forEndpoint',
                { params: { vpcEndpointId: i.VpcEndpointId }, body },
                call,
              )
            ).body;
          }
          return { ConnectionNotification: notificationOf(created.connectionNotification, region(call.ctx)), ClientToken: i.ClientToken };
        },
      ),
      a(
        'DescribeVpcEndpointConnectionNotifications',
        ['provider', 'consumer'],
        async (i: Ec2.DescribeVpcEndpointConnectionNotificationsRequest, call) => {
          const query = listQueryOf(i);
          if (i.ConnectionNotificationId) query['filter.connection-notification-id'] = [i.ConnectionNotificationId];
          const page: { connectionNotificationSet: NotificationView[]; nextToken?: string } = (
            await runRoute(
              this.resolver.get(DescribeNotificationsRoute),
              call.ctx.caller.role === 'provider' ? 'ofProvider' : 'ofConsumer',
              { query },
              call,
            )
          ).body;
          return {
            ConnectionNotificationSet: page.connectionNotificationSet.map((n) => notificationOf(n, region(call.ctx))),
            NextToken: page.nextToken,
          };
        },
      ),
      a(
        'ModifyVpcEndpointConnectionNotification',
        ['provider', 'consumer'],
        async (i: Ec2.ModifyVpcEndpointConnectionNotificationRequest, call) => {
          const body = Object.fromEntries(
            Object.entries({ connectionNotificationArn: i.ConnectionNotificationArn, connectionEvents: i.ConnectionEvents }).filter(
              ([, v]) => v !== undefined,
            ),
          );
          const id = String(i.ConnectionNotificationId ?? '');
          await runRoute(
            this.resolver.get(ModifyNotificationRoute),
            call.ctx.caller.role === 'provider' ? 'ofProvider' : 'ofConsumer',
            { params: { connectionNotificationId: id }, body },
            call,
          );
          return { ReturnValue: true };
        },
      ),
      a(
        'DeleteVpcEndpointConnectionNotifications',
        ['provider', 'consumer'],
        async (i: Ec2.DeleteVpcEndpointConnectionNotificationsRequest, call) => {
          const body = { connectionNotificationIds: i.ConnectionNotificationIds ?? [] };
          const { body: answer } = await runRoute(
            this.resolver.get(DeleteNotificationsRoute),
            call.ctx.caller.role === 'provider' ? 'ofProvider' : 'ofConsumer',
            { body },
            call,
          );
          return batchOf(answer);
        },
      ),
      a('DescribeVpcEndpointAssociations', ['consumer'], async () => ({ VpcEndpointAssociations: [] })),
    ]);
  }

  /** Every service id of the caller's account (DescribeVpcEndpointConnections without a service-id filter). */
  private async ownServiceIds(ctx: RequestContext): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page: { serviceConfigurations: Array<{ serviceId: string }>; nextToken?: string } = await this.resolver
        .get(DescribeEndpointServicesRoute)
        .list({ query: { maxResults: '1000', ...(nextToken ? { nextToken } : {}) } } as never, ctx);
      ids.push(...page.serviceConfigurations.map((s) => s.serviceId));
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }
}
