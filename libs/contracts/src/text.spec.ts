import { validationFields } from '@lapor/i18n';
import { ComplaintInbound } from './events/complaint-inbound.event';
import { CreateComplaintRequest } from './http/complaints-api.schema';
import { findUnstorableText, hasControlCharacters, isMeaningfulText, isStorableText, normalizeText, truncateText } from './text';
import { trackingIdFor } from './tracking-id';

describe(normalizeText.name, () => {
  const cases: [string, string, string][] = [
    ['removes NUL', 'Jalan rusak \u0000 parah sekali', 'Jalan rusak  parah sekali'],
    ['removes C0 controls except tab and LF', 'a\u0001b\u0007c\u0008d\u000Be\u000Cf\u001Bg\u001Fh\ti\nj', 'abcdefgh\ti\nj'],
    ['removes DEL and C1 controls', 'a\u007Fb\u0080c\u009Bd\u009Fe', 'abcde'],
    ['turns CRLF and a lone CR into LF', 'baris 1\r\nbaris 2\rbaris 3\nbaris 4', 'baris 1\nbaris 2\nbaris 3\nbaris 4'],
    ['turns NEL, U+2028 and U+2029 into LF', 'a\u0085b\u2028c\u2029d', 'a\nb\nc\nd'],
    ['replaces a lone high surrogate', 'Jalan \uD83D rusak', 'Jalan \uFFFD rusak'],
    ['replaces a lone low surrogate', 'Jalan \uDE00 rusak', 'Jalan \uFFFD rusak'],
    ['replaces a high surrogate at the very end', 'rusak\uD83D', 'rusak\uFFFD'],
    ['keeps a valid surrogate pair (emoji)', 'Jalan rusak 😡', 'Jalan rusak 😡'],
    ['composes NFD into NFC', 'Cafe\u0301 di Sleman', 'Caf\u00E9 di Sleman'],
    ['keeps a ZWJ emoji sequence whole', 'Keluarga 👨‍👩‍👧 terdampak', 'Keluarga 👨\u200D👩\u200D👧 terdampak'],
    ['keeps ordinary Indonesian text with emoji unchanged', 'Lampu PJU di Jl. Braga mati 2 minggu 🙏🙏\nMohon segera diperbaiki!', 'Lampu PJU di Jl. Braga mati 2 minggu 🙏🙏\nMohon segera diperbaiki!'],
    ['keeps other scripts', 'ꦗꦭꦤ꧀ ꦫꦸꦱꦏ꧀ (Jawa), جالن روسق', 'ꦗꦭꦤ꧀ ꦫꦸꦱꦏ꧀ (Jawa), جالن روسق'],
  ];
  it.each(cases)('should %s', (_name, input, expected) => {
    const out = normalizeText(input);
    expect(out).toBe(expected);
    expect(isStorableText(out)).toBe(true);
    expect(normalizeText(out)).toBe(out);
  });
});

describe(isMeaningfulText.name, () => {
  const cases: [string, string, boolean][] = [
    ['zero-width characters only', '\u200B\u200C\u200D\uFEFF\u2060', false],
    ['emoji only', '😡😡😡🙏👨‍👩‍👧', false],
    ['punctuation and digits only', '... !!! 123 ???', false],
    ['whitespace only', ' \n\t ', false],
    ['an empty string', '', false],
    ['Indonesian text', 'Jalan rusak', true],
    ['text with emoji', '😡 jalan rusak 😡', true],
    ['another script', 'جالن', true],
  ];
  it.each(cases)('should judge %s', (_name, input, expected) => {
    expect(isMeaningfulText(normalizeText(input))).toBe(expected);
  });
});

describe(truncateText.name, () => {
  it.each([
    ['abcdef', 4, 'abcd'],
    ['abc😡def', 4, 'abc'],
    ['abc😡def', 5, 'abc😡'],
    ['short', 200, 'short'],
  ])('should cut %j to %i units without splitting an emoji', (input, max, expected) => {
    expect(truncateText(input, max)).toBe(expected);
    expect(isStorableText(truncateText(input, max))).toBe(true);
  });
});

