import { randomBytes } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  SupportedIpAddressType,
  Tag,
  isDomainError,
  isServiceId,
  principalAdditionOutcome,
  principalRemovalOutcome,
  servicePermissionId,
} from '@privatelink/domain';
import { RequestContext } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { ServiceWrite, changeService, loadBalancersNamed } from './service-writes';

// ── modify ───────────────────────────────────────────────────────────────────────────────────────

/** ModifyVpcEndpointServiceConfiguration, in camelCase. */
export interface ModifyEndpointServiceInput {
  addNetworkLoadBalancerArns?: string[];
  removeNetworkLoadBalancerArns?: string[];
  addGatewayLoadBalancerArns?: string[];
  removeGatewayLoadBalancerArns?: string[];
  acceptanceRequired?: boolean;
  privateDnsName?: string;
  removePrivateDnsName?: boolean;
  addSupportedIpAddressTypes?: SupportedIpAddressType[];
  removeSupportedIpAddressTypes?: SupportedIpAddressType[];
  addAutoAcceptPrincipals?: string[];
  removeAutoAcceptPrincipals?: string[];
}

export class ModifyEndpointService {
  constructor(
    readonly serviceId: string,
    readonly input: ModifyEndpointServiceInput,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(ModifyEndpointService)
export class ModifyEndpointServiceHandler implements ICommandHandler<ModifyEndpointService, ServiceWrite<undefined>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, input, ctx }: ModifyEndpointService): Promise<ServiceWrite<undefined>> {
    const { runtime } = this.core;
    const account = ctx.caller.accountId;
    return changeService(this.core, serviceId, ctx, async (_service, tx) => ({
      command: {
        type: 'modifyEndpointService',
        addNetworkLoadBalancers: await loadBalancersNamed(
          runtime,
          tx,
          input.addNetworkLoadBalancerArns,
          'addNetworkLoadBalancerArns',
          account,
          'network',
        ),
        removeNetworkLoadBalancerArns: input.removeNetworkLoadBalancerArns,
        addGatewayLoadBalancers: await loadBalancersNamed(
          runtime,
          tx,
          input.addGatewayLoadBalancerArns,
          'addGatewayLoadBalancerArns',
          account,
          'gateway',
        ),
        removeGatewayLoadBalancerArns: input.removeGatewayLoadBalancerArns,
        acceptanceRequired: input.acceptanceRequired,
        privateDnsName: input.privateDnsName,
        removePrivateDnsName: input.removePrivateDnsName,
        addSupportedIpAddressTypes: input.addSupportedIpAddressTypes,
        removeSupportedIpAddressTypes: input.removeSupportedIpAddressTypes,
        addAutoAcceptPrincipals: input.addAutoAcceptPrincipals,
        removeAutoAcceptPrincipals: input.removeAutoAcceptPrincipals,
        now: this.core.now().toISOString(),
      },
    }));
  }
}

/** ModifyVpcEndpointServicePayerResponsibility: only `ServiceOwner`, one way (the domain's rule). */
export class SetPayerResponsibility {
  constructor(
    readonly serviceId: string,
    readonly payerResponsibility: string,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(SetPayerResponsibility)
export class SetPayerResponsibilityHandler implements ICommandHandler<SetPayerResponsibility, ServiceWrite<undefined>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, payerResponsibility, ctx }: SetPayerResponsibility): Promise<ServiceWrite<undefined>> {
    return changeService(this.core, serviceId, ctx, () => ({
      command: { type: 'modifyEndpointService', payerResponsibility, now: this.core.now().toISOString() },
    }));
  }
}

// ── allowed principals ───────────────────────────────────────────────────────────────────────────

export class AddAllowedPrincipals {
  constructor(
    readonly serviceId: string,
    readonly principals: string[],
    readonly ctx: RequestContext,
  ) {}
}

export class RemoveAllowedPrincipals {
  constructor(
    readonly serviceId: string,
    readonly principals: string[],
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(AddAllowedPrincipals)
export class AddAllowedPrincipalsHandler implements ICommandHandler<
  AddAllowedPrincipals,
  ServiceWrite<{ added: string[]; alreadyPresent: string[] }>
> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, principals, ctx }: AddAllowedPrincipals) {
    // The outcome is computed on the state each attempt decides on, so a retried request reports truthfully.
    return changeService(this.core, serviceId, ctx, async (service, tx) => ({
      command: {
        type: 'addAllowedPrincipals',
        principals,
        servicePermissionIds: principals.map(() => servicePermissionId(randomBytes(9).toString('hex').slice(0, 17))),
        // The allowed-principals-per-service quota, decided on the service's own stream (no overshoot).
        maxAllowedPrincipals: await this.core.quotas.allowedPrincipalsLimit(serviceId, service.owner, tx),
        now: this.core.now().toISOString(),
      },
      outcome: principalAdditionOutcome(service, principals),
    }));
  }
}

