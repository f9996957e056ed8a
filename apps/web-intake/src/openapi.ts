import { COMPLAINT_STATUS_LABELS, httpJsonSchemas, MAX_COMPLAINT_BODY_BYTES, OPEN311_MAX_REQUESTS, OPEN311_WINDOW_DAYS, RegionListing } from '@lapor/contracts';
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
    // Public: no authentication. Open311 POSTs carry their api_key in the form (the spec's way), which OpenAPI cannot name as a scheme.
    security: [],
    servers: [{ url: '/', description: 'this service' }],
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
      ...open311Paths(ref),
    },
    components: { schemas: Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, stripMeta(v)])) },
  };
}

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/; README "Open311"). The `.json`
 * paths are listed; each has a `.xml` twin answering the same in XML (text/xml). Errors are
 * the spec's list, `[{code, description}]`.
 */
function open311Paths(ref: (name: string) => { $ref: string }) {
  const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
  const error = (description: string) => json(description, 'Open311Errors');
  const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
  const jurisdiction = query('jurisdiction_id', 'Optional; if sent it must be this deployment\'s (OPEN311_JURISDICTION_ID), else 404.');
  const path = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
  const wrongJurisdiction = error('Another jurisdiction_id');
  return {
    '/open311/v2/discovery.json': { get: { summary: 'Open311: discovery', parameters: [jurisdiction], responses: { '200': json('Endpoints and formats', 'Open311Discovery'), '404': wrongJurisdiction } } },
    '/open311/v2/services.json': { get: { summary: 'Open311: the complaint categories', parameters: [jurisdiction], responses: { '200': json('Services', 'Open311Services'), '404': wrongJurisdiction } } },
    '/open311/v2/services/{service_code}.json': {
      get: {
        summary: 'Open311: the attributes a category takes (anonim, rahasia, client_request_id)',
        parameters: [path('service_code', 'A service_code of GET services'), jurisdiction],
        responses: { '200': json('The service definition', 'Open311ServiceDefinition'), '404': error('Unknown service_code or jurisdiction_id') },
      },
    },
    '/open311/v2/requests.json': {
      post: {
        summary: 'Open311: file a complaint (form-encoded)',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'Or attribute[client_request_id]: a retry with it registers one complaint.' }],
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('Open311CreateForm') } } },
        responses: {
          '201': json('Durably queued; service_request_id is the tracking id', 'Open311CreatedRequests'),
          '400': error('Unknown service_code, a description too short, an attribute neither true nor false'),
          '403': error('Missing, unknown or revoked api_key'),
          '404': wrongJurisdiction,
          '503': error('Could not be stored now; nothing was stored. Retry with the same client id.'),
        },
      },
      get: {
        summary: `Open311: requests, newest first, at most ${OPEN311_MAX_REQUESTS}; never a Rahasia complaint, never text, position or reporter`,
        parameters: [
          query('service_request_id', 'Comma-separated tracking ids; overrides every other filter.'),
          query('service_code', 'Comma-separated (or repeated) service codes.'),
          query('status', 'open, closed, or both comma-separated.'),
          query('start_date', `W3C datetime with its offset (or a bare date, WIB). Default window: the last ${OPEN311_WINDOW_DAYS} days; one date alone: ${OPEN311_WINDOW_DAYS} days from or up to it.`),
          query('end_date', `W3C datetime; at most ${OPEN311_WINDOW_DAYS} days after start_date.`),
          jurisdiction,
        ],
        responses: { '200': json('Requests', 'Open311ServiceRequests'), '400': error('An unknown service_code or status, a bad date, a window over the limit'), '404': wrongJurisdiction, '503': error('Router unreachable') },
      },
    },
    '/open311/v2/requests/{service_request_id}.json': {
      get: {
        summary: 'Open311: one request',
        parameters: [path('service_request_id', 'The tracking id'), jurisdiction],
        responses: { '200': json('A list of one request', 'Open311ServiceRequests'), '404': error('Unknown, mistyped or Rahasia (indistinguishable)'), '503': error('Router unreachable') },
      },
    },
    '/open311/v2/tokens/{token}.json': {
      get: {
        summary: 'Open311: the id behind a token (our token is the id itself)',
        parameters: [path('token', 'The service_request_id'), jurisdiction],
        responses: { '200': json('The token and its id', 'Open311Tokens'), '404': error('Unknown, mistyped or Rahasia (indistinguishable)') },
      },
    },
  };
}

function stripMeta(schema: unknown) {
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
