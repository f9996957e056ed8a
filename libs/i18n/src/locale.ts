/**
 * The languages a citizen can be answered in. Bahasa Indonesia is the default everywhere;
 * English only when the client asks for it (a page's switch, `?lang=en`, `Accept-Language`),
 * or when a complaint was submitted in English (its `locale` travels with every event, so
 * the SMS, chat replies and e-mails about it stay in the language it was written in).
 */
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'id';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A stored locale (events carry a plain string: older producers may send anything): anything unknown is Bahasa Indonesia. */
export function toLocale(value: unknown): Locale {
  if (isLocale(value)) return value;
  if (typeof value === 'string') {
    const primary = value.trim().toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}

/**
 * Picks the language of a response: an explicit choice (`?lang=` or the `lang` cookie of the
 * page switch) wins; else the first language of `Accept-Language` (RFC 9110 §12.5.4, q-values
 * honoured) that we have; else Bahasa Indonesia. `ms` and `jv` browsers get Bahasa Indonesia.
 */
export function negotiateLocale(acceptLanguage?: string | null, explicit?: string | null): Locale {
  if (explicit && isLocale(explicit.trim().toLowerCase())) return explicit.trim().toLowerCase() as Locale;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0];
    if (isLocale(primary)) return primary;
    if (primary === 'ms' || primary === 'jv' || primary === 'su') return 'id';
  }
  return DEFAULT_LOCALE;
}
