import { z } from '@privatelink/platform';

/** The service's `privateDnsNameConfiguration` (DescribeVpcEndpointServiceConfigurations' PrivateDnsNameConfiguration). */
export const privateDnsNameConfigurationView = z
  .object({
    state: z.enum(['pendingVerification', 'verified', 'failed']),
    type: z.literal('TXT'),
    name: z
      .string()
      .optional()
      .openapi({ example: '_k2p9x7a1m3qz.api.example.com', description: 'The TXT record name (absent until generated)' }),
    value: z.string().optional().openapi({ example: 'vpce:Q3xTr9KpLm2ZaB7cW1dE0f' }),
    reasonCode: z
      .string()
      .optional()
      .openapi({
        example: 'RecordNotFound',
        description:
          'The last check’s diagnostic: RecordNotFound, ValueCaseMismatch, DomainAppendedTwice, DomainNotFound, NameServersUnreachable; ' +
          'on a verified name the notes RecordAtDomain (record without the underscore label) and RecordAtParentDomain',
      }),
    reason: z.string().optional().openapi({ description: 'The diagnostic in plain language' }),
    lastCheckedAt: z.string().optional(),
    nextCheckAt: z.string().optional().openapi({ description: 'The next automatic check (backoff while pending, daily while verified)' }),
  })
  .openapi('PrivateDnsNameConfiguration');
