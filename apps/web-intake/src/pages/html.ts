import { commonMessages, Locale, translate, translator, webMessages, WebMessageKey } from '@lapor/i18n';
import type { HttpRequest } from '@lapor/runtime';
import { requestLocale } from '../http/request-locale';

/** Escapes text for HTML; every value from a request or the database goes through it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** HTML a page built itself (a link, a bold id), to put into a message's placeholder unescaped. */
export class Html {
  constructor(readonly html: string) {}
}

/** What every page needs to know about its request: the language, and the address the language switch links back to. */
export interface PageContext {
  locale: Locale;
  /** The page's path and query without `lang`. */
  path: string;
  /** A catalogue message as plain text. */
  t: (key: WebMessageKey, params?: Record<string, string | number>) => string;
  /** A catalogue message as HTML: the text escaped, Html placeholders kept as they are. */
  h: (key: WebMessageKey, params?: Record<string, string | number | Html>) => string;
}

export function pageContext(req: HttpRequest, formLang?: string): PageContext {
  return contextFor(requestLocale(req, formLang).locale, req.originalUrl);
}

export function contextFor(locale: Locale, url: string): PageContext {
  const [pathname, query] = url.split('?');
  const params = new URLSearchParams(query ?? '');
  params.delete('lang');
  const rest = params.toString();
  const t = translator(webMessages, locale) as PageContext['t'];
  const h: PageContext['h'] = (key, params = {}) => {
    // Fill with markers first, escape the text, then put the HTML in: no value is ever unescaped by accident.
    const marks: Record<string, string> = {};
    const plain = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v instanceof Html ? (marks[k] = v.html, `\u0000${k}\u0000`) : v]));
    return esc(t(key, plain)).replace(/\u0000(\w+)\u0000/g, (_all, k: string) => marks[k]);
  };
  return { locale, path: rest ? `${pathname}?${rest}` : pathname, t, h };
}

/** A link (its text escaped), for a message's placeholder. */
export function link(href: string, text: string, attributes = ''): Html {
  return new Html(`<a href="${esc(href)}"${attributes}>${esc(text)}</a>`);
}

export function bold(text: string, id?: string): Html {
  return new Html(`<b${id ? ` id="${esc(id)}"` : ''}>${esc(text)}</b>`);
}

/** The same page in the other language: the switch link's address. */
function switchHref(ctx: PageContext, to: Locale): string {
  return `${ctx.path}${ctx.path.includes('?') ? '&' : '?'}lang=${to}`;
}

/*
 * One small stylesheet for every citizen page: system fonts, no external assets, tap targets of
 * at least 44×44 px (WCAG 2.5.5), a visible focus ring, colours with at least 4.5:1 contrast.
 */
const STYLE = `*{box-sizing:border-box}
body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:42rem;margin:0 auto;padding:0 1rem 1rem;color:#1a1a1a;background:#fff}
a{color:#0b57d0}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{position:static}
header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem .75rem;border-bottom:3px solid #c8102e;margin-bottom:1rem;padding:.25rem 0}
.brand{display:inline-flex;align-items:center;min-height:44px;color:#a50d26;font-weight:700;font-size:1.4rem;text-decoration:none}
.tagline{flex:1 1 12rem;font-size:.9rem;color:#4a4a4a}
.lang,.button-link{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:0 .9rem;border:2px solid #0b57d0;border-radius:4px;text-decoration:none;font-weight:600}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
label,legend{display:block;font-weight:600;margin-top:1rem}
.hint{display:block;margin:.1rem 0 .3rem;color:#4a4a4a;font-weight:400;font-size:.95rem}
input[type=text],input[type=email],input[type=tel],input[type=file],select,textarea{display:block;width:100%;min-height:44px;padding:.55rem;font:inherit;color:inherit;background:#fff;border:1px solid #6b6b6b;border-radius:4px}
textarea{min-height:9rem;resize:vertical}
fieldset{border:1px solid #c4c4c4;border-radius:6px;margin:1.25rem 0 0;padding:0 1rem 1rem}legend{padding:0 .3rem}
.check{display:flex;gap:.75rem;align-items:flex-start;margin-top:1rem}
.check input{flex:none;width:44px;height:44px;margin:0;accent-color:#a50d26}.check label{margin-top:.5rem}
button,input[type=submit]{min-height:44px;min-width:44px;margin-top:1rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#a50d26;border:0;border-radius:4px;cursor:pointer}
button.secondary,input.secondary{color:#0b57d0;background:#fff;border:2px solid #0b57d0}
.actions{display:flex;flex-wrap:wrap;gap:0 .75rem;align-items:center}
.error{color:#a50000;font-weight:600}.ok{color:#065f1d;font-weight:600}
.box{border:1px solid #c4c4c4;border-radius:6px;padding:0 1rem;margin:1rem 0}
.id{font-size:1.6rem;font-weight:700;letter-spacing:.08em;margin:.2rem 0}
ol.steps{padding-left:1.4rem}ol.steps li{margin:.3rem 0}
blockquote.message{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #a50d26}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}td,th{text-align:left;vertical-align:top;padding:.4rem .3rem;border-bottom:1px solid #ddd}
@media (max-width:32rem){#timeline thead{position:absolute;left:-999rem}#timeline tr{display:block;padding:.5rem 0;border-bottom:1px solid #ddd}#timeline td{display:block;border:0;padding:.1rem 0}#timeline td:first-child{color:#4a4a4a;font-size:.95rem}}
footer{margin-top:2rem;border-top:1px solid #ddd;font-size:.95rem}footer a{display:inline-flex;align-items:center;min-height:44px;margin-right:1rem}`;

/**
 * The page frame: tiny, no external assets, so it works on a cheap phone on a slow connection;
 * `script` (a progressive enhancement only) is inlined at the end.
 */
export function page(ctx: PageContext, title: string, body: string, script = ''): string {
  const other: Locale = ctx.locale === 'id' ? 'en' : 'id';
  return `<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${esc(translate(commonMessages, 'service.name', ctx.locale))}">
<title>${esc(title)} · LAPOR!</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${esc(ctx.t('site.skip'))}</a>
<header><a class="brand" href="/">LAPOR!</a> <span class="tagline">${esc(ctx.t('site.tagline'))}</span>
<a class="lang" id="switch-language" href="${esc(switchHref(ctx, other))}" hreflang="${other}" lang="${other}" aria-label="${esc(ctx.t('site.switchLanguage'))}: ${esc(translate(commonMessages, 'language.name', other))}">${esc(translate(commonMessages, 'language.name', other))}</a></header>
<main id="main">
${body}
</main>
<footer><p>${esc(ctx.t('footer.sms'))}<br><a href="/lapor/cek">${esc(ctx.t('footer.status'))}</a><a href="/lapor">${esc(ctx.t('footer.form'))}</a></p></footer>
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}

/** The favicon: the brand's red square with a white exclamation mark, as SVG (a few hundred bytes, no binary asset). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#c8102e"/><rect x="13" y="5" width="6" height="15" rx="3" fill="#fff"/><circle cx="16" cy="25" r="3" fill="#fff"/></svg>`;
