import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Tag } from '@privatelink/domain';
import { nameString, z } from '@privatelink/platform';
import { batchBody } from './common.schemas';
import { StreamVersion, answer } from './consistency';
import { tagSchema } from './load-balancers.schemas';
import { jsonResponse } from './openapi-helpers';
import { PathParam, defineRoute } from './route';

export const createTagsBody = batchBody('tags', tagSchema, 'CreateTagsRequest');
export const deleteTagsBody = batchBody('tagKeys', nameString().max(256), 'DeleteTagsRequest');
export const tagsView = z.object({ tags: z.array(tagSchema) }).openapi('Tags');

/**
 * CreateTags and DeleteTags on one kind of the provider's resources: `POST` and `DELETE` of `<path>/tags`,
 * each answering the resource's tags now (`responses`: the resource's errors besides).
 */
export function tagRoutes<P extends Record<string, PathParam>>(resource: {
  name: string;
  path: string;
  params: P;
  tags: string[];
  responses: RouteConfig['responses'];
}) {
  const { name, path, params, tags, responses } = resource;
  const route = { path: `${path}/tags`, roles: ['provider' as const], tags, params };
  const answered = { 200: jsonResponse(`the ${name}’s tags now`, tagsView), ...responses };
  return {
    create: defineRoute({
      method: 'post',
      ...route,
      summary: `Create or overwrite tags on a ${name} (CreateTags): key 1–128, value 0–256, no aws: prefix, at most 50 per resource`,
      body: createTagsBody,
      responses: answered,
    }),
    delete: defineRoute({
      method: 'delete',
      ...route,
      summary: `Delete tags from a ${name} by key (DeleteTags); absent keys are ignored`,
      body: deleteTagsBody,
      responses: answered,
    }),
  };
}

/** The answer of a change of tags: the resource's tags now, and where the change wrote. */
export function tagsAnswer(result: StreamVersion & { state: { tags: Tag[] } }) {
  return answer({ tags: result.state.tags }, result);
}
