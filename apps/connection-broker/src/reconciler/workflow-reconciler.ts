import { EndpointConnectionCommand, pendingStepOf } from '@privatelink/domain';
import { Clock, Logger, PolledJob, Store, WorkflowConfig } from '@privatelink/platform';
import { ConnectionWriter } from '../handlers/connection-writes';
import { BrokerViews } from '../projections/broker-views';

type StepCounter = { inc(labels: { step: string }): void };

/** Connections looked at per round. */
const BATCH = 200;

/**
 * No workflow stays stuck: every connection waiting on a step has a deadline in `cb_workflow_deadlines`
 * (set in the transaction that recorded the step). Once it passes, by the service's clock, the reconciler
 * decides `reconcileStep` on the connection's stream: the step's command is sent again with its own id (the
 * owner acts once and answers again), or after `stepTries` sends the step is abandoned: a pending request
 * fails with InternalFailure and gives back what it holds, a deleting endpoint goes on to deleted. The
 * broker's own checks (`evaluate`) are simply run again. The truth is the table and the stream, so the loop
 * only looks every `reconcilerPollMs`, a restarted broker resumes where the table says, and several
 * instances share the work (a due row is locked by the one reconciling it; the others skip it).
 */
export class WorkflowReconciler extends PolledJob {
  constructor(
    private readonly store: Store,
    private readonly writer: ConnectionWriter,
    private readonly views: BrokerViews,
    private readonly clock: Clock,
    private readonly counters: { workflowStepsRetried: StepCounter; workflowStepsAbandoned: StepCounter },
    private readonly options: WorkflowConfig,
    private readonly logger: Logger,
  ) {
    super(options.reconcilerPollMs, logger, 'reconciling workflow deadlines');
  }

  /** Reconciles every connection whose step is due now; resolves with how many it decided on. */
  protected async round(): Promise<number> {
    const now = this.clock();
    const rows: Array<{ vpc_endpoint_id: string }> = await this.store.db.query(
      `SELECT vpc_endpoint_id FROM cb_workflow_deadlines WHERE due_at <= $1 ORDER BY due_at LIMIT $2`,
      [now.toISOString(), BATCH],
    );
    let decided = 0;
    for (const { vpc_endpoint_id: id } of rows) {
      if (this.loop.stopping) break;
      try {
        if (await this.reconcile(id, now)) decided += 1;
      } catch (error) {
        // One connection that cannot be decided must not hold the others up: look at it again later.
        this.logger.error({ err: error, vpcEndpointId: id }, 'reconciling a connection failed; it is due again after its deadline');
        await this.postpone(id).catch(() => undefined);
      }
    }
    if (decided > 0) this.store.notifyAppended();
    return decided;
  }

  private async reconcile(vpcEndpointId: string, now: Date): Promise<boolean> {
    const context = this.store.reaction(`connection:${vpcEndpointId}`, `deadline:${vpcEndpointId}`);
    return this.store.transact(async (tx) => {
      // Still due, and not being reconciled by another instance (that one moves the deadline on commit).
      const due = await tx.query(
        `SELECT step FROM cb_workflow_deadlines WHERE vpc_endpoint_id = $1 AND due_at <= $2 FOR UPDATE SKIP LOCKED`,
        [vpcEndpointId, now.toISOString()],
      );
      if (due.length === 0) return false;
      // The broker's checks of a request wait for nothing here: the view had a whole deadline to catch up.
      const written = await this.writer.write(
        tx,
        vpcEndpointId,
        async (state): Promise<EndpointConnectionCommand | null> => {
          const step = pendingStepOf(state);
          if (step === null) return null;
          if (step === 'evaluate') return this.views.evaluationOf(state!.serviceId, state!.observedServiceVersion ?? 0, 0);
          return { type: 'reconcileStep', step, maxTries: this.options.stepTries, now: now.toISOString() };
        },
        context,
      );
      // Nothing decided (the step ended meanwhile): the deadline follows the state as it is.
      if (written.events.length === 0) await this.writer.trackDeadline(tx, vpcEndpointId, written.state);
      for (const e of written.events) {
        if (e.type === 'connectionStepRetried') {
          this.counters.workflowStepsRetried.inc({ step: e.step });
          this.logger.warn({ vpcEndpointId, step: e.step, attempt: e.attempt }, 'workflow step past its deadline: sent again');
        }
        if (e.type === 'connectionStepAbandoned') {
          this.counters.workflowStepsAbandoned.inc({ step: e.step });
          this.logger.error(
            { vpcEndpointId, step: e.step, tries: e.tries, vpcEndpointState: written.state?.vpcEndpointState },
            'workflow step abandoned after its last try',
          );
        }
      }
      return true;
    });
  }

  private async postpone(vpcEndpointId: string): Promise<void> {
    const dueAt = new Date(this.clock().getTime() + this.options.stepDeadlineMs).toISOString();
    await this.store.db.query(`UPDATE cb_workflow_deadlines SET due_at = $2 WHERE vpc_endpoint_id = $1`, [vpcEndpointId, dueAt]);
  }
}
