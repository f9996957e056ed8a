import { checkTrackingId, formatTrackingId, normalizeTrackingId, TRACKING_ALPHABET } from '@lapor/contracts';
import { Locale, translator, webMessages } from '@lapor/i18n';

/** Characters people type for a look-alike that tracking ids never use (0/O, 1/I/L). */
const NEVER_USED = /[01OIL]/;
const LENGTH = 11;

/**
 * Why a typed tracking number is not one, in words: which character is wrong and, when only
 * one is, the only number its check character allows (every single-character change moves
 * the check, so exactly one symbol at that position makes a valid number), rather than a
 * bare "must be 11 characters".
 */
export function trackingIdProblem(typed: string, locale: Locale): string {
  const t = translator(webMessages, locale);
  const id = normalizeTrackingId(typed);
  const wrong = [...id].map((char, index) => ({ char, position: index + 1 })).filter(({ char }) => !TRACKING_ALPHABET.includes(char));
  const sentences = wrong.map(({ char, position }) => t(NEVER_USED.test(char) ? 'trackingId.neverUsed' : 'trackingId.notAllowed', { char, position }));
  if (id.length !== LENGTH) return [t('trackingId.length', { length: id.length }), ...sentences].join(' ');
  if (wrong.length === 1) {
    const at = wrong[0].position - 1;
    const fixed = [...TRACKING_ALPHABET].map((c) => id.slice(0, at) + c + id.slice(at + 1)).find((candidate) => checkTrackingId(candidate).ok);
    if (fixed) sentences.push(t('trackingId.suggestion', { suggestion: formatTrackingId(fixed) }));
  }
  if (sentences.length) return sentences.join(' ');
  return checkTrackingId(id).ok ? t('trackingId.notFound') : t('trackingId.checksum');
}
