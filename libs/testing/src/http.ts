// The tests' HTTP client: supertest against a Nest application's server, every request carrying one caller's
// bearer key. A body is sent as JSON; `del` sends one only when given.
import request from 'supertest';

export interface HttpClient {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
  del(path: string, body?: unknown): request.Test;
}

/** The client of the caller holding `key` on `server` (a Nest application's `getHttpServer()`). */
export function clientAs(server: Parameters<typeof request>[0], key: string): HttpClient {
  const auth = { Authorization: `Bearer ${key}` };
  const withBody = (test: request.Test, body: unknown) => test.set(auth).send(body as object);
  return {
    get: (path) => request(server).get(path).set(auth),
    post: (path, body) => withBody(request(server).post(path), body),
    patch: (path, body) => withBody(request(server).patch(path), body),
    put: (path, body) => withBody(request(server).put(path), body),
    del: (path, body) => (body === undefined ? request(server).delete(path).set(auth) : withBody(request(server).delete(path), body)),
  };
}
