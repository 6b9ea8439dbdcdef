import pino from 'pino';
import { CommandEnvelope, commandOutcomeTopic, commandTopicFor, defineCommand, streamFamilies } from '@privatelink/contracts';
import { Decider, DomainError } from '@privatelink/domain';
import { KafkaTransport } from '@privatelink/messaging';
import {
  CommandGateway,
  commandHandler,
  defineAggregate,
  loadConfig,
  Metrics,
  ReadinessRegistry,
  registerCommandHandlers,
  ServiceRuntime,
  throwIfRefused,
} from '@privatelink/platform';
import { freshDatabase, startKafka, startPostgres, uniqueNamespace } from '@privatelink/testing';

const logger = pino({ level: 'silent' });

/** A command of the test's owner service: rename the load balancer `loadBalancer` (the command's target). */
const rename = defineCommand<'rename', { loadBalancer: string; name: string }, { name: string }>('rename', {
  service: 'owner-service',
  targetOf: (p) => p.loadBalancer,
});

type Renamed = { type: 'renamed'; name: string };
const names: Decider<{ name: string }, Renamed, string | null> = {
  initialState: null,
  evolve: (_state, event) => event.name,
  decide: ({ name }) => {
    if (name === '') throw new DomainError('InvalidParameterValue', 'name must not be empty', 'name');
    return [{ type: 'renamed', name }];
  },
};
const loadBalancers = defineAggregate(names, streamFamilies.loadBalancer);

/** A `rename` command envelope written out as the edge would queue it (so that a test can publish it itself, more than once). */
const renameEnvelope = (
  commandId: string,
  targetId: string,
  payload: Record<string, unknown>,
  context: { principal: string; correlationId: string },
): CommandEnvelope => ({
  kind: 'command',
  commandId,
  targetId,
  type: 'rename',
  schemaVersion: 1,
  payload,
  metadata: { ...context, causationId: null, occurredAt: new Date().toISOString() },
});

/**
 * Forwarded commands through the real Kafka broker: the edge queues, the owner decides once and answers,
 * the edge gets the answer. Two runtimes (two schemas) stand for two services.
 */
