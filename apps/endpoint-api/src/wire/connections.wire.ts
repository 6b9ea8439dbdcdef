// The EC2 actions of connections, consumer endpoints and connection notifications. These use cases have
// not moved to use-case folders yet: the actions call the REST controllers' own methods (which validate the
// body with the route's schema, run the handler and read the read model), a thin adapter until they do.
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Ec2 } from '@privatelink/aws-wire';
import { WireError } from '@privatelink/aws-wire';
import { assertServiceId } from '@privatelink/domain';
import { PLATFORM_CONFIG, PlatformConfig, RequestContext } from '@privatelink/platform';
import { ConsumerEndpointsBatchController, ConsumerEndpointsController } from '../http/consumer-endpoints.controller';
import { VpcEndpointView, toConnectionView } from '../http/endpoints.schemas';
import { ConsumerNotificationsController, ProviderNotificationsController } from '../http/notifications.controller';
import { ServiceConnectionsController } from '../http/service-connections.controller';
import { DescribeEndpointServicesRoute } from '../endpoint-services/describe/describe-endpoint-services.route';
import { CapturedResponse, EC2, notAnsweredInTime, WireAction, WireActions, WireCallContext } from './wire-action';
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
    private readonly modules: ModuleRef,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  private get<T>(type: new (...args: never[]) => T): T {
    return this.modules.get(type, { strict: false });
  }

  /** Runs a REST controller method with a response that captures its token and status. */
  private async rest<T>(call: WireCallContext, run: (res: never) => Promise<T>): Promise<{ body: T; status: number }> {
    const res = new CapturedResponse();
    const body = await run(res as never);
    call.written.push(...res.written());
    return { body, status: res.statusCode };
  }

  actions(): WireActions {
    const a = (action: string, roles: WireAction['roles'], run: WireAction['run']): [string, WireAction] => [
      `${EC2}:${action}`,
      { roles, run },
    ];
    const region = (_: RequestContext) => this.config.region;
    return Object.fromEntries([
      a('DescribeVpcEndpointConnections', ['provider', 'ops'], async (i: Ec2.DescribeVpcEndpointConnectionsRequest, call) => {
        const query = listQueryOf(i);
        const serviceIds = (query['filter.service-id'] as string[] | undefined) ?? (await this.ownServiceIds(call.ctx));
        delete query['filter.service-id'];
        const connections = this.get(ServiceConnectionsController);
        if (serviceIds.length === 1) {
          const id = assertServiceId(serviceIds[0], 'Filter.service-id');
          const page = await connections.list(id, query, call.ctx, undefined as never, undefined as never);
          return { VpcEndpointConnections: page.vpcEndpointConnections.map(connectionOf), NextToken: page.nextToken };
        }
        // Several services (or all of the caller's): every page of each, in one answer.
        if (i.NextToken !== undefined)
          throw new WireError('InvalidParameterValue', 'NextToken is only valid with a single service-id filter');
        const all: ConnectionView[] = [];
        for (const id of serviceIds) {
          let nextToken: string | undefined;
          do {
            const page = await connections.list(
              assertServiceId(id, 'Filter.service-id'),
              { ...query, maxResults: '1000', nextToken },
              call.ctx,
              undefined as never,
              undefined as never,
            );
            all.push(...page.vpcEndpointConnections);
            nextToken = page.nextToken;
          } while (nextToken);
        }
        return { VpcEndpointConnections: all.map(connectionOf) };
      }),
      a('AcceptVpcEndpointConnections', ['provider'], async (i: Ec2.AcceptVpcEndpointConnectionsRequest, call) => {
        const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
        const c = this.get(ServiceConnectionsController);
        const { body } = await this.rest(call, (res) => c.accept(serviceId, { vpcEndpointIds: i.VpcEndpointIds ?? [] }, call.ctx, res));
        return batchOf(body);
      }),
      a('RejectVpcEndpointConnections', ['provider'], async (i: Ec2.RejectVpcEndpointConnectionsRequest, call) => {
        const serviceId = assertServiceId(i.ServiceId, 'ServiceId');
        const c = this.get(ServiceConnectionsController);
        const { body } = await this.rest(call, (res) => c.reject(serviceId, { vpcEndpointIds: i.VpcEndpointIds ?? [] }, call.ctx, res));
        return batchOf(body);
      }),
      a('DescribeVpcEndpoints', ['consumer'], async (i: Ec2.DescribeVpcEndpointsRequest, call) => {
        const query = listQueryOf(i);
        if (i.VpcEndpointIds?.length)
          query['filter.vpc-endpoint-id'] = [...((query['filter.vpc-endpoint-id'] as string[]) ?? []), ...i.VpcEndpointIds];
        const page = await this.get(ConsumerEndpointsController).list(query, call.ctx, undefined as never, undefined as never);
        return { VpcEndpoints: page.vpcEndpoints.map(endpointOf), NextToken: page.nextToken };
      }),
      a('ModifyVpcEndpoint', ['consumer'], async (i: Ec2.ModifyVpcEndpointRequest, call) => {
        if (i.AddSubnetIds?.length)
          throw new WireError(
            'UnsupportedOperation',
            'AddSubnetIds needs the subnets’ zones: register the subnets (CreateSubnet) first — not implemented yet',
          );
        const c = this.get(ConsumerEndpointsController);
        const body = Object.fromEntries(
          Object.entries({
            removeSubnetIds: i.RemoveSubnetIds,
            addSecurityGroupIds: i.AddSecurityGroupIds,
            removeSecurityGroupIds: i.RemoveSecurityGroupIds,
            privateDnsEnabled: i.PrivateDnsEnabled,
            policyDocument: i.PolicyDocument,
            resetPolicy: i.ResetPolicy,
          }).filter(([, v]) => v !== undefined),
        );
        const { status } = await this.rest(call, (res) => c.modify(String(i.VpcEndpointId ?? ''), body, call.ctx, res));
        if (status === 202) throw notAnsweredInTime();
        return { Return: true };
      }),
      a('DeleteVpcEndpoints', ['consumer'], async (i: Ec2.DeleteVpcEndpointsRequest, call) => {
        const c = this.get(ConsumerEndpointsBatchController);
        const { body } = await this.rest(call, (res) => c.deleteMany({ vpcEndpointIds: i.VpcEndpointIds ?? [] }, call.ctx, res));
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
            const c = this.get(ProviderNotificationsController);
            created = (await this.rest(call, (res) => c.create(i.ServiceId!, body, call.ctx, res))).body;
          } else {
            if (!i.VpcEndpointId) throw new WireError('MissingParameter', 'The request must contain the parameter VpcEndpointId');
            const c = this.get(ConsumerNotificationsController);
            created = (await this.rest(call, (res) => c.create(i.VpcEndpointId!, body, call.ctx, res))).body;
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
          const page: { connectionNotificationSet: NotificationView[]; nextToken?: string } =
            call.ctx.caller.role === 'provider'
              ? await this.get(ProviderNotificationsController).list(query, call.ctx, undefined as never, undefined as never)
              : await this.get(ConsumerNotificationsController).list(query, call.ctx, undefined as never, undefined as never);
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
          if (call.ctx.caller.role === 'provider') {
            const c = this.get(ProviderNotificationsController);
            await this.rest(call, (res) => c.modify(id, body, call.ctx, res));
          } else {
            const c = this.get(ConsumerNotificationsController);
            await this.rest(call, (res) => c.modify(id, body, call.ctx, res));
          }
          return { ReturnValue: true };
        },
      ),
      a(
        'DeleteVpcEndpointConnectionNotifications',
        ['provider', 'consumer'],
        async (i: Ec2.DeleteVpcEndpointConnectionNotificationsRequest, call) => {
          const body = { connectionNotificationIds: i.ConnectionNotificationIds ?? [] };
          const { body: answer } =
            call.ctx.caller.role === 'provider'
              ? await this.rest(call, (res) => this.get(ProviderNotificationsController).deleteMany(body, call.ctx, res))
              : await this.rest(call, (res) => this.get(ConsumerNotificationsController).deleteMany(body, call.ctx, res));
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
      const page: { serviceConfigurations: Array<{ serviceId: string }>; nextToken?: string } = await this.get(
        DescribeEndpointServicesRoute,
      ).list({ query: { maxResults: '1000', ...(nextToken ? { nextToken } : {}) } } as never, ctx);
      ids.push(...page.serviceConfigurations.map((s) => s.serviceId));
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }
}
