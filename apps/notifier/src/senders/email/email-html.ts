/**
 * The HTML part of a reporter's e-mail, made from its text part so the two always say the
 * same (email-html.spec.ts compares the HTML's text content with the text): paragraphs
 * between blank lines, a line break per line, `> ` lines (an officer's words) as a quote,
 * addresses as links, and the `--` signature separator as a rule. Inline styles only: mail
 * clients drop <style> blocks and external sheets (https://www.caniemail.com/features/html-style/).
 */
export function emailHtml(text: string, options: { subject?: string | null; lang?: string }): string {
  const blocks = text.split(/\n{2,}/).map((block) => block.split('\n'));
  const body = blocks.map(renderBlock).join('\n');
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(options.lang ?? 'id')}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(options.subject ?? '')}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">',
    '<div style="max-width:600px">',
    body,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}

function renderBlock(lines: string[]): string {
  const out: string[] = [];
  let quote: string[] = [];
  let plain: string[] = [];
  const flushPlain = () => {
    if (plain.length) out.push(`<p style="margin:0 0 12px">${plain.map(inline).join('<br>\n')}</p>`);
    plain = [];
  };
  const flushQuote = () => {
    if (quote.length) out.push(`<blockquote style="margin:0 0 12px;padding:4px 12px;border-left:4px solid #2b6cb0;color:#333333">${quote.map(inline).join('<br>\n')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    if (line.trim() === '--') {
      flushPlain();
      flushQuote();
      out.push('<hr style="border:0;border-top:1px solid #cccccc">');
    } else if (line.startsWith('> ') || line === '>') {
      flushPlain();
      quote.push(line.slice(2));
    } else {
      flushQuote();
      plain.push(line);
    }
  }
  flushPlain();
  flushQuote();
  return out.join('\n');
}

/** Escapes a line and makes its http(s) addresses links (a sentence's final period is not part of one). */
function inline(line: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of line.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = m[0].replace(/[.,;:!?)]+$/, '');
    parts.push(escapeHtml(line.slice(last, m.index)), `<a href="${escapeHtml(url)}" style="color:#1a4f8b">${escapeHtml(url)}</a>`);
    last = m.index + url.length;
  }
  parts.push(escapeHtml(line.slice(last)));
  return parts.join('');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
