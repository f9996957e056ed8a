import { ComplaintStatusChangedPayload, formatTrackingId, statusLabel } from '@lapor/contracts';

export interface RenderedMessage {
  subject: string;
  text: string;
}

const KIND_LABEL = { province: 'Pemerintah Provinsi', kota: 'Pemerintah Kota', kabupaten: 'Pemerintah Kabupaten', agency: 'Instansi pusat', triage: 'Tim verifikasi nasional' } as const;

/** The status message to a complainant, in Bahasa Indonesia. Always carries the tracking id. */
export function renderStatusEmail(p: ComplaintStatusChangedPayload, publicBaseUrl?: string): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const label = statusLabel(p.status);
  const lines = ['Yth. Pelapor,', ''];
  if (p.status === 'received') {
    lines.push(`Laporan Anda telah kami terima dengan nomor pelacakan ${id}.`, 'Simpan nomor ini untuk mengecek perkembangan laporan Anda.');
  } else {
    lines.push(`Status laporan Anda dengan nomor pelacakan ${id} kini: ${label}.`);
  }
  if (p.assignment && p.assignment.kind !== 'triage') {
    lines.push(`Ditangani oleh: ${p.assignment.name} (${KIND_LABEL[p.assignment.kind]})${p.assignment.unit ? `, unit ${p.assignment.unit}` : ''}.`);
  } else if (p.status === 'triage') {
    lines.push('Laporan Anda sedang diverifikasi oleh admin nasional sebelum diteruskan ke instansi yang berwenang.');
  }
  lines.push('');
  if (publicBaseUrl) lines.push(`Cek status: ${publicBaseUrl.replace(/\/$/, '')}/api/v1/complaints/${p.trackingId}`);
  lines.push(`Atau kirim SMS "CEK ${p.trackingId}" ke 1708.`, '', 'Terima kasih telah menyampaikan laporan melalui SP4N-LAPOR!', '', '--', 'Pesan ini dikirim otomatis; mohon tidak membalas e-mail ini.');
  return { subject: `[LAPOR!] Laporan ${id}: ${label}`, text: lines.join('\n') };
}