describe(hasControlCharacters.name, () => {
  it.each([
    ['SM0123456789abcdef', false],
    ['+6281234567890', false],
    ['SM01\u0000', true],
    ['+62\u001B[2J', true],
    ['a\u0085', true],
  ])('should judge %j', (input, expected) => expect(hasControlCharacters(input)).toBe(expected));
});

describe(findUnstorableText.name, () => {
  it.each([
    [{ a: 'ok', b: ['fine', { c: 'x\u0000y' }] }, ['b', 1, 'c']],
    [{ a: 'ok', b: ['\uD800'] }, ['b', 0]],
    [{ ['k\u0000']: 1 }, ['k\u0000']],
    [{ a: 'ok', n: 1, t: true, z: null }, null],
  ])('should find the path of %j', (value, path) => expect(findUnstorableText(value)).toEqual(path));
});

describe('event envelopes', () => {
  const inbound = (text: string) => ({
    eventId: '00000000-0000-4000-8000-000000000000',
    type: 'complaint.inbound',
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'x',
    payload: { trackingId: trackingIdFor('sms', 'SM1'), channel: 'sms', channelMessageId: 'SM1', senderId: '+62812', text, receivedAt: new Date().toISOString() },
  });

  it('should refuse an event whose text PostgreSQL cannot store, naming the field', () => {
    for (const bad of ['Jalan rusak \u0000 parah', 'Jalan rusak \uD83D parah']) {
      const result = ComplaintInbound.envelope.safeParse(inbound(bad));
      expect(result.success).toBe(false);
      expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['payload', 'text'], message: expect.stringContaining('NUL') })]);
      expect(() => ComplaintInbound.parse(JSON.stringify(inbound(bad)))).toThrow(/NUL/);
    }
  });

  it('should refuse it in any string field, not only the text', () => {
    const event = inbound('Jalan rusak parah');
    (event.payload as Record<string, unknown>).reporter = { name: 'Budi\u0000' };
    expect(ComplaintInbound.envelope.safeParse(event).error!.issues[0].path).toEqual(['payload', 'reporter', 'name']);
  });

  it('should accept ordinary text with emoji and line breaks', () => {
    expect(ComplaintInbound.envelope.safeParse(inbound('Jalan rusak 😡\nmohon diperbaiki')).success).toBe(true);
  });
});

describe('CreateComplaintRequest text', () => {
  const text = (body: unknown) => CreateComplaintRequest.safeParse({ text: body });

  it('should store the normalized text (NUL removed, NFC)', () => {
    expect(text('Jalan rusak \u0000 parah sekali di depan sekolah').data?.text).toBe('Jalan rusak  parah sekali di depan sekolah');
    expect(text('Cafe\u0301 di depan sekolah rusak').data?.text).toBe('Caf\u00E9 di depan sekolah rusak');
  });

  it.each([
    ['zero-width only', '\u200B'.repeat(20)],
    ['emoji only', '😡🙏'.repeat(6)],
    ['NUL only', '\u0000'.repeat(20)],
  ])('should refuse %s with the catalogue key of "write it in words"', (_name, body) => {
    const result = text(body);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain('text.noWords');
    expect(validationFields(result.error!, 'id').text.join(' ')).toMatch(/tuliskan laporan dengan kata-kata/);
  });

  it('should normalize the reporter name and the category', () => {
    const result = CreateComplaintRequest.parse({ text: 'Jalan rusak di depan sekolah', reporter: { name: 'Budi\u0000 Santoso' }, category: 'Jalan\u0007' });
    expect(result.reporter?.name).toBe('Budi Santoso');
    expect(result.category).toBe('Jalan');
  });
});
