import { z } from 'zod';
import { ComplaintInbound } from './events/complaint-inbound.event';
import { ComplaintRegistered } from './events/complaint-registered.event';
import { ComplaintStatusChanged } from './events/complaint-status-changed.event';
import { ChannelCommand } from './events/channel-command.event';
import { ChannelNotice } from './events/channel-notice.event';
import { DeliveryStatus } from './events/delivery-status.event';
import { StatusReply } from './events/status-reply.event';
import { AgencyNotice } from './events/agency-notice.event';
import { ComplaintEscalated } from './events/complaint-escalated.event';
import { ApiError, ComplaintView, CreateComplaintRequest, CreateComplaintResponse } from './http/complaints-api.schema';
import { AgencyWebhookBody } from './agency-webhook';
import { Open311CreatedRequest, Open311CreateForm, Open311Discovery, Open311Error, Open311Service, Open311ServiceDefinition, Open311ServiceRequest, Open311Token } from './http/open311.schema';

/** Every event crossing the bus, for consumers and for the JSON Schema export. */
export const EVENTS = [ComplaintInbound, ComplaintRegistered, ComplaintStatusChanged, ChannelCommand, StatusReply, DeliveryStatus, ChannelNotice, AgencyNotice, ComplaintEscalated] as const;

/**
 * JSON Schema (draft 2020-12) of each event envelope, keyed by file name, so a
 * non-TypeScript consumer can validate what it reads. Written to docs/json-schema/
 * by `npm run contracts:json-schema`; a test fails when the committed files drift.
 */
export function eventJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of EVENTS) {
    out[`${e.type}.v${e.schemaVersion}.schema.json`] = {
      $id: `https://lapor-gateway/schemas/${e.type}.v${e.schemaVersion}.json`,
      title: `${e.type} v${e.schemaVersion} (topic ${e.topic})`,
      ...z.toJSONSchema(e.envelope, { io: 'input' }),
    };
  }
  return out;
}

/**
 * Every file in docs/json-schema/: the event envelopes, and the body of the agency
 * webhook (what a body's own system receives; see the README, "For agencies").
 */
export function jsonSchemaFiles(): Record<string, unknown> {
  return {
    ...eventJsonSchemas(),
    'agency-webhook.v1.schema.json': {
      $id: 'https://lapor-gateway/schemas/agency-webhook.v1.json',
      title: 'agency webhook body v1 (POST to the body\'s own system, signed with X-Lapor-Signature)',
      ...z.toJSONSchema(AgencyWebhookBody, { io: 'output' }),
    },
  };
}

/** JSON Schemas of the public HTTP shapes, used by the OpenAPI document. */
export function httpJsonSchemas(): Record<string, unknown> {
  return {
    CreateComplaintRequest: z.toJSONSchema(CreateComplaintRequest, { io: 'input', target: 'openapi-3.0' }),
    CreateComplaintResponse: z.toJSONSchema(CreateComplaintResponse, { target: 'openapi-3.0' }),
    ComplaintView: z.toJSONSchema(ComplaintView, { target: 'openapi-3.0' }),
    ApiError: z.toJSONSchema(ApiError, { target: 'openapi-3.0' }),
    Open311Discovery: z.toJSONSchema(Open311Discovery, { target: 'openapi-3.0' }),
    Open311Services: z.toJSONSchema(z.array(Open311Service), { target: 'openapi-3.0' }),
    Open311ServiceDefinition: z.toJSONSchema(Open311ServiceDefinition, { target: 'openapi-3.0' }),
    Open311CreateForm: z.toJSONSchema(Open311CreateForm, { io: 'input', target: 'openapi-3.0' }),
    Open311CreatedRequests: z.toJSONSchema(z.array(Open311CreatedRequest), { target: 'openapi-3.0' }),
    Open311Tokens: z.toJSONSchema(z.array(Open311Token), { target: 'openapi-3.0' }),
    Open311ServiceRequests: z.toJSONSchema(z.array(Open311ServiceRequest), { target: 'openapi-3.0' }),
    Open311Errors: z.toJSONSchema(z.array(Open311Error), { target: 'openapi-3.0' }),
  };
}
