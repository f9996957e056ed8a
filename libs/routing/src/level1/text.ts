/**
 * Text normalisation shared by the place matcher and the rules engine.
 * Everything is matched on lower-case ASCII tokens: punctuation, hyphens and apostrophes
 * become token boundaries, letters and digits are split ("smpn1" -> "smpn 1"),
 * and runs of three or more identical letters collapse ("rusakkk" -> "rusak").
 */

export function normalize(text: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .toLowerCase()
    .replace(/([a-z])\1{2,}/g, '$1')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(' ') : [];
}

/** A place name as a token key ("Kep. Siau" -> "kep siau"). */
export function nameKey(name: string): string {
  return normalize(name);
}

/** Same name with every space removed ("bau bau" -> "baubau", "palangka raya" -> "palangkaraya"). */
export function compactKey(name: string): string {
  return normalize(name).replace(/ /g, '');
}
