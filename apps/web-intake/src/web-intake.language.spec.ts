import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { ApiError, MAX_COMPLAINT_TEXT_CHARS, RegionListing } from '@lapor/contracts';
import { ALL_CATALOGUES, Locale } from '@lapor/i18n';
import { loadConfig } from '@lapor/runtime';
import { createWebIntakeApp } from './web-intake.app';

/*
 * One language at a time: every answer a citizen can get from the complaint API and the web
 * form when their input is wrong, asked for in Bahasa Indonesia and in English, has no word of
 * the other language and none of the validator's or parser's own English. The word lists are
 * common function words and the words these messages use; names (Kota Bandung), codes and the
 * Indonesian terms an English text keeps on purpose (kecamatan, Anonim) are in neither.
 */
const ENGLISH = new Set('the and must is are not please least most characters number this report with for or write has have been can be field required invalid expected too big small of to was were you your should here there send text choose check see'.split(' '));
const INDONESIAN = new Set('yang dan tidak harus wajib diisi laporan karakter paling banyak minimal nomor atau untuk dengan tuliskan isi periksa bukan ada contoh berupa teks angka mungkin maksud anda wilayah daftar punya terlalu pilih kirim lagi huruf sebagai dapat belum kosong'.split(' '));
/** What zod, Fastify, Express or Nest say by themselves: never shown to a citizen. */
const RAW_VALIDATOR = /Invalid input|Too big|Too small|expected [a-z]+, received|Invalid (email|string|option|element)|Unexpected token|at position \d|SyntaxError|Cannot (GET|POST)|Bad Request:|Unrecognized key/;

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** The words of the other language in `text` (empty when it is in one language). */
export function foreignWords(text: string, locale: Locale): string[] {
  const other = locale === 'id' ? ENGLISH : INDONESIAN;
  return [...new Set(wordsOf(text).filter((w) => other.has(w)))];
}

/** The visible text of a page, without scripts, styles and the parts marked as another language (the switch link). */
export function visibleText(html: string, locale: Locale): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(new RegExp(`<(\\w+)[^>]*\\blang="(?!${locale}")[a-z]+"[^>]*>[\\s\\S]*?</\\1>`, 'g'), ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
}

const TEXT = 'Jalan berlubang besar di depan SD Negeri 3 Kota Bandung, sudah dua bulan';
const json = (body: unknown) => JSON.stringify(body);

/** Every way a POST /api/v1/complaints can be refused for its input: [case, body, content type, header, field expected in `fields`]. */
const API_CASES: [string, string, string, Record<string, string>, string | null][] = [
  ['malformed JSON', '{"text":', 'application/json', {}, '(body)'],
  ['a JSON array', '[1,2]', 'application/json', {}, '(body)'],
  ['no text', json({}), 'application/json', {}, 'text'],
  ['text as a number', json({ text: 12345678901 }), 'application/json', {}, 'text'],
  ['text too short', json({ text: 'pendek' }), 'application/json', {}, 'text'],
  ['text too long', json({ text: `${TEXT} `.repeat(Math.ceil(MAX_COMPLAINT_TEXT_CHARS / TEXT.length) + 1) }), 'application/json', {}, 'text'],
  ['text without words', json({ text: '😡🙏😡🙏😡🙏😡🙏😡🙏' }), 'application/json', {}, 'text'],
  ['regionCode as a number', json({ text: TEXT, regionCode: 32.73 }), 'application/json', {}, 'regionCode'],
  ['regionCode malformed', json({ text: TEXT, regionCode: '32-73' }), 'application/json', {}, 'regionCode'],
  ['unknown province', json({ text: TEXT, regionCode: '99.99' }), 'application/json', {}, 'regionCode'],
  ['unknown kabupaten/kota', json({ text: TEXT, regionCode: '32.99' }), 'application/json', {}, 'regionCode'],
  ['unknown kecamatan', json({ text: TEXT, regionCode: '32.73.99' }), 'application/json', {}, 'regionCode'],
  ['unknown desa/kelurahan', json({ text: TEXT, regionCode: '32.73.01.9999' }), 'application/json', {}, 'regionCode'],
  ['location not an object', json({ text: TEXT, location: 'Bandung' }), 'application/json', {}, 'location'],
  ['latitude out of range', json({ text: TEXT, location: { lat: 100, lon: 107.6 } }), 'application/json', {}, 'location.lat'],
  ['longitude not a number', json({ text: TEXT, location: { lat: -6.9, lon: 'x' } }), 'application/json', {}, 'location.lon'],
  ['latitude missing', json({ text: TEXT, location: { lon: 107.6 } }), 'application/json', {}, 'location.lat'],
  ['reporter not an object', json({ text: TEXT, reporter: 'Budi' }), 'application/json', {}, 'reporter'],
  ['empty name', json({ text: TEXT, reporter: { name: '  ' } }), 'application/json', {}, 'reporter.name'],
  ['name too long', json({ text: TEXT, reporter: { name: 'Budi '.repeat(50) } }), 'application/json', {}, 'reporter.name'],
  ['invalid e-mail', json({ text: TEXT, reporter: { email: 'bukan-email' } }), 'application/json', {}, 'reporter.email'],
  ['invalid phone', json({ text: TEXT, reporter: { phone: 'nol delapan' } }), 'application/json', {}, 'reporter.phone'],
  ['phone with too few digits', json({ text: TEXT, reporter: { phone: '(12)---' } }), 'application/json', {}, 'reporter.phone'],
  ['anonymous not a boolean', json({ text: TEXT, anonymous: 'ya' }), 'application/json', {}, 'anonymous'],
  ['category too long', json({ text: TEXT, category: 'x'.repeat(101) }), 'application/json', {}, 'category'],
  ['Idempotency-Key with spaces', json({ text: TEXT }), 'application/json', { 'Idempotency-Key': 'a b' }, 'Idempotency-Key'],
  ['not JSON', TEXT, 'text/plain', {}, null],
  ['a body over 64 KiB', json({ text: 'x'.repeat(70 * 1024) }), 'application/json', {}, null],
];

