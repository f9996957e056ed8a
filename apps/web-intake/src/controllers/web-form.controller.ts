import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import { checkTrackingId, CreateComplaintRequest } from '@lapor/contracts';
import type { Response } from 'express';
import { ComplaintReader } from '../clients/complaint-reader';
import { complaintAcceptedPage, complaintFormPage, FormValues } from '../pages/complaint-form.page';
import { statusPage } from '../pages/status.page';
import { WebIntakeService } from '../services/web-intake.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

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
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  form(): string {
    return complaintFormPage({ idempotencyKey: randomUUID() });
  }

  @Post('lapor')
  async submit(@Body() form: Record<string, string | undefined>, @Res() res: Response): Promise<void> {
    const values: FormValues = { ...form, idempotencyKey: IDEMPOTENCY_KEY.test(form.idempotencyKey ?? '') ? form.idempotencyKey! : randomUUID() };
    const parsed = CreateComplaintRequest.safeParse(toRequest(values));
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (errors[issue.path.join('.')] ??= []).push(issue.message);
      res.status(400).type('html').send(complaintFormPage(values, errors));
      return;
    }
    try {
      const { trackingId } = await this.intake.accept(parsed.data, { channel: 'web', idempotencyKey: `form:${values.idempotencyKey}` });
      // Post/Redirect/Get: reloading the result page does not post again.
      res.redirect(303, `/lapor/diterima/${trackingId}`);
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      res.status(503).setHeader('Retry-After', '5').type('html').send(complaintFormPage(values, {}, 'Laporan belum dapat disimpan. Tidak ada yang tersimpan; silakan kirim ulang sebentar lagi.'));
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
  async status(@Query('id') raw: string | undefined, @Res() res: Response): Promise<void> {
    const query = (raw ?? '').trim();
    if (!query) {
      res.type('html').send(statusPage('', null));
      return;
    }
    const check = checkTrackingId(query);
    if (!check.ok) {
      const problem = check.reason === 'checksum' ? 'Nomor pelacakan salah ketik: periksa kembali setiap karakternya.' : 'Nomor pelacakan terdiri dari 11 karakter, contoh 7KQ4M-9XWRT-C.';
      res.status(404).type('html').send(statusPage(query, null, problem));
      return;
    }
    const view = await this.reader.get(check.trackingId);
    if (!view) {
      res.status(404).type('html').send(statusPage(query, null, 'Laporan tidak ditemukan. Laporan yang baru dikirim muncul dalam beberapa detik.'));
      return;
    }
    res.type('html').send(statusPage(query, view));
  }
}

/** The form's fields in the API's shape; the location the citizen typed is part of the story the router reads. */
function toRequest(v: FormValues): unknown {
  const text = [v.text?.trim(), v.lokasi?.trim() ? `Lokasi: ${v.lokasi.trim()}` : ''].filter(Boolean).join('\n');
  const reporter = Object.fromEntries(Object.entries({ name: v.name, email: v.email, phone: v.phone }).filter(([, x]) => x && x.trim()));
  return { text, ...(Object.keys(reporter).length ? { reporter } : {}), anonymous: !!v.anonymous, confidential: !!v.confidential };
}

