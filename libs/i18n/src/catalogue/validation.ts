import type { z } from 'zod';
import { defineMessages, translate } from '../catalogue';
import type { Locale } from '../locale';

/**
 * What a citizen is told about their input (the complaint API's `fields`, the web form's
 * messages). The zod schemas in libs/contracts carry these keys as their messages (one
 * source of truth for the rules); `validationFields` turns them into text at the edge, in
 * the language of the request. Issues a schema does not name (a shared schema such as
 * GeoPoint, or zod's own type checks) fall back to `<field>.<code>`, then to the issue code,
 * so zod's English ("Too big: expected number to be <=90") never reaches anyone.
 */
export const validationMessages = defineMessages({
  // The complaint (CreateComplaintRequest).
  'text.required': { id: 'isi laporan wajib diisi', en: 'please write what happened' },
  'text.notText': { id: 'isi laporan harus berupa teks', en: 'the report must be text' },
  'text.tooShort': { id: 'minimal {minimum} karakter', en: 'at least {minimum} characters' },
  'text.tooLong': { id: 'paling banyak {maximum} karakter', en: 'at most {maximum} characters' },
  'text.noWords': { id: 'tuliskan laporan dengan kata-kata, bukan hanya emoji, simbol atau angka', en: 'describe the problem in words, not only emoji, symbols or numbers' },
  'regionCode.invalid_type': { id: 'kode wilayah harus berupa teks, contoh "32.73"', en: 'the region code must be text, for example "32.73"' },
  'regionCode.invalid_format': { id: 'kode wilayah Kemendagri berbentuk "32", "32.73", "32.73.01" atau "32.73.01.1001"', en: 'a Kemendagri region code looks like "32", "32.73", "32.73.01" or "32.73.01.1001"' },
  'regionCode.unknownProvince': { id: 'tidak ada provinsi dengan kode {code}; daftar kode wilayah: {listUrl}', en: 'there is no province with code {code}; region codes are listed at {listUrl}' },
  'regionCode.unknownRegency': { id: '{parent} tidak punya kabupaten/kota dengan kode {code}; daftar kodenya: {listUrl}', en: '{parent} has no regency or city with code {code}; its codes are listed at {listUrl}' },
  'regionCode.unknownDistrict': { id: '{parent} tidak punya kecamatan dengan kode {code}; daftar kodenya: {listUrl}', en: '{parent} has no district (kecamatan) with code {code}; its codes are listed at {listUrl}' },
  'regionCode.unknownVillage': { id: '{parent} tidak punya desa/kelurahan dengan kode {code}; daftar kodenya: {listUrl}', en: '{parent} has no village (desa/kelurahan) with code {code}; its codes are listed at {listUrl}' },
  location: { id: 'lokasi berbentuk {"lat": -6.9, "lon": 107.6}', en: 'the location looks like {"lat": -6.9, "lon": 107.6}' },
  'location.lat': { id: 'lintang (lat) harus angka antara -90 dan 90', en: 'the latitude (lat) must be a number from -90 to 90' },
  'location.lon': { id: 'bujur (lon) harus angka antara -180 dan 180', en: 'the longitude (lon) must be a number from -180 to 180' },
  'reporter.name.tooLong': { id: 'nama paling banyak {maximum} karakter', en: 'the name may have at most {maximum} characters' },
  'reporter.name.empty': { id: 'nama tidak boleh kosong; hapus kolomnya bila tidak ingin mengisi', en: 'the name may not be blank; leave the field out instead' },
  'reporter.email.invalid': { id: 'alamat e-mail tidak valid, contoh: nama@contoh.id', en: 'this is not an e-mail address, for example: name@example.com' },
  'reporter.phone.invalid': { id: 'nomor HP tidak valid, contoh: 0812 3456 7890', en: 'this is not a phone number, for example: +62 812 3456 7890' },
  'category.tooLong': { id: 'kategori paling banyak {maximum} karakter', en: 'the category may have at most {maximum} characters' },
  // Shapes any field can get wrong (fallbacks by zod issue code).
  required: { id: 'wajib diisi', en: 'required' },
  'invalid_type.string': { id: 'harus berupa teks', en: 'must be text' },
  'invalid_type.number': { id: 'harus berupa angka', en: 'must be a number' },
  'invalid_type.boolean': { id: 'harus true atau false', en: 'must be true or false' },
  'invalid_type.object': { id: 'harus berupa objek JSON {…}', en: 'must be a JSON object {…}' },
  invalid_type: { id: 'jenis isiannya salah', en: 'has the wrong type' },
  too_small: { id: 'terlalu kecil atau terlalu pendek (minimal {minimum})', en: 'too small or too short (at least {minimum})' },
  too_big: { id: 'terlalu besar atau terlalu panjang (maksimal {maximum})', en: 'too large or too long (at most {maximum})' },
  invalid: { id: 'isian tidak valid', en: 'not valid' },
  // The request as a whole.
  'body.invalid': { id: 'Data laporan tidak valid: periksa pesan pada setiap isian.', en: 'The report is not valid: see the message for each field.' },
  'body.malformedJson': { id: 'JSON tidak dapat dibaca: periksa tanda kutip, koma dan kurung kurawal.', en: 'The JSON cannot be read: check the quotes, commas and braces.' },
  'body.complaintPartMissing': { id: 'Bagian "complaint" (JSON laporan) tidak ada dalam multipart/form-data.', en: 'The part "complaint" (the report as JSON) is missing from the multipart/form-data body.' },
  'body.tooLarge': { id: 'Isi permintaan terlalu besar: paling besar {limit} byte.', en: 'The request body is too large: at most {limit} bytes.' },
  'body.unsupportedType': { id: 'Kirim data sebagai application/json atau multipart/form-data.', en: 'Send the data as application/json or multipart/form-data.' },
  'idempotencyKey.invalid': { id: '1–200 karakter ASCII yang dapat dicetak, misalnya sebuah UUID', en: '1–200 printable ASCII characters, for example a UUID' },
  'idempotencyKey.message': { id: 'Idempotency-Key tidak valid.', en: 'The Idempotency-Key is not valid.' },
});

