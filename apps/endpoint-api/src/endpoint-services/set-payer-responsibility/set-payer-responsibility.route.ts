import { Controller } from '@nestjs/common';
import { Ctx, RequestContext, nameString, z } from '@privatelink/platform';
import { answer } from '../../http/consistency';
import { jsonResponse } from '../../http/openapi-helpers';
import { InputOf, Input, Route } from '../../http/route';
import { EndpointServiceQueries } from '../endpoint-service.queries';
import { serviceChange, serviceResponse } from '../endpoint-services.schemas';
import { SetPayerResponsibilityHandler } from './set-payer-responsibility.handler';

export const payerResponsibilityBody = z
  .object({
    payerResponsibility: nameString().max(64).openapi({ example: 'ServiceOwner', description: "Only 'ServiceOwner'; once set it stays" }),
  })
  .strict()
  .openapi('ModifyPayerResponsibilityRequest');

const route = serviceChange({
  method: 'put',
  path: '/payer-responsibility',
  summary: 'Hand payer responsibility to the service owner (ModifyVpcEndpointServicePayerResponsibility; one way, ServiceOwner only)',
  body: payerResponsibilityBody,
  responses: { 200: jsonResponse('the service after the change', serviceResponse) },
});

@Controller()
export class SetPayerResponsibilityRoute {
  constructor(
    private readonly handler: SetPayerResponsibilityHandler,
    private readonly services: EndpointServiceQueries,
  ) {}

  @Route(route)
  async setPayerResponsibility(@Input() { params, body }: InputOf<typeof route>, @Ctx() ctx: RequestContext) {
    const result = await this.handler.execute(params.serviceId, body.payerResponsibility, ctx);
    return answer(await this.services.answer(result.state), result);
  }
}
