import { checkTrackingId, OPEN311_MAX_REQUESTS, OPEN311_WINDOW_DAYS, Open311State, PublicComplaintQueryParams } from '@lapor/contracts';
import { Open311Error } from './open311-error';

/** A query-string value: absent, once, or repeated (`status=open&status=closed`). */
export type QueryValue = string | string[] | undefined;

const WINDOW_MS = OPEN311_WINDOW_DAYS * 86_400_000;
/** W3C-DTF (https://www.w3.org/TR/NOTE-datetime) as GeoReport v2 requires: a date, or a time with its zone. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * GET /open311/v2/requests' filters (http://wiki.open311.org/GeoReport_v2/#get-service-requests)
 * as the router's public query. `service_request_id` (comma-delimited) overrides every other
 * filter; otherwise `service_code` and `status` (comma-delimited or repeated) and the date
 * window on requested_datetime: the most recent 90 days by default, 90 days from `start_date`
 * or up to `end_date` when only one is given, and never wider than 90 days. At most 1000
 * requests, newest first. Null: nothing can match (no well-formed id).
 */
export function publicQueryOf(params: Record<string, QueryValue>, isServiceCode: (code: string) => boolean, now = new Date()): PublicComplaintQueryParams | null {
  const ids = listOf(params.service_request_id);
  if (ids.length) {
    if (ids.length > OPEN311_MAX_REQUESTS) throw new Open311Error(400, `service_request_id: paling banyak ${OPEN311_MAX_REQUESTS} (at most ${OPEN311_MAX_REQUESTS} ids)`);
    // A mistyped id names no complaint: it is simply not found, like an unknown one.
    const valid = ids.flatMap((id) => {
      const check = checkTrackingId(id);
      return check.ok ? [check.trackingId] : [];
    });
    return valid.length ? { ids: valid.join(','), limit: OPEN311_MAX_REQUESTS } : null;
  }

  const codes = listOf(params.service_code);
  const unknown = codes.filter((code) => !isServiceCode(code));
  if (unknown.length) throw new Open311Error(400, `service_code tidak dikenal: ${unknown.join(', ')} (unknown service_code)`);
  const states = listOf(params.status).map((s) => s.toLowerCase());
  const badState = states.find((s) => !Open311State.safeParse(s).success);
  if (badState) throw new Open311Error(400, `status harus open atau closed: ${badState} (status must be open or closed)`);

  const { from, to } = windowOf(dateOf('start_date', params.start_date), dateOf('end_date', params.end_date), now);
  return {
    ...(codes.length ? { categories: codes.join(',') } : {}),
    ...(states.length ? { states: states.join(',') } : {}),
    from: from.toISOString(),
    to: to.toISOString(),
    limit: OPEN311_MAX_REQUESTS,
  };
}

function windowOf(start: Date | undefined, end: Date | undefined, now: Date): { from: Date; to: Date } {
  const to = end ?? (start ? new Date(start.getTime() + WINDOW_MS) : now);
  const from = start ?? new Date(to.getTime() - WINDOW_MS);
  if (to < from) throw new Open311Error(400, 'end_date sebelum start_date (end_date is before start_date)');
  if (to.getTime() - from.getTime() > WINDOW_MS) throw new Open311Error(400, `rentang start_date sampai end_date paling lama ${OPEN311_WINDOW_DAYS} hari (the range may not span more than ${OPEN311_WINDOW_DAYS} days)`);
  return { from, to };
}

function dateOf(name: string, value: QueryValue): Date | undefined {
  const raw = single(value);
  if (raw === undefined || raw === '') return undefined;
  // A bare date is a day in WIB, the national time (the spec's examples carry a zone, FixMyStreet's index page sends bare dates).
  const date = W3C_DATETIME.test(raw) ? new Date(raw.length === 10 ? `${raw}T00:00:00+07:00` : raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Open311Error(400, `${name} harus berformat W3C, mis. 2026-12-01T00:00:00+07:00 (${name} must be a w3 datetime)`);
  return date;
}

function listOf(value: QueryValue): string[] {
  return [...new Set((Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
}

/** The first value of a field that may be repeated. */
export function single(value: QueryValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
