import { randomUUID } from 'node:crypto';
import { Body, Controller, createParamDecorator, ExecutionContext, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import { checkTrackingId, ComplaintView, CreateComplaintRequest, isMeaningfulText, normalizeText, truncateText } from '@lapor/contracts';
import { z } from 'zod';
import type { HttpRequest, HttpResponse } from '@lapor/runtime';
import { AttachmentRejected, IncomingFile } from '@lapor/storage';
import { ComplaintReader, ReporterPageAction } from '../clients/complaint-reader';
import { complaintAcceptedPage, complaintFormPage, FormValues } from '../pages/complaint-form.page';
import { PAGE_ACTION_CHANNELS, statusPage } from '../pages/status.page';
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
 */
@Controller()
export class WebFormController {
  constructor(
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
    private readonly limits: WebUploadLimits,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  form(): string {
    return complaintFormPage({ idempotencyKey: randomUUID() });
  }

  /** The form posts multipart/form-data (it carries photos); a urlencoded post (older pages, scripts) is taken too. */
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
    const values: FormValues = { ...form, idempotencyKey: IDEMPOTENCY_KEY.test(form.idempotencyKey ?? '') ? form.idempotencyKey! : randomUUID() };
    // A refused upload stops reading the post: the fields after the file may be missing, the reason is not.
    if (refused) return void html(res, refused.status, complaintFormPage(values, { attachments: [refused.reason] }));
    const parsed = CreateComplaintRequest.safeParse(toRequest(values));
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (errors[issue.path.join('.')] ??= []).push(issue.message);
      html(res, 400, complaintFormPage(values, errors));
      return;
    }
    try {
      const { trackingId } = await this.intake.accept(parsed.data, { channel: 'web', idempotencyKey: `form:${values.idempotencyKey}` }, files);
      // Post/Redirect/Get: reloading the result page does not post again.
      seeOther(res, `/lapor/diterima/${trackingId}`);
    } catch (error) {
      if (error instanceof AttachmentRejected) return void html(res, error.status, complaintFormPage(values, { attachments: [error.reason] }));
      if (!(error instanceof BusUnavailableError)) throw error;
      res.header('Retry-After', '5');
      html(res, 503, complaintFormPage(values, {}, 'Laporan belum dapat disimpan. Tidak ada yang tersimpan; silakan kirim ulang sebentar lagi.'));
    }
  }

  @Get('lapor/diterima/:trackingId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  accepted(@Param('trackingId') raw: string): string {
    const check = checkTrackingId(raw);
    return check.ok ? complaintAcceptedPage(check.trackingId) : statusPage(raw, null, 'Nomor pelacakan tidak valid.');
  }

  @Get('lapor/cek')
  @HttpCode(200)
  async status(@Query('id') raw: string | undefined, @Query('terkirim') sent: string | undefined, @Res() res: HttpResponse): Promise<void> {
    const query = (raw ?? '').trim();
    if (!query) {
      html(res, 200, statusPage('', null));
      return;
    }
    const check = checkTrackingId(query);
    if (!check.ok) {
      const problem = check.reason === 'checksum' ? 'Nomor pelacakan salah ketik: periksa kembali setiap karakternya.' : 'Nomor pelacakan terdiri dari 11 karakter, contoh 7KQ4M-9XWRT-C.';
      html(res, 404, statusPage(query, null, problem));
      return;
    }
    const view = await this.reader.get(check.trackingId);
    if (!view) {
      html(res, 404, statusPage(query, null, 'Laporan tidak ditemukan. Laporan yang baru dikirim muncul dalam beberapa detik.'));
      return;
    }
    html(res, 200, statusPage(query, view, { formKey: randomUUID(), notice: SENT[sent ?? ''] }));
  }

  /** "Kirim informasi tambahan": the reporter's answer goes over the bus, threaded to the complaint (router: threadTo). */
  @Post('lapor/cek/:trackingId/informasi')
  async provideInfo(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Res() res: HttpResponse): Promise<void> {
    const found = await this.reporterComplaint(raw, res);
    if (!found) return;
    const { trackingId, view } = found;
    const text = InfoText.safeParse(form.text);
    const again = (status: number, problem: string) => html(res, status, statusPage(trackingId, view, { problem, formKey: formKeyOf(form), typed: { text: form.text } }));
    if (view.status !== 'waiting_info') return void again(409, 'Laporan ini sedang tidak menunggu informasi dari Anda.');
    if (!text.success) return void again(400, 'Tuliskan jawaban Anda (maksimal 5.000 karakter).');
    try {
      await this.intake.provideInfo({ trackingId, text: text.data, idempotencyKey: formKeyOf(form) });
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      res.header('Retry-After', '5');
      return void again(503, 'Jawaban belum dapat disimpan. Tidak ada yang tersimpan; silakan kirim ulang sebentar lagi.');
    }
    seeOther(res, `/lapor/cek?id=${trackingId}&terkirim=informasi`);
  }

  /** "Saya tidak puas": the reporter's objection, applied by the router at once. */
  @Post('lapor/cek/:trackingId/keberatan')
  async object(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Res() res: HttpResponse): Promise<void> {
    const reason = normalizeText(form.alasan ?? '').trim();
    await this.reporterAction(raw, form, res, { action: 'object', ...(reason ? { reason: truncateText(reason, 2000) } : {}) }, 'keberatan');
  }

  /** "Saya puas": the reporter closes their complaint. */
  @Post('lapor/cek/:trackingId/selesai')
  async confirm(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Res() res: HttpResponse): Promise<void> {
    await this.reporterAction(raw, form, res, { action: 'close' }, 'selesai');
  }

  /** "Teruskan ke Ombudsman RI": offered when the follow-up is overdue or it was closed while the reporter objected (the router checks). */
  @Post('lapor/cek/:trackingId/ombudsman')
  async ombudsman(@Param('trackingId') raw: string, @FormBody() form: Record<string, string | undefined>, @Res() res: HttpResponse): Promise<void> {
    const note = normalizeText(form.catatan ?? '').trim();
    await this.reporterAction(raw, form, res, { action: 'forward-ombudsman', ...(note ? { note: truncateText(note, 2000) } : {}) }, 'ombudsman');
  }

  private async reporterAction(raw: string, form: Record<string, string | undefined>, res: HttpResponse, action: ReporterPageAction, sent: string): Promise<void> {
    const found = await this.reporterComplaint(raw, res);
    if (!found) return;
    const outcome = await this.reader.applyReporterAction(found.trackingId, action, formKeyOf(form));
    if (outcome.ok) return void seeOther(res, `/lapor/cek?id=${found.trackingId}&terkirim=${sent}`);
    html(res, outcome.status, statusPage(found.trackingId, found.view, { problem: outcome.message, formKey: formKeyOf(form), typed: { alasan: form.alasan } }));
  }

  /**
   * The complaint a status-page form is about, if its reporter acts on this page: only a
   * web/mobile complaint, whose tracking id is its reporter's key. A complaint from SMS,
   * Telegram or X is answered on that channel, where its reporter is known by number or
   * account (an X mention's id is even public), so the page refuses it.
   */
  private async reporterComplaint(raw: string, res: HttpResponse): Promise<{ trackingId: string; view: ComplaintView } | null> {
    const check = checkTrackingId(raw);
    const view = check.ok ? await this.reader.get(check.trackingId) : null;
    if (!check.ok || !view) {
      html(res, 404, statusPage(raw, null, 'Laporan tidak ditemukan.'));
      return null;
    }
    if (!PAGE_ACTION_CHANNELS.includes(view.channel)) {
      html(res, 409, statusPage(check.trackingId, view, { problem: 'Laporan ini dikirim lewat SMS, Telegram atau X: jawab lewat saluran itu, seperti yang tertulis di bawah.' }));
      return null;
    }
    return { trackingId: check.trackingId, view };
  }
}

/** What the status page says after a form was sent (Post/Redirect/Get). */
const SENT: Record<string, string> = {
  informasi: 'Informasi tambahan Anda terkirim dan diteruskan ke petugas. Status diperbarui dalam beberapa detik.',
  keberatan: 'Keberatan Anda diterima: laporan dibuka kembali dan dikembalikan ke instansi.',
  selesai: 'Terima kasih. Laporan Anda ditutup.',
  ombudsman: 'Laporan Anda telah diteruskan ke Ombudsman RI.',
};

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

/** The form's fields in the API's shape; the location the citizen typed is part of the story the router reads. */
function toRequest(v: FormValues): unknown {
  const text = [v.text?.trim(), v.lokasi?.trim() ? `Lokasi: ${v.lokasi.trim()}` : ''].filter(Boolean).join('\n');
  const reporter = Object.fromEntries(Object.entries({ name: v.name, email: v.email, phone: v.phone }).filter(([, x]) => x && x.trim()));
  return { text, ...(Object.keys(reporter).length ? { reporter } : {}), anonymous: !!v.anonymous, confidential: !!v.confidential };
}