/** The web form's refusals (urlencoded, as a browser without JavaScript posts it): [case, fields, the field's error element]. */
const FORM_CASES: [string, Record<string, string>, string][] = [
  ['empty report', { text: '' }, 'text-error'],
  ['report too short', { text: 'pendek' }, 'text-error'],
  ['report without words', { text: '!!!!!!!!!!!!!!!!' }, 'text-error'],
  ['invalid e-mail', { text: TEXT, email: 'bukan-email' }, 'reporter.email-error'],
  ['invalid phone', { text: TEXT, phone: 'nol delapan' }, 'reporter.phone-error'],
  ['name too long', { text: TEXT, name: 'Budi '.repeat(50) }, 'reporter.name-error'],
  ['position out of range', { text: TEXT, lat: '100', lon: '107.6' }, 'location-error'],
  ['position not a number', { text: TEXT, lat: '-6.9', lon: 'timur' }, 'location-error'],
];

/** Tracking numbers people mistype, on the API and the status page. */
const TRACKING_CASES: [string, string][] = [
  ['a letter O that is never used', 'AOKXYKU4RXD'],
  ['too short', 'AOKXYKU4RX'],
  ['a wrong check character', 'HBWWY4RQS3A'],
  ['a symbol', 'HBWWY#RQS3N'],
];

const LOCALES: [Locale, Record<string, string>, string][] = [
  ['id', {}, ''],
  ['id', { 'Accept-Language': 'id-ID,id;q=0.9,en;q=0.5' }, ''],
  ['en', { 'Accept-Language': 'en-GB,en;q=0.9' }, ''],
  ['en', {}, '?lang=en'],
];

