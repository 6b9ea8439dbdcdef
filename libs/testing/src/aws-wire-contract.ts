// The wire APIs' contract with botocore: the full service models as botocore ships them (the venv
// scripts/infra/moto.sh installs holds botocore, with the awscli), and a check that an XML answer has only
// elements the model has, each with a value of its member's type. Integration tests pass every answer through it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { infraScript, run } from './infra';

export interface BotocoreShapeRef {
  shape: string;
  locationName?: string;
  flattened?: boolean;
}

export interface BotocoreShape {
  type: string;
  members?: Record<string, BotocoreShapeRef>;
  member?: BotocoreShapeRef;
  key?: BotocoreShapeRef;
  value?: BotocoreShapeRef;
  enum?: string[];
  flattened?: boolean;
}

export interface BotocoreModel {
  version: string;
  metadata: { apiVersion: string; protocol: string; xmlNamespace: string; endpointPrefix: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string; resultWrapper?: string } }>;
  shapes: Record<string, BotocoreShape>;
}

const DIRS = { ec2: 'ec2/2016-11-15', elbv2: 'elbv2/2015-12-01' } as const;
let dataDir: Promise<{ dir: string; version: string }> | undefined;
const models = new Map<string, BotocoreModel>();

/** botocore's service-2.json of `service`, read from the venv's botocore package. */
export async function botocoreModel(service: keyof typeof DIRS): Promise<BotocoreModel> {
  dataDir ??= (async () => {
    const venv = await infraScript('moto', 'venv');
    const { stdout } = await run(join(venv, 'bin', 'python'), [
      '-c',
      'import botocore, os; print(os.path.dirname(botocore.__file__)); print(botocore.__version__)',
    ]);
    const [dir, version] = stdout.trim().split('\n');
    return { dir: join(dir, 'data'), version };
  })();
  const { dir, version } = await dataDir;
  const cached = models.get(service);
  if (cached) return cached;
  const model = {
    ...JSON.parse(gunzipSync(readFileSync(join(dir, DIRS[service], 'service-2.json.gz'))).toString('utf8')),
    version,
  } as BotocoreModel;
  models.set(service, model);
  return model;
}

/** An XML element: its name, attributes, child elements and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' ? `0${e.slice(1)}` : e.slice(1))) : ENTITIES[e],
  );

/** A strict little XML reader (no CDATA, no DTD: the wire answers use neither); throws on malformed XML. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const text = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const fail = (why: string) => new Error(`malformed XML at ${i}: ${why}: …${text.slice(Math.max(0, i - 40), i + 40)}…`);
  function element(): XmlElement {
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/.exec(text.slice(i));
    if (!open) throw fail('expected an element');
    i += open[0].length;
    const attributes: Record<string, string> = {};
    for (const a of open[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) attributes[a[1]] = decode(a[2]);
    const el: XmlElement = { name: open[1], attributes, children: [], text: '' };
    if (open[3]) return el;
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt < 0) throw fail(`unclosed <${el.name}>`);
      el.text += decode(text.slice(i, lt));
      i = lt;
      if (text.startsWith(`</${el.name}>`, i)) {
        i += el.name.length + 3;
        return el;
      }
      if (text.startsWith('</', i)) throw fail(`</${el.name}> expected`);
      el.children.push(element());
    }
  }
  const root = element();
  if (text.slice(i).trim() !== '') throw fail('text after the root element');
  return root;
}

export interface ContractReport {
  problems: string[];
  /** How many elements were checked against a member of the model. */
  checked: number;
}

/**
 * Checks an answer of `operation` against botocore's model: the envelope (EC2: `<XxxResponse xmlns>` with
 * `requestId`; query: `<XxxResult>` and `<ResponseMetadata><RequestId>`), then every element is a member of its
 * shape (by `locationName`, else the member name), lists hold their member's element, scalars have their type.
 */
