import { COMPLAINT_STATUS_LABELS, httpJsonSchemas, MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';

/** The public API contract, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const schemas = httpJsonSchemas();
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('ApiError') } } });
  const statuses = Object.entries(COMPLAINT_STATUS_LABELS).map(([id, label]) => `\`${id}\`: ${label}`).join('; ');
  return {
    openapi: '3.0.3',
    info: {
      title: 'lapor-gateway complaint API',
      version: '1.0.0',
      description: `Web form and mobile app intake for SP4N-LAPOR!. Status identifiers (stable) and their Bahasa Indonesia labels: ${statuses}.`,
    },
    paths: {
      '/api/v1/complaints': {
        post: {
          summary: 'File a complaint',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'A unique key per complaint (e.g. a UUID). Retrying the POST with the same key returns the same tracking id and registers one complaint.' },
            { name: 'X-Client-Channel', in: 'header', required: false, schema: { type: 'string', enum: ['web', 'mobile'] } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateComplaintRequest') } } },
          responses: {
            '202': { description: 'Accepted: durably queued for routing', content: { 'application/json': { schema: ref('CreateComplaintResponse') } } },
            '400': error('Invalid body; `fields` has one message list per field'),
            '413': error(`Body larger than ${MAX_COMPLAINT_BODY_BYTES} bytes`),
            '415': error('Not application/json'),
            '503': error('Could not be stored now; nothing was stored. Retry (with the same Idempotency-Key).'),
          },
        },
      },
      '/api/v1/complaints/{trackingId}': {
        get: {
          summary: 'Status, assigned body and history of a complaint',
          parameters: [{ name: 'trackingId', in: 'path', required: true, schema: { type: 'string' }, description: 'Case-insensitive; dashes ignored.' }],
          responses: {
            '200': { description: 'The complaint', content: { 'application/json': { schema: ref('ComplaintView') } } },
            '404': error('Unknown, or mistyped (the message says which)'),
            '503': error('Router unreachable'),
          },
        },
      },
    },
    components: { schemas: Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, stripMeta(v)])) },
  };
}

function stripMeta(schema: unknown) {
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
