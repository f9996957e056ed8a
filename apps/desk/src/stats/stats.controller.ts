import { Controller, Get, NotFoundException, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { StatsQuery, StatsReport } from '@lapor/contracts';
import type { Request, Response } from 'express';
import { Access, ALL_ROLES, Surface } from '../access/access.decorator';
import { CurrentPrincipal, DeskAuthGuard } from '../access/desk-auth.guard';
import { Principal, scopeOf } from '../access/principal';
import { ZodQuery } from '../api/zod-query';
import { ConsoleExceptionFilter } from '../console/console-exception.filter';
import { layout } from '../pages/layout';
import { publicStatsPage, STATS_STYLE, statsContent } from '../pages/stats.page';
import { messageOf } from '../http-message';
import { statsCsv } from './stats-csv';
import { StatsQueryService } from './stats-query.service';

/** `?format=csv`, or an Accept header that prefers CSV over JSON. */
function wantsCsv(req: Request, q: StatsQuery): boolean {
  if (q.format) return q.format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

function sendCsv(res: Response, r: StatsReport): void {
  res.setHeader('Content-Disposition', `attachment; filename="statistik-${r.scope}${r.code ? `-${r.code}` : ''}.csv"`);
  res.type('text/csv; charset=utf-8').send(statsCsv(r));
}

const queryString = (q: Record<string, unknown>) => new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string][]).toString();

/** Empty form fields ("Semua kanal") are no filter. */
function withoutEmpty(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== ''));
}

/**
 * The public statistics (docs/monitoring.md): `GET /api/v1/stats` (JSON, or CSV) and the
 * dashboard `/statistik`. No credentials; counts only, read from the aggregate tables.
 */
@Controller()
@UseGuards(DeskAuthGuard)
@Access({ public: true })
export class PublicStatsController {
  constructor(private readonly stats: StatsQueryService) {}

  @Get('api/v1/stats')
  @Surface('api')
  async api(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = new ZodQuery(StatsQuery).transform(withoutEmpty(raw));
    const report = await this.stats.report(q);
    if (wantsCsv(req, q)) return sendCsv(res, report);
    res.json(report);
  }

  @Get('statistik')
  @Surface('page')
  async page(@Query() raw: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const parsed = StatsQuery.safeParse(withoutEmpty(raw));
    if (!parsed.success) {
      res.status(400).type('html').send(publicStatsPage(`<h1>Permintaan tidak valid</h1><p class="error" role="alert">${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').replace(/[<>&]/g, '')}</p><p><a href="/statistik">Statistik nasional</a></p>`));
      return;
    }
    try {
      const report = await this.stats.report(parsed.data);
      const { format: _f, ...rest } = parsed.data;
      res.type('html').send(publicStatsPage(statsContent(report, { action: '/statistik', fixedScope: false, csvHref: `/api/v1/stats?${queryString({ ...rest, format: 'csv' })}`, linkFor: (scope, code) => `/statistik?${queryString({ ...rest, scope, code })}` })));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      res.status(404).type('html').send(publicStatsPage(`<h1>Tidak ditemukan</h1><p class="error" role="alert">${messageOf(error).replace(/[<>&]/g, '')}</p><p><a href="/statistik">Statistik nasional</a></p>`));
    }
  }
}

/**
 * The same view inside the officer console (`/desk/statistik`): a liaison or unit officer sees
 * the own body (asking for another is 404, like every out-of-scope read); the national admin
 * any scope. `?format=csv` downloads it.
 */
@Controller('desk')
@Surface('page')
@UseGuards(DeskAuthGuard)
@UseFilters(ConsoleExceptionFilter)
@Access({ roles: ALL_ROLES })
export class ConsoleStatsController {
  constructor(private readonly stats: StatsQueryService) {}

  @Get('statistik')
  async page(@CurrentPrincipal() p: Principal, @Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (p.kind !== 'officer') throw new NotFoundException();
    const scope = scopeOf(p);
    const input = withoutEmpty(raw);
    if (!scope.all) {
      if ((input.scope && input.scope !== 'body') || (input.code && input.code !== scope.bodyCode)) throw new NotFoundException('Statistik instansi lain tidak tersedia untuk Anda');
      Object.assign(input, { scope: 'body', code: scope.bodyCode });
    }
    const q = new ZodQuery(StatsQuery).transform(input);
    const report = await this.stats.report(q);
    if (wantsCsv(req, q)) return sendCsv(res, report);
    const { format: _f, ...rest } = q;
    const content = statsContent(report, {
      action: '/desk/statistik',
      fixedScope: !scope.all,
      csvHref: `/desk/statistik?${queryString({ ...rest, format: 'csv' })}`,
      linkFor: scope.all ? (s, code) => `/desk/statistik?${queryString({ ...rest, scope: s, code })}` : undefined,
    });
    res.type('html').send(layout('Statistik', `<style>${STATS_STYLE}</style>${content}`, { principal: p, csrf: p.csrfToken }));
  }
}
