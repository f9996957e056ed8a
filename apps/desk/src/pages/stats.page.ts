import { Channel, DeadlineStage, STATS_SHARE_LABELS, StatsFigures, StatsGroup, StatsPercentile, StatsReport, StatsShare, SUBMISSION_TYPE_LABELS, CHANNEL_LABELS } from '@lapor/contracts';
import type { z } from 'zod';
import { esc } from './layout';

/**
 * The statistics dashboard (public `/statistik`, console `/desk/statistik`): server-side SVG
 * charts, no script, readable on a 360-px phone (every chart scales to the width through its
 * viewBox; wide tables scroll inside their own box). Every bar carries a <title> with its value
 * (screen readers and the Chromium test read it). Counts only: no complaint, no identity.
 */

const SHARE_ORDER: StatsShare[] = ['selesai', 'dalam_proses', 'belum_ditindaklanjuti', 'belum_terverifikasi'];
const SHARE_COLOURS: Record<StatsShare, string> = { selesai: '#1a7f37', dalam_proses: '#1a5fb4', belum_ditindaklanjuti: '#c8102e', belum_terverifikasi: '#8a8a8a' };
const STAGE_LABELS: Record<DeadlineStage, string> = { verification: 'Verifikasi admin', acceptance: 'Penerimaan oleh instansi', 'first-response': 'Tanggapan pertama', 'follow-up': 'Tindak lanjut selesai' };
const SCOPE_LABELS = { national: 'Nasional', province: 'Provinsi', body: 'Instansi' } as const;

const num = (n: number) => n.toLocaleString('id-ID');
const pct = (p: number | null) => (p === null ? '–' : `${p.toLocaleString('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`);

/** "2 jam", "3 hari": the bucket's estimate in words. */
export function durationWords(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} menit`;
  if (minutes < 1440) return `${(minutes / 60).toLocaleString('id-ID', { maximumFractionDigits: 1 })} jam`;
  return `${(minutes / 1440).toLocaleString('id-ID', { maximumFractionDigits: 1 })} hari`;
}

function percentileCell(p: z.infer<typeof StatsPercentile> | null): string {
  if (!p) return '–';
  const range = p.upperMinutes === null ? `≥ ${durationWords(p.lowerMinutes)}` : `${durationWords(p.lowerMinutes)}–${durationWords(p.upperMinutes)}`;
  return `± ${esc(durationWords(p.estimateMinutes))} <small>(${esc(range)})</small>`;
}

/** The four shares as one stacked bar (100% = all complaints in view). */
export function sharesChart(f: StatsFigures): string {
  const width = 320;
  let x = 0;
  const bars = SHARE_ORDER.map((s) => {
    const w = f.complaints > 0 ? (width * f.shares[s].count) / f.complaints : 0;
    const rect = `<rect class="share" data-share="${s}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="36" fill="${SHARE_COLOURS[s]}"><title>${esc(STATS_SHARE_LABELS[s])}: ${num(f.shares[s].count)} laporan (${pct(f.shares[s].percent)})</title></rect>`;
    x += w;
    return rect;
  }).join('');
  const legend = SHARE_ORDER.map((s) => `<li><span class="swatch" style="background:${SHARE_COLOURS[s]}"></span>${esc(STATS_SHARE_LABELS[s])}: <strong>${num(f.shares[s].count)}</strong> (${pct(f.shares[s].percent)})</li>`).join('');
  return `<figure class="chart"><svg id="grafik-porsi" role="img" aria-labelledby="grafik-porsi-judul" viewBox="0 0 ${width} 36" width="100%" preserveAspectRatio="none"><title id="grafik-porsi-judul">Porsi status dari ${num(f.complaints)} laporan</title>${bars}</svg><figcaption><ul class="legend">${legend}</ul></figcaption></figure>`;
}

/** Complaints registered per week, stacked by share. */
export function weeklyChart(weeks: StatsGroup[]): string {
  if (weeks.length === 0) return '<p>Belum ada data mingguan.</p>';
  const shown = weeks.slice(-26);
  const width = 320;
  const height = 160;
  const max = Math.max(1, ...shown.map((w) => w.complaints));
  const slot = width / shown.length;
  const barWidth = Math.max(1, slot * 0.8);
  const columns = shown
    .map((w, i) => {
      let y = height;
      const parts = SHARE_ORDER.filter((s) => w.shares[s].count > 0).map((s) => {
        const h = (height * w.shares[s].count) / max;
        y -= h;
        return `<rect data-share="${s}" x="${(i * slot + (slot - barWidth) / 2).toFixed(2)}" y="${y.toFixed(2)}" width="${barWidth.toFixed(2)}" height="${h.toFixed(2)}" fill="${SHARE_COLOURS[s]}"><title>Minggu ${esc(w.key)} · ${esc(STATS_SHARE_LABELS[s])}: ${num(w.shares[s].count)}</title></rect>`;
      });
      return `<g class="week" data-week="${esc(w.key)}" data-count="${w.complaints}"><title>Minggu ${esc(w.key)}: ${num(w.complaints)} laporan</title>${parts.join('')}</g>`;
    })
    .join('');
  const first = shown[0].key;
  const last = shown[shown.length - 1].key;
  return `<figure class="chart"><svg id="grafik-mingguan" role="img" aria-labelledby="grafik-mingguan-judul" viewBox="0 0 ${width} ${height + 14}" width="100%"><title id="grafik-mingguan-judul">Laporan per minggu (${esc(first)} s.d. ${esc(last)}), paling tinggi ${num(max)}</title>${columns}<text x="0" y="${height + 12}" font-size="10">${esc(first)}</text><text x="${width}" y="${height + 12}" font-size="10" text-anchor="end">${esc(last)}</text></svg><figcaption>Laporan terdaftar per minggu (Senin, WIB), diwarnai menurut status saat ini.</figcaption></figure>`;
}

