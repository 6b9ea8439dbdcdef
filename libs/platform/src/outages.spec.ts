import pino from 'pino';
import { Metrics } from './metrics';
import { OutageLog } from './outages';

function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const postgresDown = { kind: 'unavailable' as const, dependency: 'postgres' as const, reason: 'postgres 57P01' };

describe('the outage log', () => {
  it('a database outage is logged once however many requests it refuses, and its end once', async () => {
    const { logger, lines } = recordingLogger();
    const metrics = new Metrics();
    let back = false;
    const outages = new OutageLog(logger, metrics, async () => back, 10);
    for (let i = 0; i < 50; i++) outages.refused(postgresDown, new Error('Connection terminated unexpectedly'), `req-${i}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
    expect(outages.current()).toEqual(['postgres']);
    back = true;
    await new Promise((r) => setTimeout(r, 50));
    const info = lines.filter((l) => l.level === 30);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ dependency: 'postgres', refusedRequests: 50 });
    expect(outages.current()).toEqual([]);
    expect((await metrics.unavailableResponses.get()).values[0].value).toBe(50);
    expect((await metrics.dependencyOutages.get()).values[0].value).toBe(1);
  });

  it('a second outage after recovery is logged again', async () => {
    const { logger, lines } = recordingLogger();
    const outages = new OutageLog(logger, new Metrics(), async () => true, 5);
    outages.refused(postgresDown, new Error('down'), 'a');
    await new Promise((r) => setTimeout(r, 30));
    outages.refused(postgresDown, new Error('down again'), 'b');
    outages.stop();
    expect(lines.filter((l) => l.level === 50)).toHaveLength(2);
  });
});
