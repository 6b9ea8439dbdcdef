import { Pool } from 'pg';
import { openTestEventStore, TestEventStore } from './support';

describe('a pooled connection whose server goes away (real Postgres)', () => {
  let opened: TestEventStore;
  beforeAll(async () => {
    opened = await openTestEventStore('lost-connection', 'lost_connection', 2);
  });
  afterAll(() => opened?.db.destroy());

  it('a connection terminated while checked out does not end the process, and the pool goes on', async () => {
    const pool = (opened.db.driver as unknown as { master: Pool }).master;
    const client = await pool.connect(); // checked out: pg-pool has taken its own error listener off
    // Without a listener, the 'error' event the termination emits is thrown as an uncaught exception.
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    await opened.db.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    const [{ one }] = await opened.db.query('SELECT 1 AS one');
    expect(one).toBe(1);
  });
});
