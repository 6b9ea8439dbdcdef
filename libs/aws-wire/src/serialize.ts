// XML response serializer of the EC2 and query (ELBv2) protocols, driven by the model: the output object,
// keyed by the model's member names (as the SDKs' output types are), becomes the document the SDKs parse.
//
// EC2: `<XxxResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId/>…members…</XxxResponse>`,
// each member under its `locationName`, lists wrapped as `<name><item>…</item></name>` (the list member's
// `locationName`). Query: `<XxxResponse xmlns><XxxResult>…</XxxResult><ResponseMetadata><RequestId/>
// </ResponseMetadata></XxxResponse>`, lists as `<Name><member>…</member></Name>`.
// A member the model does not have, or a value of the wrong type, is a programming error: it throws.
import { ServiceModel, Shape, ShapeRef, shapeOf, xmlNamespaceOf } from './model';
import { element, escapeXml } from './xml';

class Writer {
  constructor(private readonly model: ServiceModel) {}

  write(ref: ShapeRef, value: unknown, tag: string, path: string): string {
    const shape = shapeOf(this.model, ref.shape);
    switch (shape.type) {
      case 'structure':
        return element(tag, this.members(ref.shape, shape, value, path));
      case 'list': {
        if (!Array.isArray(value)) throw mismatch(path, 'an array', value);
        const member = shape.member!;
        if (shape.flattened) return value.map((v, i) => this.write(member, v, tag, `${path}[${i}]`)).join('');
        const itemTag = member.locationName ?? 'member';
        return element(tag, value.map((v, i) => this.write(member, v, itemTag, `${path}[${i}]`)).join(''));
      }
      case 'map': {
        if (!isPlainObject(value)) throw mismatch(path, 'an object', value);
        const k = shape.key!.locationName ?? 'key';
        const v = shape.value!.locationName ?? 'value';
        const entries = Object.entries(value).map(
          ([key, val]) => `<entry>${this.write(shape.key!, key, k, path)}${this.write(shape.value!, val, v, `${path}.${key}`)}</entry>`,
        );
        return element(tag, entries.join(''));
      }
      default:
        return element(tag, escapeXml(scalarText(shape, value, path)));
    }
  }

  members(shapeName: string, shape: Shape, value: unknown, path: string): string {
    if (!isPlainObject(value)) throw mismatch(path, `a ${shapeName} structure`, value);
    const members = shape.members ?? {};
    let out = '';
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      const ref = members[name];
      if (!ref) throw new Error(`output ${path ? `${path}.` : ''}${name}: shape ${shapeName} has no member ${name}`);
      out += this.write(ref, v, ref.locationName ?? name, path ? `${path}.${name}` : name);
    }
    return out;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function mismatch(path: string, wanted: string, value: unknown): Error {
  return new Error(`output ${path || '(root)'}: expected ${wanted}, got ${value instanceof Date ? 'a Date' : typeof value}`);
}

function scalarText(shape: Shape, value: unknown, path: string): string {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(path, 'a string', value);
      // EC2 answers some enums in another case than its model spells them (`pendingAcceptance` for the model's
      // `PendingAcceptance`; the SDKs do not check), so the case is not compared.
      if (shape.enum && !shape.enum.some((v) => v.toLowerCase() === value.toLowerCase()))
        throw new Error(`output ${path}: ${value} is not one of ${shape.enum.join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(path, 'a boolean', value);
      return String(value);
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch(path, 'an integer', value);
      return String(value);
    case 'double':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(path, 'a number', value);
      return String(value);
    case 'timestamp': {
      const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw mismatch(path, 'a Date or an ISO 8601 string', value);
      return date.toISOString();
    }
    case 'blob':
      if (!(value instanceof Uint8Array)) throw mismatch(path, 'bytes', value);
      return Buffer.from(value).toString('base64');
    default:
      throw new Error(`output ${path}: shape type ${shape.type as string} is not a scalar`);
  }
}

/** The response document of `operation` for `output` (keyed by the model's member names). */
export function serializeOutput(model: ServiceModel, operation: string, output: unknown, requestId: string): string {
  const op = model.operations[operation];
  if (!op) throw new Error(`${model.metadata.serviceId} model: no operation ${operation}`);
  const ns = escapeXml(xmlNamespaceOf(model));
  const writer = new Writer(model);
  const body = op.output ? writer.members(op.output, shapeOf(model, op.output), output ?? {}, '') : '';
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (model.metadata.protocol === 'ec2') {
    // An action without an output shape (DeleteVpc, CreateTags, …) answers `<return>true</return>` as EC2 does.
    const inner = op.output ? body : '<return>true</return>';
    return `${head}<${operation}Response xmlns="${ns}"><requestId>${escapeXml(requestId)}</requestId>${inner}</${operation}Response>`;
  }
  const result = op.resultWrapper ? element(op.resultWrapper, body) : body;
  return (
    `${head}<${operation}Response xmlns="${ns}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`
  );
}
