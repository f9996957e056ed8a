/** Escapes text for HTML; every value from a request or the database goes through it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The page frame: tiny, no scripts, no external assets, so it works on a cheap phone on a
 * slow connection and without JavaScript.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · LAPOR!</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
header{border-bottom:3px solid #c8102e;margin-bottom:1rem}header a{color:#c8102e;text-decoration:none;font-weight:700;font-size:1.4rem}
label{display:block;font-weight:600;margin-top:1rem}small{display:block;color:#555;font-weight:400}
input[type=text],input[type=email],input[type=tel],textarea{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #888;border-radius:4px}
textarea{min-height:9rem}.check{font-weight:400;margin-top:.5rem}
button{margin-top:1.2rem;padding:.7rem 1.4rem;font-size:1rem;background:#c8102e;color:#fff;border:0;border-radius:4px}
.error{color:#a00;font-weight:600}.ok{color:#065f1d;font-weight:600}blockquote.message{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #c8102e}h2{font-size:1.15rem}.box{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.id{font-size:1.6rem;font-weight:700;letter-spacing:.08em}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #eee}
</style>
</head>
<body>
<header><a href="/">LAPOR!</a> <span>Layanan Aspirasi dan Pengaduan Online Rakyat</span></header>
<main>
${body}
</main>
<footer><p><small>Tanpa internet? Kirim SMS ke 1708. Cek status: <a href="/lapor/cek">cek laporan</a>.</small></p></footer>
</body>
</html>`;
}
