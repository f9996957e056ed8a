import { BadRequestException, Body, ConflictException, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ComplaintAction, CreateApiTokenRequest, CreateOfficerRequest, DeadlinePolicy, DeskComplaintQuery, FastLaneInput, SetWebhookRequest } from '@lapor/contracts';
import type { Request, Response } from 'express';
import { Access, ALL_ROLES, MANAGERS, Surface } from '../access/access.decorator';
import { clearSessionCookie, clientAddress, cookiesOf, setSessionCookie } from '../access/cookies';
import { CurrentPrincipal, DeskAuthGuard, ScopedComplaint } from '../access/desk-auth.guard';
import { Principal, scopeOf } from '../access/principal';
import { ScopeService } from '../access/scope.service';
import { apiTokenView } from '../accounts/api-tokens.service';
import { LoginService } from '../accounts/login.service';
import { ManagementService } from '../accounts/management.service';
import { OfficersService, officerView } from '../accounts/officers.service';
import { SESSION_COOKIE, SessionsService } from '../accounts/sessions.service';
import { DeskComplaintsService, OPEN_STATUSES } from '../complaints/desk-complaints.service';
import { DeadlinePolicyService, policyDocument } from '../deadlines/deadline-policy.service';
import { DeskComplaintEntity } from '../entities';
import { FastLanesService } from '../fast-lanes/fast-lanes.service';
import { deadlinePolicyFromForm, deadlinePolicyPage, workingWeekPage } from '../pages/deadlines.page';
import { fastLaneFromForm, fastLanesPage } from '../pages/fast-lanes.page';
import { detailPage } from '../pages/detail.page';
import { Viewer } from '../pages/layout';
import { loginPage, passwordPage } from '../pages/login.page';
import { Notice, officersPage, revealPage, tokensPage, webhookPage } from '../pages/management.page';
import { QueueFilters, queuePage } from '../pages/queue.page';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { messageOf } from '../http-message';

type Form = Record<string, string | undefined>;

function viewer(principal: Principal): Viewer {
  if (principal.kind !== 'officer') throw new ForbiddenException();
  return { principal, csrf: principal.csrfToken };
}

/** Only same-site paths after login (never an open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/desk(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/desk/laporan';
}

/** A form's fields without empty values and without the CSRF field. */
function fields(form: Form): Record<string, string> {
  return Object.fromEntries(Object.entries(form).filter(([k, v]) => k !== '_csrf' && typeof v === 'string' && v.trim() !== '')) as Record<string, string>;
}

/**
 * The officer console (`/desk`): server-rendered HTML in Bahasa Indonesia, no client
 * bundle. Thin: every page calls the same services as the API, behind the same guard.
 */
