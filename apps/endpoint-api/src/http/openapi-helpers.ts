import { ZodType } from 'zod';
import { errorBodySchema } from '@privatelink/platform';

/** A JSON response in the API document. */
export const jsonResponse = (description: string, schema: ZodType) => ({ description, content: { 'application/json': { schema } } });

/** An error response in the API document: always the one error shape `{code, message, requestId}`. */
export const errorResponse = (description: string) => jsonResponse(description, errorBodySchema);

/** A JSON request body in the API document. */
export const jsonBody = (schema: ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });
