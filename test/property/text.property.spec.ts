import fc from 'fast-check';
import { findUnstorableText, isMeaningfulText, isStorableText, normalizeText, truncateText } from '@lapor/contracts';

/** Properties of the one text normalization every intake applies (libs/contracts/src/text.ts), over any UTF-16 input. */
describe(normalizeText.name, () => {
  // Raw UTF-16 units: lone surrogates, NUL, every control character, combining marks, emoji.
  const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: fc.constantFrom('\u0000', '\r', '\n', '\t', '\u0085', '\u2028', '\ud800', '\udfff', 'e', '\u0301', '😀', '\u200b', '\u001b'), maxLength: 50 }));

  it('should always give text PostgreSQL can store', () => {
    fc.assert(fc.property(anyText, (raw) => expect(isStorableText(normalizeText(raw))).toBe(true)));
  });

  it('should be idempotent: normalizing twice changes nothing more', () => {
    fc.assert(fc.property(anyText, (raw) => expect(normalizeText(normalizeText(raw))).toBe(normalizeText(raw))));
  });

  it('should leave no control character but tab and line feed, and no CR', () => {
    fc.assert(fc.property(anyText, (raw) => expect(normalizeText(raw)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)));
  });

  it('should give NFC text and keep text that is already clean as it is', () => {
    fc.assert(fc.property(anyText, (raw) => expect(normalizeText(raw)).toBe(normalizeText(raw).normalize('NFC'))));
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }).filter((s) => !/[\u0000-\u001F\u007F]/.test(s)), (clean) => expect(normalizeText(clean)).toBe(clean)));
  });

  it('should keep every letter a person wrote, so meaningful text stays meaningful', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        if (/\p{L}/u.test(raw)) expect(isMeaningfulText(normalizeText(raw))).toBe(true);
      }),
    );
  });

  it('should find what is unstorable anywhere in an event, and nothing once normalized', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('\u0000', '\ud800'), (value, bad) => {
        expect(findUnstorableText({ payload: { value, text: `x${bad}y` } })).toEqual(['payload', 'text']);
        expect(findUnstorableText(JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' ? normalizeText(v) : v)))).toBeNull();
      }),
    );
  });

  it('should never cut an emoji in half when truncating', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), fc.nat(120), (text, max) => {
        const cut = truncateText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(isStorableText(cut)).toBe(true);
        expect(text.startsWith(cut)).toBe(true);
      }),
    );
  });
});
