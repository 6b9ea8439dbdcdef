import { randomUUID } from 'node:crypto';
import request from 'supertest';

// The SNS topic with an SQS queue subscribed lives in libs/testing (the chaos suite reads deliveries back with it too).
export { TopicWithQueue } from '@privatelink/testing';

export const uuid = randomUUID;
export { request };
