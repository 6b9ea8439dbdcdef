// Request deserializer of the EC2 and query (ELBv2) protocols, driven by the model: the flat
// `Name=value` parameters of a form body or query string become the operation's input object, keyed by the
// model's member names (as the SDKs' input types are).
//
// EC2 (botocore's EC2Serializer): a member is named by its `queryName`, else its `locationName` with the first
// letter upper-cased, else the member name; lists are always flattened, `Name.N` (N from 1), nested
// `Name.N.Member`: `Filter.1.Name`, `Filter.1.Value.2`, `TagSpecification.1.Tag.1.Key`.
// Query (ELBv2): a member is named by its `locationName`, else the member name; a list is `Name.member.N`
// (`member` or the list member's `locationName`), `Name.N` when flattened; an empty list is `Name=`;
// a map is `Name.entry.N.key` / `.value`.
import { invalidParameterValue, missingParameter, WireError } from './errors';
import { Protocol, ServiceModel, Shape, ShapeRef, shapeOf } from './model';

interface ParamNode {
  value?: string;
  used: boolean;
  children: Map<string, ParamNode>;
}

/** Parameters that belong to the protocol, not to the operation's input. */
export function isProtocolParameter(name: string): boolean {
  return name === 'Action' || name === 'Version' || /^X-Amz-/i.test(name) || name === 'AWSAccessKeyId';
}

function tree(params: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = { used: false, children: new Map() };
  for (const [key, value] of params) {
    if (isProtocolParameter(key)) continue;
    let node = root;
    for (const part of key.split('.')) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { used: false, children: new Map() }));
      node = next;
    }
    if (node.value !== undefined) throw new WireError('InvalidParameterValue', `The parameter ${key} is given more than once`);
    node.value = value;
  }
  return root;
}

function serializedName(protocol: Protocol, member: string, ref: ShapeRef): string {
  if (protocol === 'ec2') {
    if (ref.queryName) return ref.queryName;
    if (ref.locationName) return ref.locationName[0].toUpperCase() + ref.locationName.slice(1);
    return member;
  }
  return ref.locationName ?? member;
}

const INDEX = /^[1-9]\d{0,5}$/;

class Reader {
  constructor(
    private readonly model: ServiceModel,
    private readonly protocol: Protocol,
  ) {}

  read(ref: ShapeRef, node: ParamNode, name: string): unknown {
    const shape = shapeOf(this.model, ref.shape);
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, node, name);
      case 'list':
        return this.list(shape, node, name);
      case 'map':
        return this.map(shape, node, name);
      default:
        if (node.children.size > 0) throw unknown(`${name}.${[...node.children.keys()][0]}`);
        node.used = true;
        return scalar(shape, node.value ?? '', name, ref.timestampFormat ?? shape.timestampFormat);
    }
  }

  structure(shape: Shape, node: ParamNode, prefix: string): Record<string, unknown> {
    if (node.value !== undefined && node.value !== '')
      throw invalidParameterValue(prefix, node.value, 'It is a structure: give its members');
    node.used = true;
    const out: Record<string, unknown> = {};
    const required = new Set(shape.required ?? []);
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const wire = serializedName(this.protocol, member, ref);
      const name = prefix ? `${prefix}.${wire}` : wire;
      const child = node.children.get(wire);
      if (!child) {
        if (required.has(member)) throw missingParameter(name);
        continue;
      }
      out[member] = this.read(ref, child, name);
    }
    return out;
  }

  list(shape: Shape, node: ParamNode, name: string): unknown[] {
    const member = shape.member!;
    let items = node;
    let itemsName = name;
    if (this.protocol === 'query' && !shape.flattened) {
      const wrapper = member.locationName ?? 'member';
      const inner = node.children.get(wrapper);
      if (!inner) {
        if (node.children.size > 0) throw unknown(`${name}.${[...node.children.keys()][0]}`);
        node.used = true;
        if (node.value !== undefined && node.value !== '')
          throw invalidParameterValue(name, node.value, `It is a list: give ${name}.${wrapper}.1, …`);
        return [];
      }
      if (node.value !== undefined) throw invalidParameterValue(name, node.value, `It is a list: give ${name}.${wrapper}.1, …`);
      if (node.children.size > 1) throw unknown(`${name}.${[...node.children.keys()].find((k) => k !== wrapper)}`);
      node.used = true;
      items = inner;
      itemsName = `${name}.${wrapper}`;
    }
    if (items.value !== undefined && items.value !== '') {
      throw invalidParameterValue(itemsName, items.value, `It is a list: give ${itemsName}.1, ${itemsName}.2, …`);
    }
    items.used = true;
    const entries = [...items.children.entries()];
    for (const [index] of entries) if (!INDEX.test(index)) throw unknown(`${itemsName}.${index}`);
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([index, child]) => this.read(member, child, `${itemsName}.${index}`));
  }

  map(shape: Shape, node: ParamNode, name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const entries = shape.flattened ? node : node.children.get('entry');
    node.used = true;
    if (!entries) {
      if (node.children.size > 0) throw unknown(`${name}.${[...node.children.keys()][0]}`);
      return out;
    }
    entries.used = true;
    const keyName = shape.key!.locationName ?? 'key';
    const valueName = shape.value!.locationName ?? 'value';
    for (const [index, entry] of entries.children) {
      const entryName = `${name}${shape.flattened ? '' : '.entry'}.${index}`;
      if (!INDEX.test(index)) throw unknown(entryName);
      entry.used = true;
      const k = entry.children.get(keyName);
      if (!k) throw missingParameter(`${entryName}.${keyName}`);
      const v = entry.children.get(valueName);
      out[String(this.read(shape.key!, k, `${entryName}.${keyName}`))] = v ? this.read(shape.value!, v, `${entryName}.${valueName}`) : '';
    }
    return out;
  }
}

