import {
  ApiError,
  ApiTokenView,
  ARCHIVE_REASONS,
  Channel,
  ComplaintAction,
  COMPLAINT_STATUS_LABELS,
  CreateApiTokenRequest,
  CreateApiTokenResponse,
  CreateOfficerRequest,
  CreateOfficerResponse,
  DeadlinePolicyDocument,
  DeskComplaintDetail,
  DeskComplaintPage,
  FastLaneInput,
  FastLaneView,
  OfficerView,
  RevealReporterRequest,
  RevealReporterResponse,
  SetDeadlinePolicyRequest,
  SetWebhookRequest,
  STATS_SHARE_LABELS,
  StatsReport,
  SubmissionType,
  WebhookKeyResponse,
  WebhookSettingsView,
  WorkingWeekView,
  SetWorkingWeekRequest,
} from '@lapor/contracts';
import { z } from 'zod';

const SCHEMAS: Record<string, z.ZodType> = {
  DeadlinePolicyDocument,
  SetDeadlinePolicyRequest,
  ComplaintAction,
  DeskComplaintPage,
  DeskComplaintDetail,
  RevealReporterRequest,
  RevealReporterResponse,
  OfficerView,
  CreateOfficerRequest,
  CreateOfficerResponse,
  ApiTokenView,
  CreateApiTokenRequest,
  CreateApiTokenResponse,
  WebhookSettingsView,
  WorkingWeekView,
  SetWorkingWeekRequest,
  SetWebhookRequest,
  WebhookKeyResponse,
  FastLaneInput,
  FastLaneView,
  StatsReport,
  ApiError,
};

/**
 * The officer API's contract (`GET /desk/v1/openapi.json`), generated from the zod schemas
 * that validate requests. Validated in the tests with `redocly lint`.
 */