/** Horizontal bars (per channel, per submission type). */
export function barChart(id: string, caption: string, groups: StatsGroup[]): string {
  if (groups.length === 0) return '';
  const width = 320;
  const row = 26;
  const labelWidth = 120;
  const max = Math.max(1, ...groups.map((g) => g.complaints));
  const bars = groups
    .map((g, i) => {
      const w = ((width - labelWidth - 40) * g.complaints) / max;
      const y = i * row;
      return `<g class="bar" data-key="${esc(g.key)}"><text x="0" y="${y + 17}" font-size="12">${esc(g.label)}</text><rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(2)}" height="18" fill="#1a5fb4"><title>${esc(g.label)}: ${num(g.complaints)} laporan</title></rect><text x="${(labelWidth + w + 4).toFixed(2)}" y="${y + 17}" font-size="12">${num(g.complaints)}</text></g>`;
    })
    .join('');
  return `<figure class="chart"><svg id="${esc(id)}" role="img" aria-label="${esc(caption)}" viewBox="0 0 ${width} ${groups.length * row}" width="100%">${bars}</svg><figcaption>${esc(caption)}</figcaption></figure>`;
}

function figuresTable(f: StatsFigures): string {
  const d = f.durations;
  const durationRow = (label: string, x: StatsFigures['durations']['close']) => `<tr><th scope="row">${esc(label)}</th><td>${num(x.count)}</td><td>${percentileCell(x.median)}</td><td>${percentileCell(x.p90)}</td></tr>`;
  const stages = (Object.keys(STAGE_LABELS) as DeadlineStage[])
    .map((s) => {
      const c = f.deadlineCompliance[s] ?? { reached: 0, escalated: 0, percent: null };
      return `<tr><th scope="row">${esc(STAGE_LABELS[s])}</th><td>${num(c.reached)}</td><td>${num(c.escalated)}</td><td>${pct(c.percent)}</td></tr>`;
    })
    .join('');
  return `<div class="scroll"><table id="waktu"><caption>Waktu penanganan (median dan persentil ke-90)</caption><thead><tr><th>Tahap</th><th>Laporan</th><th>Median</th><th>P90</th></tr></thead><tbody>
${durationRow('Sampai didistribusikan ke instansi', d.distribution)}${durationRow('Sampai tanggapan pertama', d.firstResponse)}${durationRow('Sampai selesai', d.close)}</tbody></table></div>
<div class="scroll"><table id="kepatuhan"><caption>Kepatuhan tenggat per tahap</caption><thead><tr><th>Tahap</th><th>Mencapai tahap</th><th>Dieskalasi (terlambat)</th><th>Tepat waktu</th></tr></thead><tbody>${stages}</tbody></table></div>
<p>Eskalasi: <strong id="eskalasi">${num(f.escalations)}</strong> · Diteruskan ke Ombudsman RI: <strong id="ombudsman">${num(f.ombudsmanForwards)}</strong> · Laporan rahasia (hanya dihitung): <strong id="rahasia">${num(f.confidential)}</strong></p>`;
}

