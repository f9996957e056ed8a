import { randomUUID } from 'node:crypto';
import { Body, Controller, createParamDecorator, ExecutionContext, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import { checkTrackingId, ComplaintView, isMeaningfulText, normalizeText, truncateText } from '@lapor/contracts';
import { z } from 'zod';
import type { HttpRequest, HttpResponse } from '@lapor/runtime';
import { AttachmentRejected, IncomingFile } from '@lapor/storage';
import { ComplaintReader, ReporterPageAction } from '../clients/complaint-reader';
import { rememberLocale, requestLocale } from '../http/request-locale';
import { complaintAcceptedPage, complaintFormPage, FormValues, PLACE_FIELDS, PlaceStep } from '../pages/complaint-form.page';
import { contextFor, FAVICON_SVG, PageContext } from '../pages/html';
import { unavailablePage } from '../pages/not-found.page';
import { PAGE_ACTION_CHANNELS, SENT_NOTICES, statusPage } from '../pages/status.page';
import { ComplaintRequestValidator } from '../services/complaint-request.validator';
import { DeadlineSummaries } from '../services/deadline-summary';
import { REGION_LEVELS, RegionDirectory } from '../services/region-directory';
import { trackingIdProblem } from '../services/tracking-id-problem';
import { WebIntakeService } from '../services/web-intake.service';
import { isMultipart, readMultipart } from '../uploads/multipart';
import { WebUploadLimits } from '../uploads/upload-limits';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * A status-page form's fields: only single string fields (a field sent twice, a JSON or
 * text/plain body, or no body at all leaves the others out), so a handler never reads a
 * property of undefined or normalizes an array (found by the fuzzer: 500 on
 * `POST /lapor/cek/x/keberatan` with a text/plain body).
 */
const FormBody = createParamDecorator((_: unknown, ctx: ExecutionContext) => formFields(ctx.switchToHttp().getRequest<{ body?: unknown }>().body));

/**
 * The citizen's web form: plain HTML that works without JavaScript on any phone, posting
 * to the same intake as the JSON API (same validation, same bus, same guarantees). Each
 * rendered form carries its own idempotency key, so a double tap registers one complaint.
 * Every page is in one language: Bahasa Indonesia, or English when asked (request-locale.ts).
 */
@Controller()
export class WebFormController {
  constructor(
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
    private readonly limits: WebUploadLimits,
    private readonly validator: ComplaintRequestValidator,
    private readonly regions: RegionDirectory,
    private readonly deadlines: DeadlineSummaries,
  ) {}

  /** `/` and `/lapor` (the address people type); `?provinsi=32&kabupaten=32.73` opens the picker there. */
  @Get(['', 'lapor'])
  form(@Req() req: HttpRequest, @Query() query: Record<string, unknown>, @Res() res: HttpResponse): void {
    const ctx = this.context(req, res);
    const values: FormValues = { ...formFields(query), idempotencyKey: randomUUID() };
    html(res, 200, complaintFormPage(ctx, values, this.placeSteps(values)));
  }

