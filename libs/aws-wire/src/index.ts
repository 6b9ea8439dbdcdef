// @privatelink/aws-wire: the EC2 Query and ELBv2 (query protocol) wire formats, driven by botocore's models,
// and SigV4 verification. No handlers here: the apps map the actions onto their command handlers and queries.
export * from './model';
export * from './errors';
export * from './deserialize';
export * from './serialize';
export * from './protocol';
export * from './sigv4';
export type * as Ec2 from './generated/ec2-shapes';
export type * as Elbv2 from './generated/elbv2-shapes';
