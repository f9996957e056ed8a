import { checkTrackingId, formatTrackingId, newTrackingId, normalizeTrackingId, splitTrackingIdArgument, TRACKING_ALPHABET, trackingIdFor } from './tracking-id';

describe('tracking id', () => {
  it('should use no ambiguous characters (0/O, 1/I/L)', () => {
    for (const c of '01OIL') expect(TRACKING_ALPHABET).not.toContain(c);
    for (let i = 0; i < 200; i++) expect(newTrackingId()).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{11}$/);
  });

  it('should accept what a person types: any case, with dashes or spaces', () => {
    const id = newTrackingId();
    expect(checkTrackingId(id.toLowerCase())).toEqual({ ok: true, trackingId: id });
    expect(checkTrackingId(formatTrackingId(id))).toEqual({ ok: true, trackingId: id });
    expect(checkTrackingId(` ${id.slice(0, 5)} ${id.slice(5)} `)).toEqual({ ok: true, trackingId: id });
    expect(normalizeTrackingId('ab-cd_e.f g')).toBe('ABCDEFG');
  });

  it('should reject every single-character typo and every swap of two neighbours', () => {
    for (let n = 0; n < 50; n++) {
      const id = newTrackingId();
      for (let i = 0; i < id.length; i++) {
        for (const c of TRACKING_ALPHABET) {
          if (c === id[i]) continue;
          const typo = id.slice(0, i) + c + id.slice(i + 1);
          expect(checkTrackingId(typo)).toEqual({ ok: false, reason: 'checksum' });
        }
        if (i + 1 < id.length && id[i] !== id[i + 1]) {
          const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
          expect(checkTrackingId(swapped).ok).toBe(false);
        }
      }
    }
  });

  it('should call malformed input a format error, not a checksum error', () => {
    expect(checkTrackingId('ABC')).toEqual({ ok: false, reason: 'format' });
    expect(checkTrackingId('0000000000O')).toEqual({ ok: false, reason: 'format' });
  });

  it('should derive the same id for the same channel message, and different ids otherwise', () => {
    expect(trackingIdFor('sms', 'SM123')).toBe(trackingIdFor('sms', 'SM123'));
    expect(trackingIdFor('sms', 'SM123')).not.toBe(trackingIdFor('sms', 'SM124'));
    expect(trackingIdFor('sms', 'SM123')).not.toBe(trackingIdFor('telegram', 'SM123'));
    expect(checkTrackingId(trackingIdFor('web', 'idem:x')).ok).toBe(true);
  });

  it('should split a command argument into the id as typed and the reason after it', () => {
    expect(splitTrackingIdArgument('7KQ4M-9XWRT-C jalan belum diperbaiki')).toEqual({ id: '7KQ4M-9XWRT-C', rest: 'jalan belum diperbaiki' });
    expect(splitTrackingIdArgument('7kq4m 9xwrt c, masih rusak\nfoto menyusul')).toEqual({ id: '7kq4m 9xwrt c', rest: 'masih rusak\nfoto menyusul' });
    expect(splitTrackingIdArgument(' 7KQ4M9XWRTC')).toEqual({ id: '7KQ4M9XWRTC', rest: '' });
    expect(splitTrackingIdArgument('7KQ4M9XWRTD.')).toEqual({ id: '7KQ4M9XWRTD', rest: '' });
    expect(splitTrackingIdArgument('dengan pelayanan puskesmas')).toBeNull();
    expect(splitTrackingIdArgument('7KQ4M9XWRTCX')).toBeNull();
  });
});