const unknown = (name: string) => new WireError('UnknownParameter', `The parameter ${name} is not recognized`);

function scalar(shape: Shape, raw: string, name: string, timestampFormat?: string): unknown {
  switch (shape.type) {
    case 'string':
      if (shape.enum) {
        const value = shape.enum.find((v) => v.toLowerCase() === raw.toLowerCase());
        if (value === undefined) throw invalidParameterValue(name, raw, `It must be one of: ${shape.enum.join(', ')}`);
        return value;
      }
      return raw;
    case 'boolean':
      if (/^true$/i.test(raw)) return true;
      if (/^false$/i.test(raw)) return false;
      throw invalidParameterValue(name, raw, 'It must be true or false');
    case 'integer':
    case 'long': {
      const n = Number(raw);
      const limit = shape.type === 'integer' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
      if (!/^[+-]?\d+$/.test(raw) || Math.abs(n) > limit) throw invalidParameterValue(name, raw, 'It must be an integer');
      return n;
    }
    case 'double':
    case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw invalidParameterValue(name, raw, 'It must be a number');
      return n;
    }
    case 'timestamp': {
      const date = /^\d+(\.\d+)?$/.test(raw) && timestampFormat !== 'iso8601' ? new Date(Number(raw) * 1000) : new Date(raw);
      if (raw === '' || Number.isNaN(date.getTime())) throw invalidParameterValue(name, raw, 'It must be an ISO 8601 date and time');
      return date;
    }
    case 'blob':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw invalidParameterValue(name, raw, 'It must be base64');
      return Buffer.from(raw, 'base64');
    default:
      throw new Error(`shape type ${shape.type as string} is not a scalar`);
  }
}

function firstUnused(node: ParamNode, prefix: string): string | undefined {
  if (node.value !== undefined && !node.used) return prefix;
  for (const [key, child] of node.children) {
    const found = firstUnused(child, prefix ? `${prefix}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/**
 * The input of `operation` read from the request's parameters (every `[name, value]` of the body or the query
 * string, Action and Version included or not). Throws WireError: MissingParameter for a required member,
 * InvalidParameterValue naming the parameter for a malformed value, UnknownParameter for a name the model has not.
 */
export function deserializeInput<T = Record<string, unknown>>(
  model: ServiceModel,
  operation: string,
  params: Iterable<[string, string]>,
): T {
  const op = model.operations[operation];
  if (!op) throw new WireError('InvalidAction', `The action ${operation} is not valid for this web service.`);
  const root = tree(params);
  if (!op.input) {
    const extra = firstUnused(root, '');
    if (extra) throw unknown(extra);
    return {} as T;
  }
  const input = new Reader(model, model.metadata.protocol).read({ shape: op.input }, root, '');
  const extra = firstUnused(root, '');
  if (extra) throw unknown(extra);
  return input as T;
}
