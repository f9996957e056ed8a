import { formatTrackingId } from '@lapor/contracts';
import { esc, page } from './html';

export interface FormValues {
  text?: string;
  lokasi?: string;
  name?: string;
  email?: string;
  phone?: string;
  anonymous?: string;
  confidential?: string;
  idempotencyKey: string;
}

const fieldError = (errors: Record<string, string[]>, field: string) =>
  errors[field] ? `<span class="error" id="${field}-error">${esc(errors[field].join('; '))}</span>` : '';

/** The web form: what happened, where, and how to reach the reporter. */
export function complaintFormPage(values: FormValues, errors: Record<string, string[]> = {}, notice?: string): string {
  const checked = (v?: string) => (v ? ' checked' : '');
  return page(
    'Sampaikan laporan',
    `<h1>Sampaikan laporan Anda</h1>
<p>Tuliskan apa yang terjadi, di mana, dan sejak kapan. Laporan diteruskan langsung ke instansi yang berwenang.</p>
${notice ? `<p class="error" role="alert">${esc(notice)}</p>` : ''}
${Object.keys(errors).length ? '<p class="error" role="alert">Periksa kembali isian yang ditandai.</p>' : ''}
<form method="post" action="/lapor" accept-charset="utf-8" enctype="multipart/form-data">
<input type="hidden" name="idempotencyKey" value="${esc(values.idempotencyKey)}">
<label for="text">Isi laporan <small>minimal 10 karakter</small></label>
<textarea id="text" name="text" required minlength="10" maxlength="5000" aria-describedby="text-error">${esc(values.text)}</textarea>
${fieldError(errors, 'text')}
<label for="lokasi">Lokasi kejadian <small>desa/kelurahan, kecamatan, kabupaten/kota</small></label>
<input type="text" id="lokasi" name="lokasi" maxlength="300" value="${esc(values.lokasi)}">
<label for="name">Nama <small>boleh dikosongkan</small></label>
<input type="text" id="name" name="name" maxlength="200" value="${esc(values.name)}">
${fieldError(errors, 'reporter.name')}
<label for="email">E-mail <small>untuk kabar perkembangan laporan</small></label>
<input type="email" id="email" name="email" value="${esc(values.email)}" aria-describedby="reporter.email-error">
${fieldError(errors, 'reporter.email')}
<label for="phone">Nomor HP <small>untuk kabar lewat SMS</small></label>
<input type="tel" id="phone" name="phone" value="${esc(values.phone)}">
${fieldError(errors, 'reporter.phone')}
<label for="lampiran">Foto atau dokumen <small>boleh dikosongkan; JPEG/PNG/PDF, paling besar 10 MB per berkas, 5 berkas. Data lokasi dan perangkat di dalam foto dihapus.</small></label>
<input type="file" id="lampiran" name="lampiran" multiple accept="image/jpeg,image/png,image/webp,image/gif,application/pdf,.docx,.xlsx,.odt,.ods" aria-describedby="attachments-error">
${fieldError(errors, 'attachments')}
<label class="check"><input type="checkbox" name="anonymous" value="1"${checked(values.anonymous)}> Anonim: identitas saya tidak ditampilkan kepada instansi</label>
<label class="check"><input type="checkbox" name="confidential" value="1"${checked(values.confidential)}> Rahasia: laporan tidak ditampilkan kepada publik</label>
<button type="submit">Kirim laporan</button>
</form>`,
  );
}

export function complaintAcceptedPage(trackingId: string): string {
  return page(
    'Laporan diterima',
    `<h1>Laporan Anda diterima</h1>
<div class="box"><p>Nomor pelacakan:</p><p class="id" id="tracking-id">${esc(formatTrackingId(trackingId))}</p>
<p>Simpan nomor ini. Cek perkembangan di <a href="/lapor/cek?id=${esc(trackingId)}">halaman status</a> atau kirim SMS <b>CEK ${esc(trackingId)}</b> ke 1708.</p></div>
<p><a href="/">Kirim laporan lain</a></p>`,
  );
}
