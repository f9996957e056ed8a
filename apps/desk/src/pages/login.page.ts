import { csrfField, esc, layout, Viewer } from './layout';

export function loginPage(options: { email?: string; error?: string; next?: string; loggedOut?: boolean } = {}): string {
  return layout(
    'Masuk',
    `<h1>Masuk</h1>
${options.loggedOut ? '<p class="ok" role="status">Anda sudah keluar.</p>' : ''}
${options.error ? `<p class="error" role="alert" id="login-error">${esc(options.error)}</p>` : ''}
<form method="post" action="/desk/masuk">
<input type="hidden" name="lanjut" value="${esc(options.next ?? '')}">
<label for="email">E-mail</label>
<input type="email" id="email" name="email" autocomplete="username" required value="${esc(options.email ?? '')}">
<label for="password">Kata sandi</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Masuk</button>
</form>
<p class="hint">Akun dibuat oleh admin instansi Anda atau admin nasional. Lupa kata sandi? Minta admin mengatur ulang.</p>`,
  );
}

export function passwordPage(viewer: Viewer, options: { error?: string; forced: boolean; done?: boolean }): string {
  return layout(
    'Ganti kata sandi',
    `<h1>Ganti kata sandi</h1>
${options.forced ? '<p>Anda masuk dengan kata sandi sekali pakai. Buat kata sandi baru sebelum melanjutkan.</p>' : ''}
${options.done ? '<p class="ok" role="status">Kata sandi sudah diganti.</p>' : ''}
${options.error ? `<p class="error" role="alert" id="password-error">${esc(options.error)}</p>` : ''}
<form method="post" action="/desk/kata-sandi">${csrfField(viewer.csrf)}
<label for="current">Kata sandi saat ini</label>
<input type="password" id="current" name="current" autocomplete="current-password" required>
<label for="next">Kata sandi baru <small>minimal 12 karakter</small></label>
<input type="password" id="next" name="next" autocomplete="new-password" minlength="12" required>
<button type="submit">Simpan</button>
</form>`,
    viewer,
  );
}
