import request from 'supertest';
import { TestApi, useApi } from './support';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every `$ref` in the document, with where it was found. */
function refsOf(node: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(node)) return node.flatMap((n, i) => refsOf(n, `${at}/${i}`));
  if (node && typeof node === 'object') {
    return Object.entries(node as Json).flatMap(([k, v]) =>
      k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refsOf(v, `${at}/${k}`),
    );
  }
  return [];
}

/** Resolves a local JSON pointer (`#/components/schemas/Error`) in the document. */
function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

/** The HTTP routes the application really serves under /v1, as `METHOD /path/{param}`. */
function servedRoutes(api: TestApi): string[] {
  const express = api.host.app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)!.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
  return stack
    .filter((layer) => layer.route && layer.route.path.startsWith('/v1/'))
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map(
        (m) => `${m.toUpperCase()} ${layer.route!.path.replace(/\\:/g, ':').replace(/\/:([A-Za-z]+)/g, '/{$1}')}`,
      ),
    )
    .sort();
}

describe('the served OpenAPI document', () => {
  const api = useApi('openapi');
  let doc: Json;

  beforeAll(async () => {
    doc = (await request(api.host.app.getHttpServer()).get('/openapi.json').expect(200)).body;
  }, 120_000);

  const operations = () =>
    Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] as Json })),
    );

  it('is an OpenAPI 3.0 document with info, paths and the bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths as Json).length).toBeGreaterThan(10);
    expect(resolve(doc, '#/components/securitySchemes/apiKey')).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents every /v1 route the application serves, and no route it does not serve', () => {
    const documented = operations()
      .filter((o) => o.path.startsWith('/v1/'))
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect(documented).toEqual(servedRoutes(api));
  });

  it('every operation has a summary, a success response and the error responses, each with a description', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const responses = op.responses as Record<string, Json>;
      expect({ where, summary: typeof op.summary }).toEqual({ where, summary: 'string' });
      expect({ where, success: Object.keys(responses).some((s) => /^2\d\d$/.test(s)) }).toEqual({ where, success: true });
      for (const [status, response] of Object.entries(responses)) {
        expect({ where, status, description: typeof response.description }).toEqual({ where, status, description: 'string' });
      }
      if (path.startsWith('/v1/')) {
        for (const status of ['400', '401', '403', '500'])
          expect({ where, status, has: status in responses }).toEqual({ where, status, has: true });
      }
    }
  });

  it('every error response has the one error shape {code, message, requestId}', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const schema = ((response.content as Json)?.['application/json'] as Json)?.schema as Json | undefined;
        const target = (schema?.$ref ? resolve(doc, schema.$ref as string) : schema) as Json | undefined;
        expect({ where: `${method} ${path} ${status}`, required: (target?.required as string[] | undefined)?.sort() }).toEqual({
          where: `${method} ${path} ${status}`,
          required: ['code', 'message', 'requestId'],
        });
      }
    }
  });

  it('every {param} of a path is declared as a required path parameter, and only those', () => {
    for (const { path, method, op } of operations()) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path');
      expect({ where: `${method} ${path}`, params: declared.map((p) => p.name).sort() }).toEqual({
        where: `${method} ${path}`,
        params: inPath,
      });
      for (const p of declared) expect(p.required).toBe(true);
    }
  });

  it('every POST, PUT and PATCH documents a JSON request body with a schema', () => {
    const writes = operations().filter((o) => o.method === 'post' || o.method === 'put' || o.method === 'patch');
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const { path, method, op } of writes)
      expect({ where: `${method} ${path}`, body: !!op.requestBody }).toEqual({ where: `${method} ${path}`, body: true });
    for (const { path, method, op } of operations().filter((o) => o.op.requestBody)) {
      const schema = (((op.requestBody as Json).content as Json)['application/json'] as Json)?.schema;
      expect({ where: `${method} ${path}`, hasSchema: !!schema }).toEqual({ where: `${method} ${path}`, hasSchema: true });
    }
    // DELETEs that take a body (permissions, tags) document it too.
    expect((doc.paths as Record<string, Json>)['/v1/provider/endpoint-services/{serviceId}/permissions'].delete).toHaveProperty(
      'requestBody',
    );
    expect((doc.paths as Record<string, Json>)['/v1/provider/endpoint-services/{serviceId}/tags'].delete).toHaveProperty('requestBody');
  });

  it('every $ref resolves inside the document', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const { ref, at } of refs) expect({ ref, at, resolved: resolve(doc, ref) !== undefined }).toEqual({ ref, at, resolved: true });
  });

  it('the JSON document of the docs page is the same document', async () => {
    const fromDocs = await request(api.host.app.getHttpServer()).get('/docs/openapi.json').expect(200);
    expect(Object.keys(fromDocs.body.paths).sort()).toEqual(Object.keys(doc.paths as Json).sort());
  });
});