@Controller('desk')
@Surface('page')
@UseGuards(DeskAuthGuard)
@UseFilters(ConsoleExceptionFilter)
@Access({ roles: ALL_ROLES })
export class ConsoleController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly officers: OfficersService,
    private readonly complaints: DeskComplaintsService,
    private readonly manage: ManagementService,
    private readonly scope: ScopeService,
    private readonly fastLanes: FastLanesService,
    private readonly policies: DeadlinePolicyService,
  ) {}

  @Get()
  home(@Res() res: Response): void {
    res.redirect(303, '/desk/laporan');
  }

  @Get('masuk')
  @Access({ public: true })
  loginForm(@Query('lanjut') next: string | undefined, @Query('keluar') loggedOut: string | undefined, @Res() res: Response): void {
    res.type('html').send(loginPage({ next, loggedOut: !!loggedOut }));
  }

  @Post('masuk')
  @Access({ public: true })
  async loginSubmit(@Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Login CSRF: a login form posted from another site is refused (there is no session yet to hold a token).
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) throw new ForbiddenException('Formulir masuk dari situs lain ditolak');
    const email = (form.email ?? '').trim();
    const result = await this.login.login(email, form.password ?? '', clientAddress(req));
    if (!result.ok) {
      res.status(result.reason === 'throttled' ? 429 : 401).type('html').send(loginPage({ email, error: result.message, next: form.lanjut }));
      return;
    }
    setSessionCookie(res, result.session.id, result.session.maxAgeSeconds);
    res.redirect(303, result.officer.mustChangePassword ? '/desk/kata-sandi' : safeNext(form.lanjut));
  }

  @Post('keluar')
  @Access({ roles: ALL_ROLES, passwordChange: true })
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.close(cookiesOf(req)[SESSION_COOKIE] ?? '');
    clearSessionCookie(res);
    res.redirect(303, '/desk/masuk?keluar=1');
  }

  @Get('kata-sandi')
  @Access({ roles: ALL_ROLES, passwordChange: true })
  passwordForm(@CurrentPrincipal() p: Principal, @Res() res: Response): void {
    const v = viewer(p);
    res.type('html').send(passwordPage(v, { forced: p.kind === 'officer' && p.officer.mustChangePassword }));
  }

  @Post('kata-sandi')
  @Access({ roles: ALL_ROLES, passwordChange: true })
  async passwordSubmit(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const v = viewer(p);
    if (p.kind !== 'officer') throw new ForbiddenException();
    const problem = await this.officers.changePassword(p.officer, form.current ?? '', form.next ?? '', clientAddress(req));
    if (problem) {
      res.status(400).type('html').send(passwordPage(v, { forced: p.officer.mustChangePassword, error: problem }));
      return;
    }
    res.redirect(303, '/desk/laporan');
  }

  @Get('laporan')
  async queue(@CurrentPrincipal() p: Principal, @Query() raw: Form, @Res() res: Response): Promise<void> {
    const { filters, query } = this.filters(raw);
    res.type('html').send(queuePage(viewer(p), await this.complaints.list(p, query), filters));
  }

  @Get('triase')
  @Access({ roles: ['national-admin'] })
  async triage(@CurrentPrincipal() p: Principal, @Query() raw: Form, @Res() res: Response): Promise<void> {
    const { filters, query } = this.filters({ ...raw, body: 'triage' });
    res.type('html').send(queuePage(viewer(p), await this.complaints.list(p, query), filters, 'Triase nasional', '/desk/triase'));
  }

  @Get('laporan/:trackingId')
  @Access({ roles: ALL_ROLES, complaint: true, copies: true })
  async detail(@CurrentPrincipal() p: Principal, @ScopedComplaint() c: DeskComplaintEntity, @Query('ok') ok: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const detail = await this.complaints.detail(p, c, clientAddress(req));
    res.type('html').send(detailPage(viewer(p), detail, ok ? { kind: 'ok', text: 'Tindakan tersimpan.' } : undefined));
  }

  @Post('laporan/:trackingId/tindakan')
  @Access({ roles: ALL_ROLES, complaint: true })
  async act(@CurrentPrincipal() p: Principal, @ScopedComplaint() c: DeskComplaintEntity, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { expectedVersion, idempotencyKey, ...rest } = fields(form);
    const parsed = ComplaintAction.safeParse(rest);
    const show = async (status: number, text: string) => res.status(status).type('html').send(detailPage(viewer(p), await this.complaints.detail(p, c, clientAddress(req)), { kind: 'error', text }));
    if (!parsed.success) return void (await show(400, `Isian belum lengkap: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'tindakan'}: ${i.message}`).join('; ')}`));
    try {
      const after = await this.complaints.act(p, c, parsed.data, clientAddress(req), {
        expectedVersion: expectedVersion ? Number(expectedVersion) : undefined,
        idempotencyKey: idempotencyKey && /^[\w-]{1,100}$/.test(idempotencyKey) ? `form:${idempotencyKey}` : undefined,
      });
      // Post/Redirect/Get; after a return or forward the complaint may no longer be ours.
      const stillOurs = this.scope.sees(p, { bodyKind: after.assignment?.kind ?? null, bodyCode: after.assignment?.code ?? null, unit: after.assignment?.unit ?? null });
      res.redirect(303, stillOurs ? `/desk/laporan/${c.trackingId}?ok=1` : '/desk/laporan');
    } catch (error) {
      if (error instanceof ConflictException || error instanceof BadRequestException) return void (await show(error.getStatus(), messageOf(error)));
      throw error;
    }
  }

  @Post('laporan/:trackingId/identitas')
  @Access({ roles: ['national-admin'], complaint: true })
  async reveal(@CurrentPrincipal() p: Principal, @ScopedComplaint() c: DeskComplaintEntity, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const reason = (form.reason ?? '').trim();
    if (reason.length < 10) throw new BadRequestException('Tuliskan alasan membuka identitas (minimal 10 karakter).');
    res.type('html').send(revealPage(viewer(p), c.trackingId, await this.complaints.revealReporter(p, c, reason, clientAddress(req))));
  }

  @Get('petugas')
  @Access({ roles: MANAGERS })
  async officerList(@CurrentPrincipal() p: Principal, @Query('body') body: string | undefined, @Res() res: Response): Promise<void> {
    res.type('html').send(officersPage(viewer(p), (await this.manage.listOfficers(p, body)).map(officerView)));
  }

  @Post('petugas')
  @Access({ roles: MANAGERS })
  async officerCreate(@CurrentPrincipal() p: Principal, @Body() form: Form, @Res() res: Response): Promise<void> {
    const parsed = CreateOfficerRequest.safeParse(fields(form));
    const page = async (status: number, notice: Notice) => res.status(status).type('html').send(officersPage(viewer(p), (await this.manage.listOfficers(p)).map(officerView), notice));
    if (!parsed.success) return void (await page(400, { kind: 'error', text: `Isian belum lengkap: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` }));
    try {
      const { officer, oneTimePassword } = await this.manage.createOfficer(p, parsed.data);
      await page(201, { kind: 'ok', text: `Akun ${officer.email} dibuat. Berikan kata sandi sekali pakai ini kepada yang bersangkutan; wajib diganti saat pertama masuk.`, secret: oneTimePassword });
    } catch (error) {
      if (error instanceof BadRequestException || error instanceof ConflictException) return void (await page(error.getStatus(), { kind: 'error', text: messageOf(error) }));
      throw error;
    }
  }

  @Post('petugas/:officerId/nonaktif')
  @Access({ roles: MANAGERS })
  async officerDisable(@CurrentPrincipal() p: Principal, @Param('officerId') id: string, @Res() res: Response): Promise<void> {
    const officer = await this.manage.disableOfficer(p, id);
    res.type('html').send(officersPage(viewer(p), (await this.manage.listOfficers(p)).map(officerView), { kind: 'ok', text: `Akun ${officer.email} dinonaktifkan.` }));
  }

  @Post('petugas/:officerId/atur-ulang')
  @Access({ roles: MANAGERS })
  async officerReset(@CurrentPrincipal() p: Principal, @Param('officerId') id: string, @Res() res: Response): Promise<void> {
    const { officer, oneTimePassword } = await this.manage.resetPassword(p, id);
    res.type('html').send(officersPage(viewer(p), (await this.manage.listOfficers(p)).map(officerView), { kind: 'ok', text: `Kata sandi ${officer.email} diatur ulang.`, secret: oneTimePassword }));
  }

  @Get('token')
  @Access({ roles: MANAGERS })
  async tokenList(@CurrentPrincipal() p: Principal, @Query('body') body: string | undefined, @Res() res: Response): Promise<void> {
    res.type('html').send(tokensPage(viewer(p), (await this.manage.listTokens(p, body)).map(apiTokenView)));
  }

  @Post('token')
  @Access({ roles: MANAGERS })
  async tokenCreate(@CurrentPrincipal() p: Principal, @Body() form: Form, @Res() res: Response): Promise<void> {
    const parsed = CreateApiTokenRequest.safeParse({ ...fields(form), readOnly: form.readOnly === '1' });
    if (!parsed.success) throw new BadRequestException(`Isian belum lengkap: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const { apiToken, token } = await this.manage.createToken(p, parsed.data);
    res.status(201).type('html').send(tokensPage(viewer(p), (await this.manage.listTokens(p)).map(apiTokenView), { kind: 'ok', text: `Token "${apiToken.name}" dibuat untuk ${apiToken.bodyCode}.`, secret: token }));
  }

  @Post('token/:tokenId/cabut')
  @Access({ roles: MANAGERS })
  async tokenRevoke(@CurrentPrincipal() p: Principal, @Param('tokenId') id: string, @Res() res: Response): Promise<void> {
    const token = await this.manage.revokeToken(p, id);
    res.type('html').send(tokensPage(viewer(p), (await this.manage.listTokens(p)).map(apiTokenView), { kind: 'ok', text: `Token "${token.name}" dicabut.` }));
  }

  @Get('webhook')
  @Access({ roles: MANAGERS })
  async webhook(@CurrentPrincipal() p: Principal, @Query('body') body: string | undefined, @Res() res: Response): Promise<void> {
    const settings = body || !scopeOf(p).all ? await this.manage.webhook(p, body ?? '') : null;
    res.type('html').send(webhookPage(viewer(p), settings));
  }

  @Post('webhook')
  @Access({ roles: MANAGERS })
  async webhookSet(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const parsed = SetWebhookRequest.safeParse({ url: form.url });
    if (!parsed.success) throw new BadRequestException('URL webhook tidak valid (http:// atau https://)');
    const { settings, key } = await this.manage.setWebhook(p, form.body ?? '', parsed.data.url, clientAddress(req));
    res.type('html').send(webhookPage(viewer(p), settings, { kind: 'ok', text: `Webhook disimpan (kunci versi ${settings.keyVersion}). Pasang kunci ini di sistem instansi untuk memeriksa tanda tangan.`, secret: key }));
  }

  @Post('webhook/rotasi')
  @Access({ roles: MANAGERS })
  async webhookRotate(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { settings, key } = await this.manage.rotateWebhookKey(p, form.body ?? '', clientAddress(req));
    res.type('html').send(webhookPage(viewer(p), settings, { kind: 'ok', text: `Kunci diganti (versi ${settings.keyVersion}); kunci lama tidak berlaku lagi.`, secret: key }));
  }

  @Get('jalur-cepat')
  @Access({ roles: ['national-admin'] })
  async laneList(@CurrentPrincipal() p: Principal, @Res() res: Response): Promise<void> {
    res.type('html').send(fastLanesPage(viewer(p), await this.laneViews()));
  }

  @Post('jalur-cepat')
  @Access({ roles: ['national-admin'] })
  async laneCreate(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const page = async (status: number, notice: Notice) => res.status(status).type('html').send(fastLanesPage(viewer(p), await this.laneViews(), notice));
    const parsed = FastLaneInput.safeParse(fastLaneFromForm(form));
    if (!parsed.success) return void (await page(400, { kind: 'error', text: `Isian belum lengkap: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` }));
    try {
      const lane = await this.fastLanes.create(p, parsed.data, clientAddress(req));
      await page(201, { kind: 'ok', text: `Jalur cepat "${lane.name}" ${lane.active ? 'aktif' : 'disimpan (nonaktif)'}.` });
    } catch (error) {
      if (error instanceof BadRequestException || error instanceof ConflictException) return void (await page(error.getStatus(), { kind: 'error', text: messageOf(error) }));
      throw error;
    }
  }

  @Post('jalur-cepat/:laneId/status')
  @HttpCode(200)
  @Access({ roles: ['national-admin'] })
  async laneSwitch(@CurrentPrincipal() p: Principal, @Param('laneId') id: string, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const lane = await this.fastLanes.setActive(p, id, form.active === '1', clientAddress(req));
    res.type('html').send(fastLanesPage(viewer(p), await this.laneViews(), { kind: 'ok', text: `Jalur cepat "${lane.name}" ${lane.active ? 'diaktifkan' : 'dinonaktifkan'}.` }));
  }

  @Get('tenggat')
  async deadlinePolicy(@CurrentPrincipal() p: Principal, @Res() res: Response): Promise<void> {
    res.type('html').send(deadlinePolicyPage(viewer(p), policyDocument(await this.policies.current())));
  }

  @Post('tenggat')
  @Access({ roles: ['national-admin'] })
  async deadlinePolicySet(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    const current = await this.policies.current();
    const page = (status: number, notice: Notice, doc = policyDocument(current)) => res.status(status).type('html').send(deadlinePolicyPage(viewer(p), doc, notice));
    const proposed = deadlinePolicyFromForm(current.policy, form);
    if (!proposed) return void page(400, { kind: 'error', text: 'Tidak ada tenggat yang diubah.' });
    const parsed = DeadlinePolicy.safeParse(proposed);
    if (!parsed.success) return void page(400, { kind: 'error', text: `Isian belum lengkap: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Tuliskan dasar perubahan (minimal 3 karakter) dan jumlah hari kerja 0–365.` });
    const saved = await this.policies.set(p, parsed.data, clientAddress(req));
    page(200, { kind: 'ok', text: `Kebijakan tenggat versi ${saved.version} disimpan; berlaku untuk tahap yang dimulai sejak sekarang.` }, policyDocument(saved));
  }

  @Get('hari-kerja')
  @Access({ roles: MANAGERS })
  async workingWeek(@CurrentPrincipal() p: Principal, @Query('body') body: string | undefined, @Res() res: Response): Promise<void> {
    const week = body || !scopeOf(p).all ? await this.manage.workingWeek(p, body ?? '') : null;
    res.type('html').send(workingWeekPage(viewer(p), week));
  }

  @Post('hari-kerja')
  @Access({ roles: MANAGERS })
  async workingWeekSet(@CurrentPrincipal() p: Principal, @Body() form: Form, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (form.sixDayWeek !== '0' && form.sixDayWeek !== '1') throw new BadRequestException('Pilih lima atau enam hari kerja');
    const week = await this.manage.setWorkingWeek(p, form.body ?? '', form.sixDayWeek === '1', clientAddress(req));
    res.type('html').send(workingWeekPage(viewer(p), week, { kind: 'ok', text: `Pekan kerja ${week.bodyCode} disimpan: ${week.sixDayWeek ? 'enam' : 'lima'} hari kerja, untuk tahap yang dimulai sejak sekarang.` }));
  }

  private async laneViews() {
    return (await this.fastLanes.list()).map((l) => this.fastLanes.view(l));
  }

  private filters(raw: Form): { filters: QueueFilters; query: DeskComplaintQuery } {
    const status = raw.status && raw.status !== '' ? raw.status : 'open';
    const filters: QueueFilters = { status, unit: raw.unit || undefined, channel: raw.channel || undefined, type: raw.type || undefined, body: raw.body || undefined, overdue: raw.overdue || undefined };
    const parsed = DeskComplaintQuery.safeParse({
      status: status === 'open' ? OPEN_STATUSES : status === 'all' ? undefined : status,
      unit: filters.unit,
      channel: filters.channel,
      type: filters.type,
      body: filters.body,
      overdue: filters.overdue,
      page: raw.page || undefined,
      pageSize: 25,
    });
    if (!parsed.success) throw new BadRequestException('Saringan tidak valid');
    return { filters, query: parsed.data };
  }
}


