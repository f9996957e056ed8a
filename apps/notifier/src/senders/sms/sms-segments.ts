/**
 * How many SMS a text costs. GSM-7 (3GPP TS 23.038): 160 characters in one SMS, 153 per
 * part when concatenated; the extension table (^{}\[~]|€ and form feed) costs two each.
 * Any other character forces UCS-2 for the whole message: 70 in one SMS, 67 per part.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '\f^{}\\[~]|€';

/** True for a character GSM-7 can carry (basic or extension table). */
export function isGsm7(ch: string): boolean {
  return GSM7_BASIC.includes(ch) || GSM7_EXTENDED.includes(ch);
}

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Length in the encoding's units (septets, or UTF-16 code units). */
  units: number;
  segments: number;
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENDED.includes(ch)) septets += 2;
    else return ucs2(text);
  }
  return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

function ucs2(text: string): SmsSegments {
  const units = text.length; // UTF-16 code units: an emoji outside the BMP takes two
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
