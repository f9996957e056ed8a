import fc from 'fast-check';
import { checkTrackingId, formatTrackingId, newTrackingId, normalizeTrackingId, TRACKING_ALPHABET, trackingIdFor } from '@lapor/contracts';

/** Properties of tracking ids over generated channel message ids, typos and swaps (no infrastructure). */
describe('tracking ids', () => {
  const channel = fc.constantFrom('web', 'mobile', 'sms', 'telegram', 'x');
  const messageId = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' });
  const id = fc.tuple(channel, messageId).map(([c, m]) => trackingIdFor(c, m));

  it('should mint the same valid id for the same channel message, every time', () => {
    fc.assert(
      fc.property(channel, messageId, (c, m) => {
        const a = trackingIdFor(c, m);
        expect(trackingIdFor(c, m)).toBe(a);
        expect(checkTrackingId(a)).toEqual({ ok: true, trackingId: a });
      }),
    );
  });

  it('should accept an id however a person writes it: any case, grouped with dashes or spaces', () => {
    fc.assert(
      fc.property(id, fc.constantFrom('-', ' ', '', '_', '.'), fc.boolean(), (t, sep, lower) => {
        const typed = formatTrackingId(t).replace(/-/g, sep);
        expect(checkTrackingId(lower ? typed.toLowerCase() : typed)).toEqual({ ok: true, trackingId: t });
        expect(normalizeTrackingId(formatTrackingId(t))).toBe(t);
      }),
    );
  });

  it('should reject every single-character typo as mistyped', () => {
    fc.assert(
      fc.property(id, fc.nat(10), fc.nat(TRACKING_ALPHABET.length - 2), (t, at, shift) => {
        const wrong = TRACKING_ALPHABET[(TRACKING_ALPHABET.indexOf(t[at]) + 1 + shift) % TRACKING_ALPHABET.length];
        expect(checkTrackingId(t.slice(0, at) + wrong + t.slice(at + 1))).toEqual({ ok: false, reason: 'checksum' });
      }),
    );
  });

  it('should reject every swap of two different neighbours', () => {
    fc.assert(
      fc.property(id, fc.nat(9), (t, at) => {
        fc.pre(t[at] !== t[at + 1]);
        const swapped = t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2);
        expect(checkTrackingId(swapped).ok).toBe(false);
      }),
    );
  });

  it('should call anything of the wrong length or alphabet malformed, never valid', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: 'grapheme' }), (s) => {
        const check = checkTrackingId(s);
        if (check.ok) expect(check.trackingId).toMatch(new RegExp(`^[${TRACKING_ALPHABET}]{11}$`));
        else if (normalizeTrackingId(s).length !== 11 || /[^2-9A-HJKMNP-Z]/.test(normalizeTrackingId(s))) expect(check.reason).toBe('format');
      }),
    );
  });

  it('should mint random ids that pass their own check', () => {
    fc.assert(fc.property(fc.integer(), () => expect(checkTrackingId(newTrackingId()).ok).toBe(true)), { numRuns: 500 });
  });
});
