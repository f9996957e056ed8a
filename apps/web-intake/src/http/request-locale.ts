import { Locale, negotiateLocale } from '@lapor/i18n';
import { headerOf, HttpRequest, HttpResponse } from '@lapor/runtime';

/** The page switch's cookie: a citizen who chose a language keeps it on every page and post. */
export const LANG_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The language of one answer: `?lang=` (the switch link, or an API client), a `lang` field of
 * a posted form, the `lang` cookie, then Accept-Language (libs/i18n negotiateLocale); Bahasa
 * Indonesia by default. `explicit` says whether the request itself chose (the cookie is then set).
 */
export function requestLocale(req: HttpRequest, formLang?: string): { locale: Locale; explicit: boolean } {
  const query = queryLang(req);
  const chosen = query ?? formLang ?? cookieOf(req, LANG_COOKIE);
  const locale = negotiateLocale(headerOf(req, 'accept-language'), chosen);
  return { locale, explicit: !!(query ?? formLang) && locale === (query ?? formLang)?.trim().toLowerCase() };
}

/** Remembers a language the request chose (the switch link), for the pages that follow. */
export function rememberLocale(res: HttpResponse, locale: Locale): void {
  res.header('Set-Cookie', `${LANG_COOKIE}=${locale}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`);
}

function queryLang(req: HttpRequest): string | undefined {
  const query = req.originalUrl.split('?')[1];
  return query ? (new URLSearchParams(query).get('lang') ?? undefined) : undefined;
}

function cookieOf(req: HttpRequest, name: string): string | undefined {
  for (const part of (headerOf(req, 'cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