describe('forwarded commands', () => {
  let edge: ServiceRuntime;
  let owner: ServiceRuntime;
  let gateway: CommandGateway;
  let transport: KafkaTransport;
  const handled: string[] = [];

  beforeAll(async () => {
    const { url } = await startPostgres();
    const { brokers } = await startKafka();
    const databaseUrl = await freshDatabase(url, 'gateway');
    const config = loadConfig({
      PRIVATELINK_DATABASE_URL: databaseUrl,
      PRIVATELINK_KAFKA_BROKERS: brokers.join(','),
      PRIVATELINK_DB_POOL_SIZE: '4',
    });
    transport = new KafkaTransport({ brokers, clientId: 'gateway-test', namespace: uniqueNamespace('gateway'), logger });
    const deps = { config, transport, metrics: new Metrics(), readiness: new ReadinessRegistry(), logger };
    edge = await ServiceRuntime.open({ ...deps, service: 'edge-service' });
    owner = await ServiceRuntime.open({ ...deps, service: 'owner-service' });
    registerCommandHandlers(owner, [
      commandHandler(rename, async ({ name }, { tx, command, context }) => {
        const written = await owner.handle(loadBalancers, command.targetId, { name }, context, { tx });
        handled.push(command.commandId);
        return { name: written.state! };
      }),
    ]);
    gateway = new CommandGateway(edge, transport);
    await gateway.start();
    await edge.start();
    await owner.start();
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await edge?.stop();
    await owner?.stop();
    await transport?.close();
  });

  const ctx = { principal: 'arn:aws:iam::111122223333:root', correlationId: 'corr-1' };

  it('the owner decides and the edge receives its result', async () => {
    const outcome = await gateway.send(rename, { loadBalancer: 'lb-1', name: 'first' }, ctx, 20_000);
    expect(outcome).toMatchObject({ ok: true, result: { name: 'first' }, targetId: 'lb-1' });
    const events = await owner.store.readStream('load-balancer-lb-1');
    expect(events.map((e) => e.type)).toEqual(['renamed']);
    expect(events[0].metadata).toMatchObject({ correlationId: 'corr-1', causationId: outcome!.commandId });
  });

  it('a refusal by a rule comes back as the owner’s DomainError', async () => {
    const outcome = await gateway.send(rename, { loadBalancer: 'lb-2', name: '' }, ctx, 20_000);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue', field: 'name' } });
    expect(() => throwIfRefused(outcome)).toThrow(DomainError);
    expect(await owner.store.readStream('load-balancer-lb-2')).toEqual([]);
  });

  it('a command delivered twice acts once', async () => {
    const command = renameEnvelope('00000000-0000-4000-8000-00000000abcd', 'lb-3', { name: 'once' }, ctx);
    await transport.publish([{ topic: commandTopicFor('owner-service'), key: 'lb-3', value: command }]);
    await transport.publish([{ topic: commandTopicFor('owner-service'), key: 'lb-3', value: command }]);
    const deadline = Date.now() + 20_000;
    while (!handled.includes(command.commandId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(handled.filter((id) => id === command.commandId)).toHaveLength(1);
    expect((await owner.store.readStream('load-balancer-lb-3')).map((e) => e.type)).toEqual(['renamed']);
  });

  it('a command sent again after it was carried out is answered again with the first outcome, not carried out again', async () => {
    const outcomes: Array<{ commandId: string; ok: boolean; result?: Record<string, unknown> }> = [];
    const listener = await transport.subscribe({
      groupId: `outcome-listener-${Date.now()}`,
      topics: [commandOutcomeTopic],
      fromBeginning: true,
      handler: async (m) => void outcomes.push(m.value as never),
    });
    const command = renameEnvelope('00000000-0000-4000-8000-00000000beef', 'lb-5', { name: 'answered-twice' }, ctx);
    const ours = () => outcomes.filter((o) => o.commandId === command.commandId);
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while (ours().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await transport.publish([{ topic: commandTopicFor('owner-service'), key: 'lb-5', value: command }]);
      await waitFor(1);
      await transport.publish([{ topic: commandTopicFor('owner-service'), key: 'lb-5', value: command }]);
      await waitFor(2);
    } finally {
      await listener.close();
    }
    expect(ours()).toHaveLength(2);
    expect(ours().map((o) => [o.ok, o.result])).toEqual([
      [true, { name: 'answered-twice' }],
      [true, { name: 'answered-twice' }],
    ]);
    expect(handled.filter((id) => id === command.commandId)).toHaveLength(1);
    expect((await owner.store.readStream('load-balancer-lb-5')).map((e) => e.type)).toEqual(['renamed']);
  });

  it('no answer in time is "not known yet", and the command is still carried out', async () => {
    const outcome = await gateway.send(rename, { loadBalancer: 'lb-4', name: 'slow' }, ctx, 1);
    expect(outcome).toBeUndefined();
    const deadline = Date.now() + 20_000;
    while ((await owner.store.readStream('load-balancer-lb-4')).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await owner.store.readStream('load-balancer-lb-4')).map((e) => e.type)).toEqual(['renamed']);
  });
});

/** The same command of another owner, whose command topic gets a backlog before the owner starts. */
const renameLater = defineCommand<'rename', { loadBalancer: string; name: string }, { name: string }>('rename', {
  service: 'backlog-owner',
  targetOf: (p) => p.loadBalancer,
});

describe('forwarded commands waiting in a backlog', () => {
  let owner: ServiceRuntime;
  let transport: KafkaTransport;
  const handled: Array<{ commandId: string; tx: string }> = [];

  beforeAll(async () => {
    const { url } = await startPostgres();
    const { brokers } = await startKafka();
    const config = loadConfig({
      PRIVATELINK_DATABASE_URL: await freshDatabase(url, 'gateway-backlog'),
      PRIVATELINK_KAFKA_BROKERS: brokers.join(','),
      PRIVATELINK_DB_POOL_SIZE: '4',
    });
    transport = new KafkaTransport({ brokers, clientId: 'gateway-backlog', namespace: uniqueNamespace('gateway-backlog'), logger });
    owner = await ServiceRuntime.open({
      config,
      transport,
      metrics: new Metrics(),
      readiness: new ReadinessRegistry(),
      logger,
      service: 'backlog-owner',
    });
    registerCommandHandlers(owner, [
      commandHandler(renameLater, async ({ name }, { tx, command, context }) => {
        const written = await owner.handle(loadBalancers, command.targetId, { name }, context, { tx });
        const [{ id }] = await tx.query('SELECT txid_current()::text AS id');
        handled.push({ commandId: command.commandId, tx: id });
        return { name: written.state! };
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await owner?.stop();
    await transport?.close();
  });

  it('carries out what waits on a partition in one transaction, in order, each command once, a refusal answered without an event', async () => {
    const ctx = { principal: 'arn:aws:iam::111122223333:root', correlationId: 'backlog' };
    const command = (n: number, name: string) =>
      renameEnvelope(
        `00000000-0000-4000-8000-0000000b${String(n).padStart(4, '0')}`,
        'lb-backlog',
        { loadBalancer: 'lb-backlog', name },
        ctx,
      );
    const commands = [command(1, 'n1'), command(2, 'n2'), command(3, ''), command(4, 'n4'), command(2, 'n2'), command(5, 'n5')];
    await transport.publish(commands.map((value) => ({ topic: commandTopicFor('backlog-owner'), key: 'lb-backlog', value })));
    await owner.start();
    const deadline = Date.now() + 30_000;
    while (handled.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    // n1, n2, n4, n5 each once (the second n2 is the same command id); the empty name refused, no event.
    expect(handled.map((h) => h.commandId.slice(-4))).toEqual(['0001', '0002', '0004', '0005']);
    expect((await owner.store.readStream('load-balancer-lb-backlog')).map((e) => (e.payload as { name: string }).name)).toEqual([
      'n1',
      'n2',
      'n4',
      'n5',
    ]);
    expect(new Set(handled.map((h) => h.tx)).size).toBeLessThan(handled.length);
    const kept: Array<{ id: string; ok: boolean }> = await owner.db.query(
      `SELECT command_id AS id, (outcome->>'ok')::boolean AS ok FROM msg_command_outcomes ORDER BY command_id`,
    );
    expect(kept.map((k) => [k.id.slice(-4), k.ok])).toEqual([
      ['0001', true],
      ['0002', true],
      ['0003', false],
      ['0004', true],
      ['0005', true],
    ]);
  });
});
