// node scripts/aws-model-extract.js <botocore data dir> <botocore version> <out dir>
// Keeps from botocore's EC2 and ELBv2 service models the operations the wire API serves and every shape
// they reach, without documentation (scripts/aws-model-extract.sh runs it; libs/aws-wire reads the output).
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SERVED = {
  ec2: {
    dir: 'ec2/2016-11-15',
    operations: [
      // The 21 VpcEndpoint actions.
      'AcceptVpcEndpointConnections',
      'CreateVpcEndpoint',
      'CreateVpcEndpointConnectionNotification',
      'CreateVpcEndpointServiceConfiguration',
      'DeleteVpcEndpointConnectionNotifications',
      'DeleteVpcEndpointServiceConfigurations',
      'DeleteVpcEndpoints',
      'DescribeVpcEndpointAssociations',
      'DescribeVpcEndpointConnectionNotifications',
      'DescribeVpcEndpointConnections',
      'DescribeVpcEndpointServiceConfigurations',
      'DescribeVpcEndpointServicePermissions',
      'DescribeVpcEndpointServices',
      'DescribeVpcEndpoints',
      'ModifyVpcEndpoint',
      'ModifyVpcEndpointConnectionNotification',
      'ModifyVpcEndpointServiceConfiguration',
      'ModifyVpcEndpointServicePayerResponsibility',
      'ModifyVpcEndpointServicePermissions',
      'RejectVpcEndpointConnections',
      'StartVpcEndpointServicePrivateDnsVerification',
      // Tags of services and endpoints.
      'CreateTags',
      'DeleteTags',
      'DescribeTags',
      // The network inventory.
      'CreateVpc',
      'DescribeVpcs',
      'DeleteVpc',
      'CreateSubnet',
      'DescribeSubnets',
      'DeleteSubnet',
      'CreateSecurityGroup',
      'DescribeSecurityGroups',
      'DeleteSecurityGroup',
      'DescribeAvailabilityZones',
    ],
  },
  elbv2: {
    dir: 'elbv2/2015-12-01',
    operations: ['CreateLoadBalancer', 'DescribeLoadBalancers', 'DeleteLoadBalancer', 'AddTags', 'RemoveTags', 'DescribeTags'],
  },
};

const KEEP_SHAPE = [
  'type',
  'members',
  'member',
  'key',
  'value',
  'required',
  'enum',
  'min',
  'max',
  'flattened',
  'timestampFormat',
  'locationName',
];
const KEEP_REF = ['shape', 'locationName', 'queryName', 'flattened', 'xmlNamespace', 'xmlAttribute', 'timestampFormat'];
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

const [dataDir, version, outDir] = process.argv.slice(2);
if (!dataDir || !version || !outDir) throw new Error('usage: aws-model-extract.js <botocore data dir> <version> <out dir>');
fs.mkdirSync(outDir, { recursive: true });

for (const [name, served] of Object.entries(SERVED)) {
  const file = path.join(dataDir, served.dir, 'service-2.json.gz');
  const model = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  const shapes = {};
  const reach = (shapeName) => {
    if (shapes[shapeName]) return;
    const shape = model.shapes[shapeName];
    if (!shape) throw new Error(`${name}: no shape ${shapeName}`);
    const kept = pick(shape, KEEP_SHAPE);
    shapes[shapeName] = kept;
    if (shape.members) {
      kept.members = Object.fromEntries(Object.entries(shape.members).map(([m, ref]) => [m, pick(ref, KEEP_REF)]));
      for (const ref of Object.values(shape.members)) reach(ref.shape);
    }
    for (const k of ['member', 'key', 'value']) {
      if (shape[k]) {
        kept[k] = pick(shape[k], KEEP_REF);
        reach(shape[k].shape);
      }
    }
  };
  const operations = {};
  for (const op of served.operations) {
    const o = model.operations[op];
    if (!o) throw new Error(`${name}: no operation ${op}`);
    operations[op] = {
      ...(o.input ? { input: o.input.shape } : {}),
      ...(o.output ? { output: o.output.shape } : {}),
      ...(o.output?.resultWrapper ? { resultWrapper: o.output.resultWrapper } : {}),
    };
    if (o.input) reach(o.input.shape);
    if (o.output) reach(o.output.shape);
  }
  const sorted = Object.fromEntries(
    Object.keys(shapes)
      .sort()
      .map((k) => [k, shapes[k]]),
  );
  const m = model.metadata;
  const out = {
    source: `botocore ${version} data/${served.dir}/service-2.json (the served operations and the shapes they reach)`,
    metadata: pick(m, ['apiVersion', 'endpointPrefix', 'protocol', 'serviceId', 'signingName', 'xmlNamespace']),
    operations,
    shapes: sorted,
  };
  fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(out, null, 1) + '\n');
  console.log(`${name}: ${Object.keys(operations).length} operations, ${Object.keys(sorted).length} shapes`);
}

// TypeScript types of the kept shapes (libs/aws-wire/src/generated/<name>-shapes.ts): structures as interfaces,
// lists as arrays, enums as unions of their values; plain strings, numbers, booleans and timestamps inline.
const RESERVED = new Set(['Date', 'String', 'Boolean', 'Number', 'Object', 'Array', 'Map', 'Set', 'Record', 'Error', 'Function', 'Symbol']);
function typesOf(name, model) {
  const { shapes } = model;
  const emitted = (s) => shapes[s].type === 'structure' || shapes[s].type === 'list' || shapes[s].type === 'map' || shapes[s].enum;
  const tsName = (s) => (RESERVED.has(s) ? `${s}Shape` : s);
  const ref = (s) => {
    const shape = shapes[s];
    if (emitted(s)) return tsName(s);
    switch (shape.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return 'Date';
      case 'blob':
        return 'Uint8Array';
      default:
        throw new Error(`${name}: shape ${s} has type ${shape.type}`);
    }
  };
  const lines = [
    `// Generated by scripts/aws-model-extract.sh from ${model.source}. Do not edit.`,
    '// EC2 answers some enums with a lower-case first letter (`pendingAcceptance`), so both spellings are allowed.',
    'type Enum<T extends string> = T | Uncapitalize<T>;',
    '',
  ];
  for (const s of Object.keys(shapes)) {
    if (!emitted(s)) continue;
    const shape = shapes[s];
    if (shape.type === 'structure') {
      const required = new Set(shape.required ?? []);
      const members = Object.entries(shape.members ?? {}).map(([m, r]) => `  ${m}${required.has(m) ? '' : '?'}: ${ref(r.shape)};`);
      if (members.length === 0) lines.push(`export type ${tsName(s)} = Record<string, never>;`, '');
      else lines.push(`export interface ${tsName(s)} {`, ...members, '}', '');
    } else if (shape.type === 'list') lines.push(`export type ${tsName(s)} = ${ref(shape.member.shape)}[];`, '');
    else if (shape.type === 'map') lines.push(`export type ${tsName(s)} = Record<string, ${ref(shape.value.shape)}>;`, '');
    else lines.push(`export type ${tsName(s)} = Enum<${shape.enum.map((v) => JSON.stringify(v)).join(' | ')}>;`, '');
  }
  return lines.join('\n');
}

for (const name of Object.keys(SERVED)) {
  const model = JSON.parse(fs.readFileSync(path.join(outDir, `${name}.json`), 'utf8'));
  const genDir = path.join(outDir, '..', 'src', 'generated');
  fs.mkdirSync(genDir, { recursive: true });
  fs.writeFileSync(path.join(genDir, `${name}-shapes.ts`), typesOf(name, model));
}
