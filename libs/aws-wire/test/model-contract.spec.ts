// The wire API against botocore's own models (the botocore of the awscli pinned in deploy/moto/requirements.txt):
// the checked-in extract is botocore's, and every output the serializer writes, for every served operation
// with every member filled in, has only members the model has, each with its type.
import { BotocoreModel, botocoreModel, checkAgainstModel, parseWireError } from '@privatelink/testing';
import { ec2Model, elbv2Model, serializeOutput, ServiceModel, Shape, shapeOf, wireFailure } from '@privatelink/aws-wire';

const services: Array<['ec2' | 'elbv2', ServiceModel]> = [
  ['ec2', ec2Model],
  ['elbv2', elbv2Model],
];

/** A value for every member of a shape (lists of two, nesting cut at depth 6), as a handler's output could be. */
function sample(model: ServiceModel, shapeName: string, depth = 0): unknown {
  const shape: Shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure':
      if (depth > 6) return {};
      return Object.fromEntries(Object.entries(shape.members ?? {}).map(([m, ref]) => [m, sample(model, ref.shape, depth + 1)]));
    case 'list':
      return depth > 6 ? [] : [sample(model, shape.member!.shape, depth + 1), sample(model, shape.member!.shape, depth + 1)];
    case 'map':
      return { k1: sample(model, shape.value!.shape, depth + 1) };
    case 'string':
      return shape.enum ? shape.enum[0] : 'text & <more>';
    case 'boolean':
      return true;
    case 'integer':
    case 'long':
      return 42;
    case 'double':
    case 'float':
      return 1.5;
    case 'timestamp':
      return new Date(Date.UTC(2026, 11, 3, 17, 0, 0));
    case 'blob':
      return new Uint8Array([1, 2, 3]);
  }
}

describe.each(services)('%s wire model against botocore', (name, wire) => {
  let botocore: BotocoreModel;
  beforeAll(async () => {
    botocore = await botocoreModel(name);
  }, 300_000);

  it('the checked-in extract is botocore’s (operations, members, locationNames, required, enums)', () => {
    expect(wire.source).toContain(`botocore ${botocore.version} `);
    expect(wire.metadata.apiVersion).toBe(botocore.metadata.apiVersion);
    for (const [op, o] of Object.entries(wire.operations)) {
      expect({ op, input: botocore.operations[op]?.input?.shape, output: botocore.operations[op]?.output?.shape }).toEqual({
        op,
        input: o.input,
        output: o.output,
      });
    }
    for (const [s, shape] of Object.entries(wire.shapes)) {
      const full = botocore.shapes[s] as unknown as Shape & Record<string, unknown>;
      expect({ s, type: full.type, required: full.required, enum: full.enum, member: full.member }).toEqual({
        s,
        type: shape.type,
        required: shape.required,
        enum: shape.enum,
        member: shape.member,
      });
      for (const [m, ref] of Object.entries(shape.members ?? {})) {
        const fullRef = full.members![m] as unknown as Record<string, unknown>;
        expect({ s, m, shape: fullRef.shape, locationName: fullRef.locationName, queryName: fullRef.queryName }).toEqual({
          s,
          m,
          shape: ref.shape,
          locationName: ref.locationName,
          queryName: ref.queryName,
        });
      }
    }
  });

  it('every output the serializer writes has only the model’s members, each of its type', () => {
    let checked = 0;
    for (const [op, o] of Object.entries(wire.operations)) {
      const output = o.output ? sample(wire, o.output) : undefined;
      const report = checkAgainstModel(botocore, op, serializeOutput(wire, op, output, 'req-contract'));
      expect({ op, problems: report.problems }).toEqual({ op, problems: [] });
      checked += report.checked;
    }
    // Every served operation with every member filled in (1,680 EC2 and 254 ELBv2 elements with botocore 1.44.8).
    expect(checked).toBeGreaterThan(name === 'ec2' ? 1500 : 200);
  });

  it('the error document reads back', () => {
    const answer = wireFailure(wire, 'InvalidParameterValue', 'Value (x) for parameter Y is invalid', 'req-e');
    expect(parseWireError(answer.body)).toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Value (x) for parameter Y is invalid',
      requestId: 'req-e',
    });
  });
});
