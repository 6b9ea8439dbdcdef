import { AddressInfo } from 'node:net';
import { HttpFront } from './lifecycle';

/** The process's listener through start-up, serving and shutdown (real sockets on loopback). */
describe('the HTTP front of a process', () => {
  const get = (front: HttpFront, path: string) => fetch(`http://127.0.0.1:${(front.server.address() as AddressInfo).port}${path}`);

  it('while starting: liveness 200, readiness 503, the API 503 with Retry-After', async () => {
    const front = new HttpFront();
    await front.listen(0, '127.0.0.1');
    try {
      expect(front.phase).toBe('starting');
      const live = await get(front, '/health/live');
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'live', phase: 'starting' });
      expect((await get(front, '/health/ready')).status).toBe(503);
      const api = await get(front, '/v1/provider/load-balancers');
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('1');
      expect(await api.json()).toMatchObject({ code: 'Unavailable', requestId: expect.any(String) });
    } finally {
      await front.drain(0);
    }
  });

  it('once serving, every request goes to the application', async () => {
    const front = new HttpFront();
    await front.listen(0, '127.0.0.1');
    front.serve((req, res) => res.end(`app:${req.url}`));
    try {
      expect(await (await get(front, '/health/ready')).text()).toBe('app:/health/ready');
    } finally {
      await front.drain(0);
    }
  });

  it('on stop: readiness 503 at once, new requests 503, a request in flight finishes, then the listener closes', async () => {
    const front = new HttpFront();
    await front.listen(0, '127.0.0.1');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    front.serve((req, res) => {
      if (req.url === '/slow') void held.then(() => res.end('finished'));
      else res.end('app');
    });
    const port = (front.server.address() as AddressInfo).port;
    const slow = get(front, '/slow');
    await new Promise((r) => setTimeout(r, 100)); // the slow request is in flight
    const drained = front.drain(30_000);
    expect(front.phase).toBe('stopping');
    const ready = await get(front, '/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'stopping' });
    expect((await get(front, '/health/live')).status).toBe(200);
    expect((await get(front, '/v1/anything')).status).toBe(503);
    release();
    expect(await (await slow).text()).toBe('finished');
    expect(await drained).toEqual({ unfinished: 0 });
    expect(front.phase).toBe('stopped');
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('a request that outlasts the drain time is cut off, and counted', async () => {
    const front = new HttpFront();
    await front.listen(0, '127.0.0.1');
    front.serve(() => undefined); // never answers
    const hanging = get(front, '/hang').catch(() => 'cut');
    await new Promise((r) => setTimeout(r, 100));
    expect(await front.drain(200)).toEqual({ unfinished: 1 });
    expect(await hanging).toBe('cut');
  });
});
