import { esc, page, PageContext } from './html';

/** What a browser gets for an address that does not exist (API clients keep the JSON 404). */
export function notFoundPage(ctx: PageContext, path: string): string {
  const { t } = ctx;
  return page(
    ctx,
    t('notFound.title'),
    `<h1>${esc(t('notFound.title'))}</h1>
<p>${esc(t('notFound.body', { path }))}</p>
<p class="actions"><a class="button-link" href="/lapor">${esc(t('notFound.form'))}</a> <a class="button-link" href="/lapor/cek">${esc(t('notFound.status'))}</a></p>`,
  );
}

/** A page for a moment when the service cannot answer (the router is unreachable), instead of a JSON error in the browser. */
export function unavailablePage(ctx: PageContext): string {
  const { t } = ctx;
  return page(ctx, t('error.title'), `<h1>${esc(t('error.title'))}</h1><p role="alert">${esc(t('api.unavailable'))}</p>`);
}
