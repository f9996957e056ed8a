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

/** Abbreviations written with a full stop ("jl.", "kec.", "no."): that stop does not end a phrase. */
const ABBREVIATIONS = new Set([
  'jl', 'jln', 'gg', 'kec', 'kel', 'kab', 'kot', 'prov', 'ds', 'dk', 'no', 'rt', 'rw', 'kp', 'komp', 'perum', 'kav', 'blk', 'bpk', 'pak',
  'bu', 'ibu', 'sdr', 'dr', 'ir', 'h', 'hj', 'st', 'dll', 'dsb', 'tgl', 'kab', 'kota', 'adm', 'pemkot', 'pemkab', 'raya', 'jend', 'kh', 'kyai',
]);

/**
 * Tokens as `tokenize` gives them, plus for each token whether a phrase boundary precedes it:
 * a comma, semicolon, colon, bracket, slash, line break, question/exclamation mark, or a full stop that
 * ends a sentence (not one after an abbreviation such as "jl." or "kec."). Street names never
 * run across such a boundary ("jl. bandung, kota malang").
 */
export function tokenizeWithBreaks(text: string): { tokens: string[]; breakBefore: boolean[] } {
  const tokens: string[] = [];
  const breakBefore: boolean[] = [];
  // split into pieces at boundary characters; a "." only counts when followed by space or the end
  const pieces = text.split(/([,;:()[\]{}\n\r!?/|]+|\\n|\.(?=\s|$))/);
  let pending = true; // the start of the text is a boundary
  for (const piece of pieces) {
    if (piece === undefined || piece === '') continue;
    if (/^(?:[,;:()[\]{}\n\r!?/|]+|\\n)$/.test(piece)) { pending = true; continue; }
    if (piece === '.') {
      const prev = tokens[tokens.length - 1];
      if (prev !== undefined && prev.length > 2 && !ABBREVIATIONS.has(prev) && !/^\d+$/.test(prev)) pending = true;
      continue;
    }
    for (const t of tokenize(piece)) {
      tokens.push(t);
      breakBefore.push(pending);
      pending = false;
    }
  }
  return { tokens, breakBefore };
}