  @Get(['favicon.ico', 'favicon.svg'])
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'public, max-age=604800')
  favicon(): string {
    return FAVICON_SVG;
  }

  /**
   * The form posts multipart/form-data (it carries photos); a urlencoded post (older pages,
   * scripts) is taken too. "Lanjut" in the place picker (the field `langkah`, whatever its
   * label's language) posts the same form without JavaScript: it is shown again with the next
   * select, nothing is sent.
   */
  @Post('lapor')
  async submit(@Req() req: HttpRequest, @Body() body: unknown, @Res() res: HttpResponse): Promise<void> {
    let files: IncomingFile[] = [];
    let refused: AttachmentRejected | undefined;
    if (isMultipart(req)) {
      try {
        const multipart = await readMultipart(req, this.limits);
        body = multipart.fields;
        files = multipart.files;
      } catch (error) {
        if (!(error instanceof AttachmentRejected)) throw error;
        refused = error;
      }
    }
    const form = formFields(body);
    const ctx = this.context(req, res, form.lang);
    const values: FormValues = { ...form, idempotencyKey: IDEMPOTENCY_KEY.test(form.idempotencyKey ?? '') ? form.idempotencyKey! : randomUUID() };
    const steps = this.placeSteps(values);
    // A refused upload stops reading the post: the fields after the file may be missing, the reason is not.
    if (refused) return void html(res, refused.status, complaintFormPage(ctx, values, steps, { errors: { attachments: [refused.reason] } }));
    if (form.langkah !== undefined) return void html(res, 200, complaintFormPage(ctx, values, steps, { filesDropped: files.length > 0 }));
    const checked = this.validator.validate(toRequest(values, steps), ctx.locale);
    if (!checked.ok) return void html(res, 400, complaintFormPage(ctx, values, steps, { errors: checked.fields }));
    try {
      const { trackingId } = await this.intake.accept(checked.data, { channel: 'web', idempotencyKey: `form:${values.idempotencyKey}`, locale: ctx.locale }, files);
      // Post/Redirect/Get: reloading the result page does not post again.
      const choices = `${checked.data.anonymous ? '&anonim=1' : ''}${checked.data.confidential ? '&rahasia=1' : ''}`;
      seeOther(res, `/lapor/diterima/${trackingId}?lang=${ctx.locale}${choices}`);
    } catch (error) {
      if (error instanceof AttachmentRejected) return void html(res, error.status, complaintFormPage(ctx, values, steps, { errors: { attachments: [error.reason] } }));
      if (!(error instanceof BusUnavailableError)) throw error;
      res.header('Retry-After', '5');
      html(res, 503, complaintFormPage(ctx, values, steps, { notice: ctx.t('form.busy') }));
    }
  }

  /** The confirmation: who handles it (once routed), the deadlines, how to follow it, what Anonim/Rahasia mean. */
  @Get('lapor/diterima/:trackingId')
  async accepted(@Param('trackingId') raw: string, @Query('anonim') anonymous: string | undefined, @Query('rahasia') confidential: string | undefined, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const ctx = this.context(req, res);
    const check = checkTrackingId(raw);
    if (!check.ok) return void html(res, 404, statusPage(ctx, raw, null, { problem: trackingIdProblem(raw, ctx.locale) }));
    // Routing takes moments: a page shown before it says "sedang ditentukan" and links to the status page.
    const view = await this.reader.get(check.trackingId).catch(() => null);
    html(res, 200, complaintAcceptedPage(ctx, { trackingId: check.trackingId, view, deadlines: this.deadlines.current(), anonymous: anonymous === '1', confidential: confidential === '1' }));
  }

  @Get('lapor/cek')
  @HttpCode(200)
  async status(@Query('id') raw: string | undefined, @Query('terkirim') sent: string | undefined, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const ctx = this.context(req, res);
    const query = (raw ?? '').trim();
    if (!query) return void html(res, 200, statusPage(ctx, '', null));
    const check = checkTrackingId(query);
    if (!check.ok) return void html(res, 404, statusPage(ctx, query, null, { problem: trackingIdProblem(query, ctx.locale) }));
    const view = await this.read(check.trackingId, ctx, res);
    if (view === undefined) return;
    if (!view) return void html(res, 404, statusPage(ctx, query, null, { problem: ctx.t('trackingId.notFound') }));
    const notice = SENT_NOTICES[sent as keyof typeof SENT_NOTICES];
    html(res, 200, statusPage(ctx, query, view, { formKey: randomUUID(), notice: notice ? ctx.t(notice) : undefined }));
  }

  /** "Kirim informasi tambahan": the reporter's answer goes over the bus, threaded to the complaint (router: threadTo). */
  @Post('lapor/cek/:trackingId/informasi')
  async provideInfo(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const ctx = this.context(req, res, form.lang);
    const found = await this.reporterComplaint(raw, ctx, res);
    if (!found) return;
    const { trackingId, view } = found;
    const text = InfoText.safeParse(form.text);
    const again = (status: number, problem: string) => html(res, status, statusPage(ctx, trackingId, view, { problem, formKey: formKeyOf(form), typed: { text: form.text } }));
    if (view.status !== 'waiting_info') return void again(409, ctx.t('action.notWaiting'));
    if (!text.success) return void again(400, ctx.t('action.infoRequired'));
    try {
      await this.intake.provideInfo({ trackingId, text: text.data, idempotencyKey: formKeyOf(form), locale: ctx.locale });
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      res.header('Retry-After', '5');
      return void again(503, ctx.t('action.busy'));
    }
    seeOther(res, `/lapor/cek?id=${trackingId}&terkirim=informasi`);
  }

  /** "Saya tidak puas": the reporter's objection, applied by the router at once. */
  @Post('lapor/cek/:trackingId/keberatan')
  async object(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const reason = normalizeText(form.alasan ?? '').trim();
    await this.reporterAction(raw, form, req, res, { action: 'object', ...(reason ? { reason: truncateText(reason, 2000) } : {}) }, 'keberatan');
  }

  /** "Saya puas": the reporter closes their complaint. */
  @Post('lapor/cek/:trackingId/selesai')
  async confirm(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    await this.reporterAction(raw, form, req, res, { action: 'close' }, 'selesai');
  }

  /** "Teruskan ke Ombudsman RI": offered when the follow-up is overdue or it was closed while the reporter objected (the router checks). */
  @Post('lapor/cek/:trackingId/ombudsman')
  async ombudsman(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const note = normalizeText(form.catatan ?? '').trim();
    await this.reporterAction(raw, form, req, res, { action: 'forward-ombudsman', ...(note ? { note: truncateText(note, 2000) } : {}) }, 'ombudsman');
  }

  private async reporterAction(raw: string, form: Record<string, string | undefined>, req: HttpRequest, res: HttpResponse, action: ReporterPageAction, sent: keyof typeof SENT_NOTICES): Promise<void> {
    const ctx = this.context(req, res, form.lang);
    const found = await this.reporterComplaint(raw, ctx, res);
    if (!found) return;
    const outcome = await this.reader.applyReporterAction(found.trackingId, action, formKeyOf(form));
    if (outcome.ok) return void seeOther(res, `/lapor/cek?id=${found.trackingId}&terkirim=${sent}`);
    // The router's reason is in Bahasa Indonesia only; the page says it in its own language from the status.
    // A forward to Ombudsman RI that comes too early says why (the status alone would not tell the reporter when it becomes possible).
    const problem =
      outcome.status === 404
        ? ctx.t('trackingId.notFound')
        : action.action === 'forward-ombudsman' && !found.view.ombudsmanAvailable
          ? ctx.t('action.ombudsman.notYet')
          : ctx.t('action.notAllowed', { status: ctx.locale === 'id' ? found.view.statusLabel : ctx.t('label.status', { status: found.view.status }) });
    html(res, outcome.status, statusPage(ctx, found.trackingId, found.view, { problem, formKey: formKeyOf(form), typed: { alasan: form.alasan } }));
  }

  /**
   * The complaint a status-page form is about, if its reporter acts on this page: only a
   * web/mobile complaint, whose tracking id is its reporter's key. A complaint from SMS,
   * Telegram or X is answered on that channel, where its reporter is known by number or
   * account (an X mention's id is even public), so the page refuses it.
   */
  private async reporterComplaint(raw: string, ctx: PageContext, res: HttpResponse): Promise<{ trackingId: string; view: ComplaintView } | null> {
    const check = checkTrackingId(raw);
    const view = check.ok ? await this.read(check.trackingId, ctx, res) : null;
    if (view === undefined) return null;
    if (!check.ok || !view) {
      html(res, 404, statusPage(ctx, raw, null, { problem: check.ok ? ctx.t('trackingId.notFound') : trackingIdProblem(raw, ctx.locale) }));
      return null;
    }
    if (!PAGE_ACTION_CHANNELS.includes(view.channel)) {
      html(res, 409, statusPage(ctx, check.trackingId, view, { problem: ctx.t('action.otherChannel') }));
      return null;
    }
    return { trackingId: check.trackingId, view };
  }

  /** The complaint from the router; when the router cannot answer, a page saying so (undefined: answered already). */
  private async read(trackingId: string, ctx: PageContext, res: HttpResponse): Promise<ComplaintView | null | undefined> {
    try {
      return await this.reader.get(trackingId);
    } catch {
      res.header('Retry-After', '5');
      html(res, 503, unavailablePage(ctx));
      return undefined;
    }
  }

  /** The page's language; a choice made with `?lang=` is remembered in the cookie. */
  private context(req: HttpRequest, res: HttpResponse, formLang?: string): PageContext {
    const { locale, explicit } = requestLocale(req, formLang);
    if (explicit) rememberLocale(res, locale);
    return contextFor(locale, req.originalUrl);
  }

  /**
   * The picker's selects from the province down: each chosen level opens the next, and a
   * choice that does not belong under the one above (the province was changed) is dropped.
   */
  private placeSteps(values: FormValues): PlaceStep[] {
    const steps: PlaceStep[] = [];
    let parent: string | null = null;
    for (const level of REGION_LEVELS) {
      const options = this.regions.children(parent);
      if (!options.length) break;
      const selected = options.find((r) => r.code === values[PLACE_FIELDS[level]]);
      steps.push({ level, options, selected });
      if (!selected) break;
      parent = selected.code;
    }
    return steps;
  }
}

