import { commandOutcomeTopic, eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { ServiceOf, ServiceWiring, defineService, registerCommandHandlers } from '@privatelink/platform';
import {
  BackfillWorkflowDeadlines1765000300000,
  CreateConnectionBrokerReadModels1764500000000,
  CreateWorkflowDeadlines1765000100000,
} from './projections/migrations';
import { BrokerViews } from './projections/broker-views';
import { QuotaPort } from './quota/quota.port';
import { QuotaDecisions, QuotaGuardQuota } from './quota/quota-guard.quota';
import { connectionCommands } from './handlers/connection-commands';
import { ConnectionWriter } from './handlers/connection-writes';
import { AcceptanceWorkflow } from './consumers/acceptance-workflow';
import { WorkflowReconciler } from './reconciler/workflow-reconciler';

export interface ConnectionBrokerOptions {
  /** Capacity for new connections: quota-guard by default (a test may pass another adapter). */
  quota: QuotaPort;
}

/**
 * connection-broker: it owns the EndpointConnection streams, decides the commands endpoint-api forwards
 * (request, accept, reject, delete, modify), and runs the acceptance workflow, a process manager driven by
 * its own events and by endpoint-api's answers, whose progress lives in the connection streams (never in
 * memory). It reads only its own tables: its views of the services and of the private DNS verifications,
 * fed from Kafka. It has no HTTP routes of its own (endpoint-api is the edge); it answers over Kafka.
 */
export const connectionBroker = defineService({
  name: 'connection-broker',
  migrations: [CreateConnectionBrokerReadModels1764500000000, CreateWorkflowDeadlines1765000100000, BackfillWorkflowDeadlines1765000300000],
  wire: ({ runtime, config, metrics, logger, clock, options }: ServiceWiring<ConnectionBrokerOptions>) => {
    const quota = options.quota ?? new QuotaGuardQuota(runtime, clock);
    metrics.ops.initializeWorkflowSeries();
    const views = new BrokerViews(runtime, clock);
    const writer = new ConnectionWriter(runtime, quota, clock, config.workflow.stepDeadlineMs, metrics.ops.workflowDuration);
    registerCommandHandlers(runtime, connectionCommands(writer, views, clock));
    const workflow = new AcceptanceWorkflow(runtime, writer, views, clock, logger);
    runtime.addConsumer('acceptance-workflow', [eventTopicFor(streamFamilies.endpointConnection)], (event) => workflow.onEvent(event));
    runtime.addRawConsumer('service-attachments', [commandOutcomeTopic], (message) => workflow.onOutcome(message));
    // quota-guard answers later, on the outcomes topic.
    if (quota instanceof QuotaGuardQuota) {
      const decisions = new QuotaDecisions(runtime, writer);
      runtime.addRawConsumer('quota-decisions', [commandOutcomeTopic], (message) => decisions.onOutcome(message));
    }
    const reconciler = new WorkflowReconciler(
      runtime,
      writer,
      views,
      clock,
      metrics,
      config.workflow,
      logger.child({ component: 'workflow-reconciler' }),
    );
    return {
      quota,
      views,
      writer,
      reconciler,
      services: views.services,
      verifications: views.verifications,
      serviceView: views.serviceView.bind(views),
      privateDnsFacts: views.privateDnsFacts.bind(views),
      recordQuotaDecision: writer.recordQuotaDecision.bind(writer),
      start: () => reconciler.start(),
      stop: () => reconciler.stop(),
    };
  },
});

/** The running connection-broker (`app.get(ConnectionBrokerCore)`). */
export const ConnectionBrokerCore = connectionBroker.token;
export type ConnectionBrokerCore = ServiceOf<typeof connectionBroker>;
/** The module; `withQuota`: the same service with another quota adapter (quota-guard's, or a test's). */
export const ConnectionBrokerModule = Object.assign(connectionBroker.module(), {
  withQuota: (quota: QuotaPort) => connectionBroker.module({ quota }),
});