export function checkAgainstModel(model: BotocoreModel, operation: string, xml: string): ContractReport {
  const report: ContractReport = { problems: [], checked: 0 };
  const op = model.operations[operation];
  if (!op) return { problems: [`the model has no operation ${operation}`], checked: 0 };
  const root = parseXml(xml);
  const problem = (path: string, why: string) => report.problems.push(`${path}: ${why}`);
  if (root.name !== `${operation}Response`) problem(root.name, `the root element must be ${operation}Response`);
  const ns = model.metadata.xmlNamespace.replace(/\/?$/, '/');
  if (root.attributes.xmlns !== ns) problem(root.name, `xmlns must be ${ns}, is ${root.attributes.xmlns}`);

  const walk = (ref: BotocoreShapeRef, el: XmlElement, path: string) => {
    const shape = model.shapes[ref.shape];
    report.checked++;
    switch (shape.type) {
      case 'structure':
        return structure(ref.shape, el.children, path);
      case 'list': {
        const item = shape.member!.locationName ?? 'member';
        el.children.forEach((c, n) =>
          c.name === item
            ? walk(shape.member!, c, `${path}/${item}[${n}]`)
            : problem(`${path}/${c.name}`, `a ${ref.shape} list holds <${item}> elements`),
        );
        return;
      }
      case 'map':
        for (const entry of el.children) {
          const k = entry.children.find((c) => c.name === (shape.key!.locationName ?? 'key'));
          const v = entry.children.find((c) => c.name === (shape.value!.locationName ?? 'value'));
          if (entry.name !== 'entry' || !k || !v) problem(`${path}/${entry.name}`, 'a map holds <entry><key/><value/></entry>');
          else walk(shape.value!, v, `${path}/entry`);
        }
        return;
      default:
        if (el.children.length) problem(path, `a ${shape.type} has no child elements`);
        if (!scalarOk(shape, el.text))
          problem(path, `"${el.text}" is not a ${shape.type}${shape.enum ? ` of ${shape.enum.join('|')}` : ''}`);
    }
  };
  const structure = (shapeName: string, children: XmlElement[], path: string) => {
    const members = Object.entries(model.shapes[shapeName].members ?? {});
    for (const c of children) {
      const found = members.find(([name, ref]) => (ref.locationName ?? name) === c.name);
      if (!found) problem(`${path}/${c.name}`, `${shapeName} has no member serialised as <${c.name}>`);
      else walk(found[1], c, `${path}/${c.name}`);
    }
  };

  if (model.metadata.protocol === 'ec2') {
    const [first, ...rest] = root.children;
    if (first?.name !== 'requestId' || first.text === '') problem(root.name, 'the first child must be a non-empty <requestId>');
    if (op.output) structure(op.output.shape, rest, root.name);
    else if (rest.length !== 1 || rest[0].name !== 'return') problem(root.name, 'an action without output answers <return>');
  } else {
    const result = root.children.find((c) => c.name === op.output?.resultWrapper);
    const meta = root.children.find((c) => c.name === 'ResponseMetadata');
    if (op.output?.resultWrapper && !result) problem(root.name, `no <${op.output.resultWrapper}>`);
    if (!meta?.children.find((c) => c.name === 'RequestId' && c.text !== '')) problem(root.name, 'no <ResponseMetadata><RequestId>');
    if (result && op.output) structure(op.output.shape, result.children, `${root.name}/${result.name}`);
  }
  return report;
}

function scalarOk(shape: BotocoreShape, text: string): boolean {
  switch (shape.type) {
    case 'string':
      return !shape.enum || shape.enum.some((v) => v.toLowerCase() === text.toLowerCase());
    case 'boolean':
      return text === 'true' || text === 'false';
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(text);
    case 'double':
    case 'float':
      return text.trim() !== '' && Number.isFinite(Number(text));
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text);
    case 'blob':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text);
    default:
      return false;
  }
}

/** The error documents: EC2's `<Response><Errors><Error><Code/><Message/>…<RequestID/>`, the query protocol's `<ErrorResponse>`. */
export function parseWireError(xml: string): { code: string; message: string; requestId: string; type?: string } {
  const root = parseXml(xml);
  const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
  if (root.name === 'Response') {
    const error = child(child(root, 'Errors'), 'Error');
    return {
      code: child(error, 'Code')?.text ?? '',
      message: child(error, 'Message')?.text ?? '',
      requestId: child(root, 'RequestID')?.text ?? '',
    };
  }
  if (root.name !== 'ErrorResponse') throw new Error(`not an error document: <${root.name}>`);
  const error = child(root, 'Error');
  return {
    type: child(error, 'Type')?.text,
    code: child(error, 'Code')?.text ?? '',
    message: child(error, 'Message')?.text ?? '',
    requestId: child(root, 'RequestId')?.text ?? '',
  };
}