export function deskOpenApiDocument(serverUrl: string) {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string, description: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
  const error = (description: string) => json('ApiError', description);
  const common = { '401': error('No credentials, or a wrong or revoked token'), '403': error('Your role (or a read-only token) cannot do this; or CSRF token missing on a cookie-authenticated write') };
  const trackingId = { name: 'trackingId', in: 'path', required: true, schema: { type: 'string' }, description: 'The complaint tracking id (case-insensitive, dashes ignored).' };
  const bodyCode = { name: 'bodyCode', in: 'path', required: true, schema: { type: 'string' }, description: 'Region code (e.g. 32.73) or agency slug.' };
  const bodyQuery = { name: 'body', in: 'query', required: false, schema: { type: 'string' }, description: 'National admin: one body (region code or agency slug). Liaisons always get their own body.' };
  const listParams = [
    { name: 'status', in: 'query', required: false, schema: { type: 'array', items: { type: 'string', enum: Object.keys(COMPLAINT_STATUS_LABELS) } }, style: 'form', explode: true, description: 'One or more statuses.' },
    { name: 'unit', in: 'query', required: false, schema: { type: 'string' } },
    { name: 'channel', in: 'query', required: false, schema: { type: 'string' } },
    { name: 'type', in: 'query', required: false, schema: { type: 'string', enum: ['complaint', 'information_request', 'aspiration'] } },
    { ...bodyQuery, description: 'National admin: one body (region code or agency slug), or `triage` for the national triage queue.' },
    { name: 'overdue', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] }, description: '`true`: only complaints with a stage whose deadline passed (escalated); `false`: only those without.' },
    { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
    { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  ];
  const statuses = Object.entries(COMPLAINT_STATUS_LABELS).map(([id, label]) => `\`${id}\` (${label})`).join(', ');
  const reasons = Object.entries(ARCHIVE_REASONS).map(([id, label]) => `\`${id}\` (${label})`).join(', ');
  const op = (operationId: string, tag: string, summary: string, rest: Record<string, unknown>) => ({ operationId, tags: [tag], summary, ...rest });
  return {
    openapi: '3.0.3',
    info: {
      title: 'lapor-gateway officer API',
      version: '1.0.0',
      description:
        'For agencies (K/L/D): pull and act on the complaints of your body. A body API token (`Authorization: Bearer lpd_…`) sees its body; ' +
        "a console session cookie sees the official's scope (national admin: all; liaison: the body; unit officer: the complaints disposed to the unit). " +
        'Complaints outside your scope answer 404, never 403. An Anonim reporter\'s identity is never returned. ' +
        `Statuses: ${statuses}. Archive reasons: ${reasons}.`,
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: serverUrl, description: 'this desk' }],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    tags: [
      { name: 'complaints', description: 'The queue, details, actions and the export' },
      { name: 'management', description: "A body's officials, API tokens, webhook and audit log (liaisons and the national admin)" },
      { name: 'fast-lanes', description: 'Fast lanes (jalur cepat): declared and switched on/off by the national admin at runtime; matching complaints are priority, get shorter deadlines, and coordinating bodies get a read-only copy' },
      { name: 'statistics', description: 'Public monitoring statistics (no credentials; counts only, never a complaint or an identity)' },
    ],
    paths: {
      '/api/v1/stats': {
        get: op('getStatistics', 'statistics', 'Monitoring statistics: national, per province or per body', {
          description:
            'Counts and shares (' + Object.values(STATS_SHARE_LABELS).join(' / ') + '), time to distribution, first response and close (median and p90 from fixed buckets), ' +
            'deadline compliance per stage, escalations and Ombudsman forwards; per ISO week of registration (Monday, WIB), channel and submission type. ' +
            'Read from aggregate tables kept by the events (docs/monitoring.md has the status-to-share mapping). A Rahasia complaint is only a number. ' +
            'CSV with `format=csv` or `Accept: text/csv`.',
          security: [],
          parameters: [
            { name: 'scope', in: 'query', required: false, schema: { type: 'string', enum: ['national', 'province', 'body'], default: 'national' } },
            { name: 'code', in: 'query', required: false, schema: { type: 'string' }, description: 'Required for province (two digits, e.g. 32) and body (region code such as 32.73, or agency slug).' },
            { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'Registered from this day (WIB); the whole ISO week of it counts.' },
            { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'Registered up to this day (WIB); the whole ISO week of it counts.' },
            { name: 'channel', in: 'query', required: false, schema: { type: 'string', enum: Channel.options } },
            { name: 'submissionType', in: 'query', required: false, schema: { type: 'string', enum: SubmissionType.options } },
            { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'] } },
          ],
          responses: {
            '200': { description: 'The statistics', content: { 'application/json': { schema: ref('StatsReport') }, 'text/csv': { schema: { type: 'string' } } } },
            '400': error('Bad parameter (the reason per parameter)'),
            '404': error('Unknown province or body code'),
          },
        }),
      },
      '/desk/v1/complaints': {
        get: op('listComplaints', 'complaints', "The queue in your scope, with your body's fast-lane copies", { parameters: listParams, responses: { '200': json('DeskComplaintPage', 'One page of complaints: priority (fast lane) first, then oldest first'), '400': error('Bad filter'), ...common } }),
      },
      '/desk/v1/complaints.csv': {
        get: op('exportComplaints', 'complaints', 'The queue as CSV (same filters, at most 10,000 rows)', {
          parameters: listParams.filter((p) => p.name !== 'page' && p.name !== 'pageSize'),
          responses: { '200': { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }, '400': error('Bad filter'), ...common },
        }),
      },
      '/desk/v1/complaints/{trackingId}': {
        get: op('getComplaint', 'complaints', 'A complaint: messages, routing explanation, timeline, and the actions you may take now', {
          parameters: [trackingId],
          responses: { '200': json('DeskComplaintDetail', "The complaint (a coordinating body's fast-lane copy: `copy: true`, no actions, no reporter identity)"), '404': error('Unknown, or outside your scope'), ...common },
        }),
      },
      '/desk/v1/complaints/{trackingId}/actions': {
        post: op('actOnComplaint', 'complaints', 'Take an action (accept, return, forward, dispose, request-info, respond, close, archive, merge, …)', {
          parameters: [trackingId],
          requestBody: { required: true, content: { 'application/json': { schema: ref('ComplaintAction') } } },
          responses: {
            '200': json('DeskComplaintDetail', 'Applied: the new state'),
            '400': error('Bad body (`fields` has one message list per field)'),
            '404': error('Unknown, or outside your scope'),
            '409': error("Not allowed now by the lifecycle (the message says why), or a stale version"),
            ...common,
            '403': error("Your role (or a read-only token) cannot do this; CSRF token missing on a cookie-authenticated write; or your body holds only a fast lane's read-only copy"),
          },
        }),
      },
      '/desk/v1/complaints/{trackingId}/reporter': {
        post: op('revealReporter', 'complaints', "National admin only: reveal a reporter's identity, with a reason (audit-logged)", {
          parameters: [trackingId],
          requestBody: { required: true, content: { 'application/json': { schema: ref('RevealReporterRequest') } } },
          responses: { '200': json('RevealReporterResponse', 'The identity (null when none was given)'), '400': error('No reason given'), '404': error('Unknown'), ...common },
        }),
      },
      '/desk/v1/officers': {
        get: op('listOfficers', 'management', "A body's officials", { parameters: [bodyQuery], responses: { '200': { description: 'Officials', content: { 'application/json': { schema: { type: 'array', items: ref('OfficerView') } } } }, '404': error('Body outside your scope'), ...common } }),
        post: op('createOfficer', 'management', 'Create an official (one-time password shown once)', {
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateOfficerRequest') } } },
          responses: { '201': json('CreateOfficerResponse', 'Created'), '400': error('Bad body or unknown body code'), '404': error('Body outside your scope'), '409': error('E-mail already used'), ...common },
        }),
      },
      '/desk/v1/officers/{officerId}/disable': {
        post: op('disableOfficer', 'management', 'Disable an official (their sessions end)', { parameters: [{ name: 'officerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { '200': json('OfficerView', 'Disabled'), '404': error('Unknown or outside your scope'), ...common } }),
      },
      '/desk/v1/officers/{officerId}/reset-password': {
        post: op('resetOfficerPassword', 'management', 'A new one-time password (shown once); unlocks the account', { parameters: [{ name: 'officerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { '200': json('CreateOfficerResponse', 'Reset'), '404': error('Unknown or outside your scope'), ...common } }),
      },
      '/desk/v1/tokens': {
        get: op('listTokens', 'management', "A body's API tokens (never the tokens themselves)", { parameters: [bodyQuery], responses: { '200': { description: 'Tokens', content: { 'application/json': { schema: { type: 'array', items: ref('ApiTokenView') } } } }, '404': error('Body outside your scope'), ...common } }),
        post: op('createToken', 'management', 'Create an API token for a body (shown once)', { requestBody: { required: true, content: { 'application/json': { schema: ref('CreateApiTokenRequest') } } }, responses: { '201': json('CreateApiTokenResponse', 'Created'), '400': error('Bad body'), '404': error('Body outside your scope'), ...common } }),
      },
      '/desk/v1/tokens/{tokenId}': {
        delete: op('revokeToken', 'management', 'Revoke an API token (at once)', { parameters: [{ name: 'tokenId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { '200': json('ApiTokenView', 'Revoked'), '404': error('Unknown or outside your scope'), ...common } }),
      },
      '/desk/v1/bodies/{bodyCode}/webhook': {
        get: op('getWebhook', 'management', "The body's webhook settings", { parameters: [bodyCode], responses: { '200': json('WebhookSettingsView', 'Settings'), '404': error('Body outside your scope'), ...common } }),
        put: op('setWebhook', 'management', 'Set the webhook URL; a new signing key is shown once', { parameters: [bodyCode], requestBody: { required: true, content: { 'application/json': { schema: ref('SetWebhookRequest') } } }, responses: { '200': json('WebhookKeyResponse', 'Set'), '400': error('Bad URL'), '404': error('Body outside your scope'), '503': error('Webhooks are off (AGENCY_WEBHOOK_SECRET unset)'), ...common } }),
        delete: op('removeWebhook', 'management', 'Stop sending webhooks to this body', { parameters: [bodyCode], responses: { '204': { description: 'Removed' }, '404': error('Body outside your scope'), ...common } }),
      },
      '/desk/v1/bodies/{bodyCode}/working-week': {
        get: op('getWorkingWeek', 'management', "The body's working week (Monday–Friday, or a declared six-day week)", { parameters: [bodyCode], responses: { '200': json('WorkingWeekView', 'Working week'), '404': error('Body outside your scope'), ...common } }),
        put: op('setWorkingWeek', 'management', 'Declare or end a six-day working week (audited; applies to deadlines of stages starting afterwards)', { parameters: [bodyCode], requestBody: { required: true, content: { 'application/json': { schema: ref('SetWorkingWeekRequest') } } }, responses: { '200': json('WorkingWeekView', 'Set'), '400': error('Bad body'), '404': error('Body outside your scope'), ...common } }),
      },
      '/desk/v1/bodies/{bodyCode}/webhook/rotate': {
        post: op('rotateWebhookKey', 'management', 'Rotate the signing key (the old one stops at once); shown once', { parameters: [bodyCode], responses: { '200': json('WebhookKeyResponse', 'Rotated'), '400': error('No webhook URL set'), '404': error('Body outside your scope'), ...common } }),
      },
      '/desk/v1/deadline-policy': {
        get: op('getDeadlinePolicy', 'management', 'The deadline policy in force (per stage, submission type and fast lane, with legal basis) and its version (0: the file)', { responses: { '200': json('DeadlinePolicyDocument', 'The policy'), ...common } }),
        put: op('setDeadlinePolicy', 'management', 'National admin only: a new version of the deadline policy (audited); applies to stages that start afterwards', {
          requestBody: { required: true, content: { 'application/json': { schema: ref('SetDeadlinePolicyRequest') } } },
          responses: { '200': json('DeadlinePolicyDocument', 'The new version'), '400': error('Invalid policy (`fields` names what is wrong)'), ...common },
        }),
      },
      '/desk/v1/fast-lanes': {
        get: op('listFastLanes', 'fast-lanes', 'National admin only: every fast lane, active first', { responses: { '200': { description: 'Lanes', content: { 'application/json': { schema: { type: 'array', items: ref('FastLaneView') } } } }, ...common } }),
        post: op('createFastLane', 'fast-lanes', 'National admin only: declare a lane (audited); it catches complaints registered or re-assigned from now on', {
          requestBody: { required: true, content: { 'application/json': { schema: ref('FastLaneInput') } } },
          responses: { '201': json('FastLaneView', 'Declared'), '400': error('Bad body, or an unknown coordinating body'), '409': error('Slug already used'), ...common },
        }),
      },
      '/desk/v1/fast-lanes/{laneId}': {
        put: op('updateFastLane', 'fast-lanes', 'National admin only: replace a lane, or switch it on/off with `active` (audited; complaints already in it stay)', {
          parameters: [{ name: 'laneId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('FastLaneInput') } } },
          responses: { '200': json('FastLaneView', 'Changed'), '400': error('Bad body, or an unknown coordinating body'), '404': error('Unknown lane'), '409': error('Slug already used'), ...common },
        }),
      },
      '/desk/v1/audit': {
        get: op('auditLog', 'management', 'The latest 200 audit entries of a body (or a complaint)', {
          parameters: [bodyQuery, { name: 'trackingId', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: 'Audit entries, newest first', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } }, '404': error('Body outside your scope'), ...common },
        }),
      },
    },
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A body API token (`npm run desk -- token create --body <code>`, or the console)' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'lapor_desk', description: 'The console session; writes also need the `X-CSRF-Token` header' },
      },
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, stripMeta(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }))])),
    },
  };
}

function stripMeta(schema: unknown) {
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}