@CommandHandler(RemoveAllowedPrincipals)
export class RemoveAllowedPrincipalsHandler implements ICommandHandler<
  RemoveAllowedPrincipals,
  ServiceWrite<{ removed: string[]; alreadyAbsent: string[] }>
> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, principals, ctx }: RemoveAllowedPrincipals) {
    return changeService(this.core, serviceId, ctx, (service) => ({
      command: { type: 'removeAllowedPrincipals', principals, now: this.core.now().toISOString() },
      outcome: principalRemovalOutcome(service, principals),
    }));
  }
}

// ── tags ─────────────────────────────────────────────────────────────────────────────────────────

export class CreateServiceTags {
  constructor(
    readonly serviceId: string,
    readonly tags: Tag[],
    readonly ctx: RequestContext,
  ) {}
}

export class DeleteServiceTags {
  constructor(
    readonly serviceId: string,
    readonly tagKeys: string[],
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(CreateServiceTags)
export class CreateServiceTagsHandler implements ICommandHandler<CreateServiceTags, ServiceWrite<undefined>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, tags, ctx }: CreateServiceTags) {
    return changeService(this.core, serviceId, ctx, () => ({ command: { type: 'createTags', tags } }));
  }
}

@CommandHandler(DeleteServiceTags)
export class DeleteServiceTagsHandler implements ICommandHandler<DeleteServiceTags, ServiceWrite<undefined>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, tagKeys, ctx }: DeleteServiceTags) {
    return changeService(this.core, serviceId, ctx, () => ({ command: { type: 'deleteTags', tagKeys } }));
  }
}

// ── delete ───────────────────────────────────────────────────────────────────────────────────────

/** Starts deletion (`Deleting`); the deletion reaction releases the load balancers and completes it. */
export class DeleteEndpointService {
  constructor(
    readonly serviceId: string,
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(DeleteEndpointService)
export class DeleteEndpointServiceHandler implements ICommandHandler<DeleteEndpointService, ServiceWrite<undefined>> {
  constructor(private readonly core: EndpointApiCore) {}

  execute({ serviceId, ctx }: DeleteEndpointService) {
    return changeService(this.core, serviceId, ctx, () => ({
      command: { type: 'deleteEndpointService', now: this.core.now().toISOString() },
    }));
  }
}

export interface UnsuccessfulItem {
  resourceId: string;
  error: { code: string; message: string };
}

/** DeleteVpcEndpointServiceConfigurations: each id on its own; the answer lists the ones that failed and why. */
export class DeleteEndpointServices {
  constructor(
    readonly serviceIds: string[],
    readonly ctx: RequestContext,
  ) {}
}

@CommandHandler(DeleteEndpointServices)
export class DeleteEndpointServicesHandler implements ICommandHandler<DeleteEndpointServices, DeleteServicesResult> {
  constructor(private readonly core: EndpointApiCore) {}

  async execute({ serviceIds, ctx }: DeleteEndpointServices): Promise<DeleteServicesResult> {
    const unsuccessful: UnsuccessfulItem[] = [];
    const written: DeleteServicesResult['written'] = [];
    for (const serviceId of [...new Set(serviceIds)]) {
      if (!isServiceId(serviceId)) {
        unsuccessful.push({
          resourceId: serviceId,
          error: {
            code: 'InvalidParameterValue',
            message: `'${serviceId}' is not a valid service id (expected vpce-svc- and 17 hex characters)`,
          },
        });
        continue;
      }
      try {
        const { streamId, version } = await changeService(this.core, serviceId, ctx, () => ({
          command: { type: 'deleteEndpointService', now: this.core.now().toISOString() },
        }));
        written.push({ streamId, version });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        unsuccessful.push({ resourceId: serviceId, error: { code: error.code, message: error.message } });
      }
    }
    return { unsuccessful, written };
  }
}

/** The ids that could not be deleted, and the streams of those that were (the answer's consistency token). */
export interface DeleteServicesResult {
  unsuccessful: UnsuccessfulItem[];
  written: Array<{ streamId: string; version: number }>;
}