/** The answer, normalized as every text entering the system (libs/contracts text.ts), with at least one letter. */
const InfoText = z.string().transform(normalizeText).pipe(z.string().trim().min(1).max(5000).refine(isMeaningfulText));

/** The key of the form that was sent (a double submit counts once), or a fresh one. */
function formKeyOf(form: Record<string, string | undefined>): string {
  return IDEMPOTENCY_KEY.test(form.key ?? '') ? form.key! : randomUUID();
}

/**
 * The posted fields that are text. A field sent twice arrives as a list and a body that is
 * not a form as nothing at all: neither is something the form sends, so they are left out
 * (and the validation says what is missing) instead of failing on them.
 */
function formFields(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Answers with a page (on Express and on Fastify alike). */
function html(res: HttpResponse, status: number, page: string): void {
  res.status(status).header('Content-Type', 'text/html; charset=utf-8').send(page);
}

/** Post/Redirect/Get: the browser loads `url`, and reloading it posts nothing again. */
function seeOther(res: HttpResponse, url: string): void {
  res.status(303).header('Location', url).send();
}

/**
 * The form's fields in the API's shape: the deepest region chosen in the picker, the phone's
 * position when "Gunakan lokasi saya" gave one, and the address the citizen typed as part of
 * the story the router reads.
 */
function toRequest(v: FormValues, steps: PlaceStep[]): unknown {
  const text = [v.text?.trim(), v.lokasi?.trim() ? `Lokasi: ${v.lokasi.trim()}` : ''].filter(Boolean).join('\n');
  const reporter = Object.fromEntries(Object.entries({ name: v.name, email: v.email, phone: v.phone }).filter(([, x]) => x && x.trim()));
  const regionCode = steps.filter((s) => s.selected).at(-1)?.selected?.code;
  const number = (x: string) => (x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : x);
  const location = v.lat?.trim() && v.lon?.trim() ? { location: { lat: number(v.lat), lon: number(v.lon) } } : {};
  return { text, ...(regionCode ? { regionCode } : {}), ...location, ...(Object.keys(reporter).length ? { reporter } : {}), anonymous: !!v.anonymous, confidential: !!v.confidential };
}
