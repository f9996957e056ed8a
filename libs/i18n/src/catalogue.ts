import { Locale } from './locale';

/**
 * One message in both languages. A string may hold `{name}` placeholders; a function is for
 * messages whose grammar depends on the values (plurals, optional parts). Both languages must
 * use the same placeholders: `catalogue.spec.ts` checks every catalogue.
 */
export type Message<P extends Record<string, string | number> = Record<string, string | number>> =
  | { id: string; en: string }
  | { id: (p: P) => string; en: (p: P) => string };

export type Catalogue = Record<string, Message<any>>;

/**
 * Declares one area's messages (web pages, validation, notifications, chat replies). Each area
 * has its own file under `catalogue/`, so each is owned by one module; `ALL_CATALOGUES`
 * (index.ts) lists them for the checks.
 */
export function defineMessages<C extends Catalogue>(messages: C): C {
  return messages;
}

type ParamsOf<M> = M extends { id: (p: infer P) => string } ? P : Record<string, string | number>;

/** The message `key` of `catalogue` in `locale`, with `{placeholders}` filled from `params`. */
export function translate<C extends Catalogue, K extends keyof C & string>(catalogue: C, key: K, locale: Locale, params?: ParamsOf<C[K]>): string {
  const message = catalogue[key];
  if (!message) throw new Error(`no message ${key}`);
  const text = message[locale];
  if (typeof text === 'function') return text((params ?? {}) as never);
  return fill(text, (params ?? {}) as Record<string, string | number>);
}

/** A translator bound to one catalogue and one language: `const t = translator(webMessages, 'en'); t('form.title')`. */
export function translator<C extends Catalogue>(catalogue: C, locale: Locale) {
  return <K extends keyof C & string>(key: K, params?: ParamsOf<C[K]>) => translate(catalogue, key, locale, params);
}

export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The `{placeholders}` of a template, sorted (for the catalogue checks). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
