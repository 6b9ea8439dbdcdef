import { ConnectionBatchResult, ConnectionItemResult, connectionBrokerCommands } from '@privatelink/contracts';
import { EndpointConnectionCommand, EndpointConnectionState, connectionServiceFactsOf, isDomainError } from '@privatelink/domain';
import { Clock, CommandHandler, commandHandler } from '@privatelink/platform';
import { BrokerViews } from '../projections/broker-views';
import { ConnectionWrite, ConnectionWriter } from './connection-writes';

/**
 * The commands endpoint-api forwards, decided here, each once (registerCommandHandlers records the command
 * id with its effect and answers in the same transaction). A batch decides every endpoint on its own
 * (its own savepoint, in id order so two batches never wait on each other in a cycle) and answers, like
 * AcceptVpcEndpointConnections, the ones that failed and why.
 */
export function connectionCommands(writer: ConnectionWriter, views: BrokerViews, clock: Clock): CommandHandler[] {
  const now = () => clock().toISOString();
  return [
    commandHandler(connectionBrokerCommands.requestConnection, async (p, { tx, context }) => {
      const written = await writer.write(
        tx,
        p.vpcEndpointId,
        (): EndpointConnectionCommand => ({
          type: 'requestConnection',
          vpcEndpointId: p.vpcEndpointId,
          dnsSuffix: p.dnsSuffix,
          requesterPrincipal: p.requesterPrincipal,
          input: p.input,
          service: p.service,
          observedServiceVersion: p.observedServiceVersion,
          now: p.now,
        }),
        context,
      );
      return itemOf(written);
    }),

    commandHandler(connectionBrokerCommands.acceptConnections, async (p, { tx, context }) => {
      return batch(p.vpcEndpointIds, (id) =>
        writer.write(
          tx,
          id,
          async () => ({
            type: 'acceptConnection',
            serviceId: p.serviceId,
            providerAccountId: p.providerAccountId,
            dns: await views.privateDnsFacts(await views.serviceView(p.serviceId, tx), tx),
            now: now(),
          }),
          context,
        ),
      );
    }),

    commandHandler(connectionBrokerCommands.rejectConnections, async (p, { tx, context }) => {
      return batch(p.vpcEndpointIds, (id) =>
        writer.write(
          tx,
          id,
          () => ({ type: 'rejectConnection', serviceId: p.serviceId, providerAccountId: p.providerAccountId, now: now() }),
          context,
        ),
      );
    }),

    commandHandler(connectionBrokerCommands.deleteEndpoints, async (p, { tx, context }) => {
      return batch(p.vpcEndpointIds, (id) =>
        writer.write(tx, id, () => ({ type: 'deleteEndpoint', ownerAccountId: p.ownerAccountId, now: now() }), context),
      );
    }),

    commandHandler(connectionBrokerCommands.modifyEndpoint, async (p, { tx, context }) => {
      // Checked on the view of the service the edge saw (bounded wait): a zone just added is not refused.
      if (p.serviceId && p.observedServiceVersion)
        await views.serviceViewReaches(p.serviceId, p.observedServiceVersion, MODIFY_VIEW_WAIT_MS);
      const written = await writer.write(
        tx,
        p.vpcEndpointId,
        async (state: EndpointConnectionState | null) => {
          const service = state ? await views.serviceView(state.serviceId, tx) : null;
          return {
            type: 'modifyEndpoint',
            ownerAccountId: p.ownerAccountId,
            changes: p.changes,
            service: service ? connectionServiceFactsOf(service) : null,
            dns: await views.privateDnsFacts(service, tx),
            now: now(),
          };
        },
        context,
      );
      return itemOf(written);
    }),
  ];
}

/** How long a modification waits for the view of its service to reach the version the edge saw. */
const MODIFY_VIEW_WAIT_MS = 5_000;

function itemOf(written: ConnectionWrite): ConnectionItemResult {
  return { vpcEndpointId: written.vpcEndpointId, version: written.version, endpoint: written.state! };
}

async function batch(ids: string[], decideOne: (vpcEndpointId: string) => Promise<ConnectionWrite>): Promise<ConnectionBatchResult> {
  const result: ConnectionBatchResult = { succeeded: [], unsuccessful: [] };
  for (const id of [...new Set(ids)].sort()) {
    try {
      result.succeeded.push(itemOf(await decideOne(id)));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result.unsuccessful.push({ resourceId: id, error: { code: error.code, message: error.message } });
    }
  }
  return result;
}
