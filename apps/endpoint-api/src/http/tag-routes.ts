import { Controller, Inject } from '@nestjs/common';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Tag } from '@privatelink/domain';
import { Ctx, RequestContext, nameString, z } from '@privatelink/platform';
import { batchBody } from './common.schemas';
import { StreamVersion, answer } from './consistency';
import { tagSchema } from './load-balancers.schemas';
import { jsonResponse } from './openapi-helpers';
import { Input, InputOf, PathParam, ProviderClass, Route, defineRoute } from './route';

export const createTagsBody = batchBody('tags', tagSchema, 'CreateTagsRequest');
export const deleteTagsBody = batchBody('tagKeys', nameString().max(256), 'DeleteTagsRequest');
export const tagsView = z.object({ tags: z.array(tagSchema) }).openapi('Tags');

/** A change of a resource's tags, as its decider takes it. */
export type TagChange = { type: 'createTags'; tags: Tag[] } | { type: 'deleteTags'; tagKeys: string[] };

/** A resource changed: its tags now, and where the change wrote. */
type Tagged = StreamVersion & { state: { tags: Tag[] } };

/**
 * CreateTags and DeleteTags on one kind of the provider's resources, as one controller: `POST` and `DELETE` of
 * `<path>/tags` (`{<param>}` naming the resource), each answering the resource's tags now (`responses`: the
 * resource's errors besides). `change` makes the change through the `handler` provider.
 */
export function tagRoutes<H, N extends string>(
  resource: { name: string; path: string; param: N; schema: PathParam; tags: string[]; responses: RouteConfig['responses'] },
  handler: ProviderClass<H>,
  change: (handler: H, id: string, change: TagChange, ctx: RequestContext) => Promise<Tagged>,
) {
  const { name, path, param, schema, tags, responses } = resource;
  const route = { path: `${path}/tags`, roles: ['provider' as const], tags, params: { [param]: schema } as Record<N, PathParam> };
  const answered = { 200: jsonResponse(`the ${name}’s tags now`, tagsView), ...responses };
  const create = defineRoute({
    method: 'post',
    ...route,
    summary: `Create or overwrite tags on a ${name} (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource`,
    body: createTagsBody,
    responses: answered,
  });
  const remove = defineRoute({
    method: 'delete',
    ...route,
    summary: `Delete tags from a ${name} by key (DeleteTags); absent keys are ignored`,
    body: deleteTagsBody,
    responses: answered,
  });

  @Controller()
  class TagRoutes {
    constructor(@Inject(handler) readonly handler: H) {}

    @Route(create)
    async createTags(@Input() { params, body }: InputOf<typeof create>, @Ctx() ctx: RequestContext) {
      return tagsAnswer(await change(this.handler, params[param], { type: 'createTags', tags: body.tags }, ctx));
    }

    @Route(remove)
    async deleteTags(@Input() { params, body }: InputOf<typeof remove>, @Ctx() ctx: RequestContext) {
      return tagsAnswer(await change(this.handler, params[param], { type: 'deleteTags', tagKeys: body.tagKeys }, ctx));
    }
  }
  return TagRoutes;
}

/** The answer of a change of tags: the resource's tags now, and where the change wrote. */
export function tagsAnswer(result: Tagged) {
  return answer({ tags: result.state.tags }, result);
}
