import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { MessageTransport } from '@privatelink/contracts';
import { DomainError } from '@privatelink/domain';
import { DeadLetterView } from '@privatelink/messaging';
import { PageTokens, PLATFORM_CONFIG, PlatformConfig, Roles, TRANSPORT, parseMaxResults, registerRoute, z } from '@privatelink/platform';
import { EndpointApiCore } from '../endpoint-api.core';
import { errorResponse, jsonResponse } from './openapi-helpers';
import { parseBody } from './validation';

const STATES = ['pending', 'replayed'] as const;

export const deadLetterView = z
  .object({
    deadLetterId: z.string().uuid(),
    topic: z.string().openapi({
      description: 'The topic the message came from (it is replayed to it)',
      example: 'privatelink.endpoint-connection.events',
    }),
    consumerGroup: z
      .string()
      .openapi({ description: 'The consumer group that gave up on it (the replay is for it alone)', example: 'quota-guard.usage' }),
    messageKey: z.string(),
    messageId: z.string().nullable().openapi({ description: 'The event id, or command id, of the message' }),
    messageType: z.string().nullable().openapi({ description: 'The event or command type', example: 'EndpointConnectionRequested' }),
    error: z.object({ name: z.string(), message: z.string() }).openapi({ description: 'The error of the last try' }),
    attempts: z.number().int(),
    firstFailedAt: z.string().datetime(),
    lastFailedAt: z.string().datetime(),
    state: z.enum(STATES),
    replayedAt: z.string().datetime().optional(),
  })
  .openapi('DeadLetter');

const replayBody = z
  .object({})
  .strict()
  .openapi('DeadLetterReplay', { description: 'No fields: the dead letter is replayed as it was recorded' });

const listQuery = z.object({
  state: z.enum(STATES).optional(),
  topic: z.string().min(1).max(249).optional(),
  maxResults: z.string().optional(),
  nextToken: z.string().optional(),
});

registerRoute({
  method: 'get',
  path: '/v1/ops/dead-letters',
  tags: ['ops'],
  summary:
    'Messages a consumer gave up on because they fail deterministically (undecodable, or a rule they can never pass), from every service, oldest first. An unavailable database or broker never makes a dead letter: consumers wait for it.',
  request: { query: listQuery },
  responses: {
    200: jsonResponse(
      'a page',
      z.object({ deadLetters: z.array(deadLetterView), nextToken: z.string().optional() }).openapi('DeadLetterPage'),
    ),
    400: errorResponse('InvalidParameterValue (state, topic, maxResults) or InvalidPaginationToken'),
  },
});
registerRoute({
  method: 'post',
  path: '/v1/ops/dead-letters/{deadLetterId}:replay',
  tags: ['ops'],
  summary:
    'Re-publish a dead letter’s original message, with its headers, to its topic for its consumer group only; a dead letter is replayed once (when the answer is 503 it stays pending)',
  request: {
    params: z.object({ deadLetterId: z.string() }),
    body: { required: false, content: { 'application/json': { schema: replayBody } } },
  },
  responses: {
    202: jsonResponse(
      're-published; the consumer handles it (a failure makes a new dead letter)',
      z.object({ deadLetter: deadLetterView }),
    ),
    404: errorResponse('InvalidDeadLetterId.NotFound'),
    409: errorResponse('IncorrectState: already replayed, or the message cannot be decoded'),
  },
});

/**
 * Dead letters of every service, read from the shared ops table (each service's consumers write their own
 * there); a replay publishes through this process's transport, marked for the one consumer group.
 */
@Controller('v1/ops/dead-letters')
@Roles('ops')
export class DeadLettersController {
  private readonly tokens: PageTokens;

  constructor(
    private readonly core: EndpointApiCore,
    @Inject(TRANSPORT) private readonly transport: MessageTransport,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.tokens = new PageTokens(config.paginationSecret);
  }

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<{ deadLetters: DeadLetterView[]; nextToken?: string }> {
    const { state, topic, nextToken } = parseBody(listQuery, {
      state: query.state,
      topic: query.topic,
      maxResults: query.maxResults,
      nextToken: query.nextToken,
    });
    const maxResults = parseMaxResults(query.maxResults);
    const fingerprint = JSON.stringify(['dead-letters', state ?? null, topic ?? null]);
    const afterSeq = this.tokens.decode(nextToken, fingerprint) ?? undefined;
    const rows = await this.core.runtime.deadLetters.list({ state, topic, afterSeq, limit: maxResults + 1 });
    const page = rows.slice(0, maxResults);
    return {
      deadLetters: page.map((r) => r.deadLetter),
      nextToken: rows.length > maxResults ? this.tokens.encode(page[page.length - 1].seq, fingerprint) : undefined,
    };
  }

  @Post(':deadLetterId\\:replay')
  @HttpCode(202)
  async replay(@Param('deadLetterId') deadLetterId: string, @Body() body: unknown): Promise<{ deadLetter: DeadLetterView }> {
    parseBody(replayBody, body);
    const result = await this.core.runtime.deadLetters.replay(deadLetterId, (message) => this.transport.publish([message]));
    switch (result.outcome) {
      case 'replayed':
        return { deadLetter: result.deadLetter };
      case 'not-found':
        throw new DomainError('InvalidDeadLetterId.NotFound', `dead letter ${deadLetterId} does not exist`, 'deadLetterId');
      case 'already-replayed':
        throw new DomainError(
          'IncorrectState',
          `dead letter ${deadLetterId} was already replayed at ${result.deadLetter.replayedAt}; a dead letter is replayed once`,
          'deadLetterId',
          {
            replayedAt: result.deadLetter.replayedAt,
          },
        );
      case 'undecodable':
        throw new DomainError(
          'IncorrectState',
          `dead letter ${deadLetterId} cannot be replayed: its message could not be decoded, so it would fail again`,
          'deadLetterId',
        );
    }
  }
}