function groupTable(id: string, caption: string, firstHeader: string, groups: StatsGroup[], link?: (g: StatsGroup) => string | null): string {
  if (groups.length === 0) return '';
  const rows = groups
    .map((g) => {
      const href = link?.(g);
      const name = href ? `<a href="${esc(href)}">${esc(g.label)}</a>` : esc(g.label);
      return `<tr data-key="${esc(g.key)}"><th scope="row">${name}</th><td>${num(g.complaints)}</td>${SHARE_ORDER.map((s) => `<td>${pct(g.shares[s].percent)}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<div class="scroll"><table id="${esc(id)}"><caption>${esc(caption)}</caption><thead><tr><th>${esc(firstHeader)}</th><th>Laporan</th>${SHARE_ORDER.map((s) => `<th>${esc(STATS_SHARE_LABELS[s])}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function filterForm(r: StatsReport, action: string, fixedScope: boolean): string {
  const opt = (value: string, label: string, selected: string | null) => `<option value="${esc(value)}"${value === (selected ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  const scope = fixedScope
    ? ''
    : `<label for="f-scope">Cakupan<select id="f-scope" name="scope">${(['national', 'province', 'body'] as const).map((s) => opt(s, SCOPE_LABELS[s], r.scope)).join('')}</select></label>
<label for="f-code">Kode provinsi/instansi<input id="f-code" name="code" type="text" value="${esc(r.code ?? '')}" placeholder="mis. 32 atau 32.73"></label>`;
  return `<form method="get" action="${esc(action)}" class="filters">${scope}
<label for="f-from">Dari tanggal<input id="f-from" name="from" type="date" value="${esc(r.filters.from ?? '')}"></label>
<label for="f-to">Sampai tanggal<input id="f-to" name="to" type="date" value="${esc(r.filters.to ?? '')}"></label>
<label for="f-channel">Kanal<select id="f-channel" name="channel">${opt('', 'Semua kanal', r.filters.channel)}${(Channel.options as string[]).map((c) => opt(c, CHANNEL_LABELS[c as Channel], r.filters.channel)).join('')}</select></label>
<label for="f-type">Jenis<select id="f-type" name="submissionType">${opt('', 'Semua jenis', r.filters.submissionType)}${Object.entries(SUBMISSION_TYPE_LABELS).map(([k, l]) => opt(k, l, r.filters.submissionType)).join('')}</select></label>
<button type="submit">Tampilkan</button></form>`;
}

/** The dashboard's content, shared by the public page and the console. `linkFor`: where a province/body row leads (null: no link). */
export function statsContent(r: StatsReport, opts: { action: string; fixedScope: boolean; csvHref: string; linkFor?: (scope: 'province' | 'body', code: string) => string | null }): string {
  const f = r.summary;
  const range = r.weeks.from || r.weeks.to ? ` · minggu ${esc(r.weeks.from ?? 'awal')} s.d. ${esc(r.weeks.to ?? 'kini')}` : ' · sepanjang waktu';
  const breakdownTitle = r.scope === 'national' ? 'Per provinsi' : 'Per instansi';
  const breakdownScope = r.scope === 'national' ? 'province' : 'body';
  return `<h1>Statistik pengaduan: ${esc(r.name)}</h1>
<p class="lead">${esc(SCOPE_LABELS[r.scope])}${r.code ? ` (${esc(r.code)})` : ''}${range}. Total <strong id="total">${num(f.complaints)}</strong> laporan.</p>
${filterForm(r, opts.action, opts.fixedScope)}
<p><a href="${esc(opts.csvHref)}">Unduh CSV</a></p>
<h2>Status laporan</h2>
${sharesChart(f)}
<h2>Tren mingguan</h2>
${weeklyChart(r.weekly)}
<h2>Per kanal dan jenis</h2>
${barChart('grafik-kanal', 'Laporan per kanal', r.byChannel)}
${barChart('grafik-jenis', 'Laporan per jenis', r.bySubmissionType)}
<h2>Waktu dan tenggat</h2>
${figuresTable(f)}
${r.breakdown.length ? `<h2>${esc(breakdownTitle)}</h2>${groupTable('rincian', breakdownTitle, r.scope === 'national' ? 'Provinsi' : 'Instansi', r.breakdown, (g) => (g.key ? (opts.linkFor?.(breakdownScope, g.key) ?? null) : null))}` : ''}
<p class="hint">Statistik dihitung per minggu pendaftaran (Senin, WIB) dari tabel agregat yang diperbarui oleh setiap perubahan status. Pemetaan status ke empat kategori: lihat dokumentasi pemantauan.</p>`;
}

export const STATS_STYLE = `.chart{margin:.5rem 0 1rem}.chart svg{display:block;max-width:40rem;height:auto}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:.4rem 0}.swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}
.scroll{overflow-x:auto;max-width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
.scroll td,.scroll thead th{white-space:nowrap}.scroll th[scope=row]{min-width:9rem}`;

/** The public page's frame: no officer navigation, no login. */
export function publicStatsPage(content: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Statistik pengaduan · LAPOR!</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
header{border-bottom:3px solid #c8102e;margin-bottom:1rem}header a{color:#c8102e;text-decoration:none;font-weight:700;font-size:1.3rem}
a,button,input,select{font-size:1rem}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
label{display:block;font-weight:600;margin-top:.5rem}.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:end}
input,select{min-height:44px;padding:.4rem;border:1px solid #777;border-radius:4px;max-width:100%;box-sizing:border-box}
button{min-height:44px;margin-top:.6rem;padding:.5rem 1.1rem;background:#c8102e;color:#fff;border:0;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #e5e5e5;vertical-align:top}.hint{color:#555}
${STATS_STYLE}
</style>
</head>
<body>
<header><a href="/statistik">Statistik SP4N-LAPOR!</a></header>
<main id="isi">
${content}
</main>
</body>
</html>`;
}