export type ValidationKey = keyof typeof validationMessages;

export function isValidationKey(value: unknown): value is ValidationKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(validationMessages, value);
}

/** The field an issue is about, as the API names it: `reporter.email`, `location.lat`, `(body)` for the body itself. */
export function issueField(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.') || '(body)';
}

/**
 * The catalogue key of one zod issue: the schema's own key when it names one, else the most
 * specific fallback (`location.lat` for any problem with the latitude, `invalid_type.number`,
 * `too_big`, ...). Parse with `{ reportInput: true }` so a missing value reads "required".
 */
export function issueKey(issue: z.core.$ZodIssue): ValidationKey {
  if (isValidationKey(issue.message)) return issue.message;
  const field = issueField(issue);
  const candidates: string[] = [`${field}.${issue.code}`, field];
  if (issue.code === 'invalid_type') {
    if ((issue as { input?: unknown }).input === undefined) candidates.push('required');
    candidates.push(`invalid_type.${issue.expected}`);
  }
  candidates.push(issue.code);
  return (candidates.find(isValidationKey) ?? 'invalid') as ValidationKey;
}

/** One issue in words, with the limits zod reports filled in ({minimum}, {maximum}). */
export function issueMessage(issue: z.core.$ZodIssue, locale: Locale): string {
  const limits = issue as { minimum?: number | bigint; maximum?: number | bigint };
  const params: Record<string, string | number> = {};
  if (limits.minimum !== undefined) params.minimum = Number(limits.minimum);
  if (limits.maximum !== undefined) params.maximum = Number(limits.maximum);
  return translate(validationMessages, issueKey(issue), locale, params);
}

/** A failed parse as the API's `fields` (one message list per field) in one language. */
export function validationFields(error: z.ZodError, locale: Locale): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const messages = (fields[issueField(issue)] ??= []);
    const message = issueMessage(issue, locale);
    if (!messages.includes(message)) messages.push(message);
  }
  return fields;
}
