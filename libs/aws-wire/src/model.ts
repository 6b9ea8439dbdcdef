// The botocore service models the wire API is driven by: the served operations of EC2 (protocol `ec2`) and
// ELBv2 (protocol `query`) and the shapes they reach, extracted by scripts/aws-model-extract.sh into
// libs/aws-wire/model/*.json. Member names, `locationName`s, list wrapping and required members come from
// here, never from code written by hand.
import ec2Json from '../model/ec2.json';
import elbv2Json from '../model/elbv2.json';

/** A reference to a shape from a structure member or a list's member (botocore's "shape ref"). */
export interface ShapeRef {
  shape: string;
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  timestampFormat?: string;
}

export type ShapeType =
  'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  flattened?: boolean;
  timestampFormat?: string;
  locationName?: string;
}

export interface Operation {
  input?: string;
  output?: string;
  /** ELBv2 (query protocol): the element wrapping the output members, `<XxxResult>`. */
  resultWrapper?: string;
}

export type Protocol = 'ec2' | 'query';

export interface ServiceModel {
  source: string;
  metadata: { apiVersion: string; endpointPrefix: string; protocol: Protocol; serviceId: string; xmlNamespace: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export const ec2Model = ec2Json as unknown as ServiceModel;
export const elbv2Model = elbv2Json as unknown as ServiceModel;

/** The XML namespace of the responses (EC2's metadata lacks the trailing slash real answers carry). */
export function xmlNamespaceOf(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

/** The SigV4 signing name of the service (the credential scope's service). */
export function signingNameOf(model: ServiceModel): string {
  return model.metadata.endpointPrefix;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.metadata.serviceId} model: no shape ${name}`);
  return shape;
}
