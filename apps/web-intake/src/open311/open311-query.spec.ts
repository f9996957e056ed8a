import fc from 'fast-check';
import { PublicComplaintQuery, trackingIdFor } from '@lapor/contracts';
import { Open311Error } from './open311-error';
import { publicQueryOf, QueryValue } from './open311-query';

const NOW = new Date('2026-12-03T10:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isServiceCode = (code: string) => ['jalan-lokal', 'pendidikan-dasar'].includes(code);
const A = trackingIdFor('web', 'satu');
const B = trackingIdFor('web', 'dua');

/**
 * GET requests' parameters (http://wiki.open311.org/GeoReport_v2/#get-service-requests) as the
 * router's public query: the 90-day window, the overriding id list, comma-delimited or
 * repeated lists, W3C dates.
 */
describe('Open311 GET requests parameters', () => {
  it.each<[string, Record<string, QueryValue>, object | null]>([
    ['nothing: the most recent 90 days', {}, { from: iso(NOW.getTime() - 90 * DAY), to: NOW.toISOString(), limit: 1000 }],
    ['start_date only: 90 days from it', { start_date: '2026-10-01T00:00:00Z' }, { from: '2026-10-01T00:00:00.000Z', to: '2026-12-30T00:00:00.000Z' }],
    ['end_date only: 90 days up to it', { end_date: '2026-12-30T00:00:00+07:00' }, { from: '2026-09-30T17:00:00.000Z', to: '2026-12-29T17:00:00.000Z' }],
    ['both, with offsets', { start_date: '2026-11-01T00:00:00+08:00', end_date: '2026-11-30T23:59:59-05:00' }, { from: '2026-10-31T16:00:00.000Z', to: '2026-12-01T04:59:59.000Z' }],
    ['a bare date: that day in WIB', { start_date: '2026-11-01', end_date: '2026-11-02' }, { from: '2026-10-31T17:00:00.000Z', to: '2026-11-01T17:00:00.000Z' }],
    ['service_code and status, comma-delimited', { service_code: 'jalan-lokal,pendidikan-dasar', status: 'OPEN,closed' }, { categories: 'jalan-lokal,pendidikan-dasar', states: 'open,closed' }],
    ['service_code repeated', { service_code: ['jalan-lokal', 'pendidikan-dasar'] }, { categories: 'jalan-lokal,pendidikan-dasar' }],
    ['service_request_id, overriding everything else', { service_request_id: `${A}, ${B.toLowerCase()}`, status: 'closed', start_date: 'bukan tanggal' }, { ids: `${A},${B}`, limit: 1000 }],
    ['service_request_id with a mistyped id among them', { service_request_id: `${A},ABCDEFGHJKM` }, { ids: A }],
    ['service_request_id with only mistyped ids: nothing can match', { service_request_id: 'ABCDEFGHJKM' }, null],
  ])('should read %s', (_what, params, expected) => {
    const query = publicQueryOf(params, isServiceCode, NOW);
    if (expected === null) expect(query).toBeNull();
    else expect(query).toMatchObject(expected);
    if (query && !query.ids) expect(Object.keys(query)).not.toContain('ids');
  });

  it.each<[string, Record<string, QueryValue>, RegExp]>([
    ['an unknown service_code', { service_code: 'jalan-lokal,tidak-ada' }, /tidak-ada/],
    ['an unknown status', { status: 'open,pending' }, /pending/],
    ['more than 90 days', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-01T00:00:01Z' }, /90 hari/],
    ['end_date before start_date', { start_date: '2026-11-02T00:00:00Z', end_date: '2026-11-01T00:00:00Z' }, /sebelum/],
    ['a time without its zone', { end_date: '2026-11-01T00:00:00' }, /end_date/],
    ['a date in another format', { start_date: '01/11/2026' }, /start_date/],
    ['an impossible date', { start_date: '2026-13-45' }, /start_date/],
    ['more than 1000 ids', { service_request_id: Array.from({ length: 1001 }, (_, i) => trackingIdFor('web', `n${i}`)).join(',') }, /1000/],
  ])('should refuse %s with 400', (_what, params, reason) => {
    let error: unknown;
    try {
      publicQueryOf(params, isServiceCode, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Open311Error);
    expect(error).toMatchObject({ status: 400, description: expect.stringMatching(reason) });
  });

  it('should answer any query string with a valid router query, nothing, or a 400, never another error', () => {
    const value = fc.oneof(fc.string(), fc.constantFrom('open', 'closed,open', 'jalan-lokal', A, `${A},${B}`, '2026-11-01', '2026-11-01T00:00:00Z', ''));
    const params = fc.dictionary(fc.constantFrom('service_request_id', 'service_code', 'status', 'start_date', 'end_date', 'jurisdiction_id', 'x'), fc.oneof(value, fc.array(value, { maxLength: 3 })));
    fc.assert(
      fc.property(params, (p) => {
        try {
          const query = publicQueryOf(p, isServiceCode, NOW);
          if (query) expect(PublicComplaintQuery.safeParse(query).success).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(Open311Error);
          expect((error as Open311Error).status).toBe(400);
        }
      }),
      { numRuns: 500 },
    );
  });
});