describe('web-intake speaks one language at a time', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const bus = new InProcessBus();
    await bus.start();
    // ROUTER_URL points nowhere: these answers never need the router (a valid number that needs it answers 503).
    app = await createWebIntakeApp(loadConfig({ LOG_LEVEL: 'error', ROUTER_URL: 'http://127.0.0.1:9' } as NodeJS.ProcessEnv), { bus });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => app?.close());

  function expectOneLanguage(texts: string[], locale: Locale) {
    for (const text of texts) {
      expect(text).not.toMatch(RAW_VALIDATOR);
      expect({ text, foreign: foreignWords(text, locale) }).toEqual({ text, foreign: [] });
    }
  }

  describe.each(LOCALES)('asked for %s (%j%s)', (locale, headers, query) => {
    it.each(API_CASES)('API: %s', async (_name, body, contentType, extra, field) => {
      const res = await fetch(`${url}/api/v1/complaints${query}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers, ...extra }, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const error = ApiError.parse(await res.json());
      if (field) {
        expect(res.status).toBe(400);
        expect(error.fields?.[field]?.length).toBeGreaterThan(0);
      }
      expectOneLanguage([error.message, ...Object.values(error.fields ?? {}).flat()], locale);
    });

    it.each(FORM_CASES)('form: %s', async (_name, fields, errorId) => {
      const body = new URLSearchParams({ idempotencyKey: 'k-1', ...fields });
      const res = await fetch(`${url}/lapor${query}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`<html lang="${locale}">`);
      const error = new RegExp(`id="${errorId.replace('.', '\\.')}">([^<]+)<`).exec(html);
      expect(error?.[1]).toBeTruthy();
      expectOneLanguage([error![1], visibleText(html, locale)], locale);
    });

    it.each(TRACKING_CASES)('tracking number %s', async (_name, typed) => {
      const api = await fetch(`${url}/api/v1/complaints/${encodeURIComponent(typed)}${query}`, { headers });
      expect(api.status).toBe(404);
      const page = await fetch(`${url}/lapor/cek?id=${encodeURIComponent(typed)}${query.replace('?', '&')}`, { headers });
      expect(page.status).toBe(404);
      expectOneLanguage([ApiError.parse(await api.json()).message, visibleText(await page.text(), locale)], locale);
    });

    it('the form, the empty status page and a page that does not exist', async () => {
      for (const path of ['/', '/lapor', '/lapor?provinsi=32&kabupaten=32.73', '/lapor/cek', '/x7q/z']) {
        const res = await fetch(`${url}${path}${query ? (path.includes('?') ? '&lang=en' : query) : ''}`, { headers: { Accept: 'text/html', ...headers } });
        expect(res.status).toBe(path === '/x7q/z' ? 404 : 200);
        const html = await res.text();
        expect(html).toContain(`<html lang="${locale}">`);
        expectOneLanguage([visibleText(html, locale)], locale);
      }
    });
  });

  it('says which character of a tracking number is wrong, and the only number it can have been', async () => {
    const res = await fetch(`${url}/api/v1/complaints/AOKXYKU4RXD`);
    expect(ApiError.parse(await res.json()).message).toBe('Karakter ke-2, "O", tidak pernah dipakai dalam nomor pelacakan (tidak ada huruf O, I, L dan angka 0, 1). Mungkin maksud Anda APKXY-KU4RX-D.');
    const en = await fetch(`${url}/api/v1/complaints/AOKXYKU4RXD`, { headers: { 'Accept-Language': 'en' } });
    expect(ApiError.parse(await en.json()).message).toBe('Character 2, "O", is never used in tracking numbers (there is no O, I, L, 0 or 1). Perhaps you mean APKXY-KU4RX-D.');
  });

  it('answers text sent as a number with "harus berupa teks", not "wajib diisi"', async () => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json({ text: 12345678901 }) });
    expect(ApiError.parse(await res.json()).fields).toEqual({ text: ['isi laporan harus berupa teks'] });
  });

  it('names the unknown part of a region code and where the codes are listed', async () => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json({ text: TEXT, regionCode: '32.73.99' }) });
    expect(ApiError.parse(await res.json()).fields).toEqual({ regionCode: ['Kota Bandung tidak punya kecamatan dengan kode 32.73.99; daftar kodenya: /api/v1/regions/32.73'] });
    const list = RegionListing.parse(await (await fetch(`${url}/api/v1/regions/32.73`)).json());
    expect(list.region).toEqual({ code: '32.73', name: 'Kota Bandung', level: 'regency' });
    expect(list.children).toContainEqual({ code: '32.73.01', name: 'Sukasari', level: 'district' });
  });

  it('catches the mixed and raw messages this spec is about (the checker itself)', () => {
    expect(foreignWords('minimal 10 karakter (at least 10 characters)', 'id')).toEqual(['least', 'characters']);
    expect(foreignWords('The report is not valid: isi laporan wajib diisi', 'en')).toEqual(['isi', 'laporan', 'wajib', 'diisi']);
    expect('Too big: expected number to be <=90').toMatch(RAW_VALIDATOR);
    expect('Unexpected token } in JSON at position 8').toMatch(RAW_VALIDATOR);
  });

  it('keeps every catalogue message in its own language too', () => {
    for (const catalogue of [ALL_CATALOGUES.web, ALL_CATALOGUES.validation]) {
      for (const [key, message] of Object.entries(catalogue)) {
        if (typeof message.id !== 'string' || typeof message.en !== 'string') continue;
        expect({ key, foreign: foreignWords(message.id, 'id') }).toEqual({ key, foreign: [] });
        expect({ key, foreign: foreignWords(message.en, 'en') }).toEqual({ key, foreign: [] });
      }
    }
  });
});
