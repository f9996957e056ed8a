import { COMPLAINT_STATUS_LABELS, httpJsonSchemas, MAX_COMPLAINT_BODY_BYTES, RegionListing } from '@lapor/contracts';
import { z } from 'zod';

/** The public API contract, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const schemas = { ...httpJsonSchemas(), RegionListing: z.toJSONSchema(RegionListing, { target: 'openapi-3.0' }) };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('ApiError') } } });
  const statuses = Object.entries(COMPLAINT_STATUS_LABELS).map(([id, label]) => `\`${id}\`: ${label}`).join('; ');
  return {
    openapi: '3.0.3',
    info: {
      title: 'lapor-gateway complaint API',
      version: '1.0.0',
      description: `Web form and mobile app intake for SP4N-LAPOR!. Answers and error messages are in Bahasa Indonesia, or in English with \`Accept-Language: en\` (or \`?lang=en\`); a complaint keeps that language for every message sent to its reporter. Status identifiers (stable) and their Bahasa Indonesia labels: ${statuses}.`,
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
            '400': error('Invalid body, malformed JSON, or an unknown `regionCode`; `fields` has one message list per field (`(body)` for the body as a whole)'),
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
            '404': error('Unknown, or mistyped (the message says which character is wrong and, when it can, the number that was probably meant)'),
            '503': error('Router unreachable'),
          },
        },
      },
      '/api/v1/regions': {
        get: { summary: 'The provinces (Kemendagri codes)', responses: { '200': { description: 'The provinces, by name', content: { 'application/json': { schema: ref('RegionListing') } } } } },
      },
      '/api/v1/regions/{code}': {
        get: {
          summary: 'A region and the regions directly below it (kabupaten/kota, kecamatan, desa/kelurahan)',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' }, description: 'e.g. 32, 32.73, 32.73.01' }],
          responses: { '200': { description: 'The region and its children, by name', content: { 'application/json': { schema: ref('RegionListing') } } }, '404': error('No region has this code') },
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
